import type { Finding, Range, Severity } from '../scanning/finding';
import { snippetKey, type SnippetKey } from './fingerprint';
import { effectiveSeverity, type SeverityPolicy } from './severity';
import { coalesceAdjacent, groupByAiRange, type AiRangeLike } from './snippets';
import { findDecision, type ReviewDecision, type ReviewFile } from './store';

/**
 * Everything the editor shows for one document, derived in one pure step from the scanner's
 * findings, the provenance ranges, the severity policy and the review decisions. Adapters only
 * translate this into diagnostics, lenses, tree items and status-bar counts.
 */

/** A finding that passed the severity policy, with the AI range it sits in (if any). */
export interface ShownFinding<R extends AiRangeLike = AiRangeLike> {
  finding: Finding;
  /** Severity after overrides and the AI raise. */
  severity: Severity;
  ai?: R;
}

/** A flagged AI snippet with its review identity and current decision. */
export interface SnippetReport<R extends AiRangeLike = AiRangeLike> {
  ai: R;
  findings: ShownFinding<R>[];
  key: SnippetKey;
  decision?: ReviewDecision;
  /** The snippet's first line of code (trimmed), for labels. */
  preview: string;
}

export interface DocumentReport<R extends AiRangeLike = AiRangeLike> {
  findings: ShownFinding<R>[];
  snippets: SnippetReport<R>[];
}

/** Text of `range` in `lines` (0-based lines, end-exclusive columns; out-of-bounds parts clipped). */
export function textInRange(lines: readonly string[], range: Range): string {
  if (range.startLine >= lines.length) return '';
  const endLine = Math.min(range.endLine, lines.length - 1);
  if (range.startLine === endLine) return lines[range.startLine].slice(range.startCol, range.endLine === endLine ? range.endCol : undefined);
  const parts = [lines[range.startLine].slice(range.startCol)];
  for (let i = range.startLine + 1; i < endLine; i++) parts.push(lines[i]);
  parts.push(range.endLine === endLine ? lines[endLine].slice(0, range.endCol) : lines[endLine]);
  return parts.join('\n');
}

/** Whole lines touched by a finding: what its review anchor hashes. */
function flaggedLines(lines: readonly string[], r: Range): string {
  return lines.slice(r.startLine, Math.max(r.startLine, r.endLine) + 1).join('\n');
}

export interface ReportInput<R extends AiRangeLike> {
  text: string;
  findings: readonly Finding[];
  aiRanges: readonly R[];
  policy: SeverityPolicy;
  reviews: ReviewFile;
  /** Workspace-relative path, used to prefer same-file decisions and to record new ones. */
  filePath?: string;
}

/**
 * Builds the document report: applies the severity policy (findings inside AI ranges may be
 * raised; findings below the minimum are dropped), groups the rest into flagged AI snippets and
 * looks up each snippet's review decision by fingerprint. Adjacent ranges of the same evidence
 * are one snippet (see coalesceAdjacent).
 */
export function buildDocumentReport<R extends AiRangeLike>(input: ReportInput<R>): DocumentReport<R> {
  const lines = input.text.split(/\r\n|\r|\n/);
  const { snippets: grouped, outside } = groupByAiRange(input.findings, coalesceAdjacent(input.aiRanges));
  const shown: ShownFinding<R>[] = [];
  const snippets: SnippetReport<R>[] = [];
  for (const f of outside) {
    const severity = effectiveSeverity(f, false, input.policy);
    if (severity) shown.push({ finding: f, severity });
  }
  for (const g of grouped) {
    const inside: ShownFinding<R>[] = [];
    for (const f of g.findings) {
      const severity = effectiveSeverity(f, true, input.policy);
      if (severity) inside.push({ finding: f, severity, ai: g.ai });
    }
    if (inside.length === 0) continue;
    shown.push(...inside);
    const snippetText = textInRange(lines, g.ai.range);
    const key = snippetKey(snippetText, inside.map((s) => ({ ruleId: s.finding.ruleId, flaggedText: flaggedLines(lines, s.finding.range) })));
    const preview = snippetText.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
    snippets.push({ ai: g.ai, findings: inside, key, decision: findDecision(input.reviews, key, input.filePath), preview });
  }
  shown.sort((a, b) => a.finding.range.startLine - b.finding.range.startLine || a.finding.range.startCol - b.finding.range.startCol);
  return { findings: shown, snippets };
}

/** Flagged snippets that have no review decision yet. */
export function unreviewed<R extends AiRangeLike>(snippets: readonly SnippetReport<R>[]): SnippetReport<R>[] {
  return snippets.filter((s) => s.decision === undefined);
}
