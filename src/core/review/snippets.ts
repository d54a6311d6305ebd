import type { Finding, Range } from '../scanning/finding';

/**
 * Grouping findings into "flagged AI snippets" and the text the editor shows for them.
 * AI ranges come from the provenance core; only the fields used here are required.
 */

/** The part of a provenance range this module needs. */
export interface AiRangeLike {
  range: Range;
  /** Which evidence applied: the provenance core's "record" | "live" | "git" | "user" | "marker". */
  source: string;
  /** Tool or agent when known, e.g. "Copilot", "Claude". */
  tool?: string;
  /** When the code was written or inserted (Date or ms since epoch), when known. */
  at?: Date | number;
}

/** A flagged snippet: one AI range and the findings inside it. */
export interface FlaggedSnippet<R extends AiRangeLike = AiRangeLike, F extends Pick<Finding, 'range'> = Finding> {
  ai: R;
  findings: F[];
}

/** True when the finding starts inside the range (lines inclusive; an end at column 0 excludes that line). */
export function startsInside(finding: Pick<Finding, 'range'>, range: Range): boolean {
  const line = finding.range.startLine;
  const lastLine = range.endCol === 0 && range.endLine > range.startLine ? range.endLine - 1 : range.endLine;
  return line >= range.startLine && line <= lastLine;
}

/**
 * Splits findings into flagged snippets (AI ranges with at least one finding, in document order)
 * and findings outside any AI range. A finding in overlapping ranges goes to the first one.
 */
export function groupByAiRange<R extends AiRangeLike, F extends Pick<Finding, 'range'>>(
  findings: readonly F[],
  aiRanges: readonly R[],
): { snippets: FlaggedSnippet<R, F>[]; outside: F[] } {
  const ordered = [...aiRanges].sort((a, b) => a.range.startLine - b.range.startLine || a.range.startCol - b.range.startCol);
  const buckets = new Map<R, F[]>();
  const outside: F[] = [];
  for (const f of findings) {
    const owner = ordered.find((r) => startsInside(f, r.range));
    if (!owner) outside.push(f);
    else buckets.set(owner, [...(buckets.get(owner) ?? []), f]);
  }
  return { snippets: ordered.filter((r) => buckets.has(r)).map((ai) => ({ ai, findings: buckets.get(ai)! })), outside };
}

/** "just now", "2 min ago", "3 h ago", "5 days ago". */
export function formatAge(ms: number): string {
  if (ms < 45_000) return 'just now';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${Math.max(min, 1)} min ago`;
  const h = Math.round(ms / 3_600_000);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(ms / 86_400_000)} days ago`;
}

const SOURCE_VERBS: Record<string, string> = {
  live: 'inserted',
  record: 'recorded',
  git: 'committed',
};

/** Why the range is believed AI-generated, e.g. "Copilot, inserted 2 min ago" or "marked by you". */
export function describeProvenance(ai: AiRangeLike, now: number): string {
  const at = ai.at === undefined ? undefined : typeof ai.at === 'number' ? ai.at : ai.at.getTime();
  const when = at !== undefined && Number.isFinite(at) ? ` ${formatAge(Math.max(0, now - at))}` : '';
  if (ai.source === 'user') return `marked by you${when}`;
  const who = ai.tool ?? 'AI';
  if (ai.source === 'marker') return `${who}, marker comment`;
  return `${who}, ${SOURCE_VERBS[ai.source] ?? ai.source}${when}`;
}

/** The lens title: `⚠ 2 security findings in AI-generated code (Copilot, inserted 2 min ago)`. */
export function formatSnippetTitle(findingCount: number, ai: AiRangeLike, now: number): string {
  const noun = findingCount === 1 ? 'security finding' : 'security findings';
  return `⚠ ${findingCount} ${noun} in AI-generated code (${describeProvenance(ai, now)})`;
}
