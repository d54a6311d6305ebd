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

/** Ranges of the same evidence closer in time than this are one block (ms). */
const SAME_BLOCK_MS = 60_000;

function lastLineOf(r: Range): number {
  return r.endCol === 0 && r.endLine > r.startLine ? r.endLine - 1 : r.endLine;
}

const atMs = (r: AiRangeLike) => (r.at === undefined ? undefined : typeof r.at === 'number' ? r.at : r.at.getTime());

/**
 * Joins AI ranges that are one block to a reader: same source and tool, on adjacent or
 * overlapping lines, written within a minute of each other (e.g. a completion streamed in
 * several edits, or an agent writing a function line by line). The first range's evidence and
 * time label the block.
 */
export function coalesceAdjacent<R extends AiRangeLike>(ranges: readonly R[]): R[] {
  const sorted = [...ranges].sort((a, b) => a.range.startLine - b.range.startLine || a.range.startCol - b.range.startCol);
  const out: R[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    const ta = prev && atMs(prev);
    const tb = atMs(r);
    const sameTime = ta === undefined || tb === undefined ? ta === tb : Math.abs(ta - tb) <= SAME_BLOCK_MS;
    if (prev && prev.source === r.source && prev.tool === r.tool && sameTime && r.range.startLine <= lastLineOf(prev.range) + 1) {
      const endsLater = r.range.endLine > prev.range.endLine || (r.range.endLine === prev.range.endLine && r.range.endCol > prev.range.endCol);
      if (endsLater) out[out.length - 1] = { ...prev, range: { ...prev.range, endLine: r.range.endLine, endCol: r.range.endCol } };
    } else out.push(r);
  }
  return out;
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
    else {
      const list = buckets.get(owner);
      if (list) list.push(f);
      else buckets.set(owner, [f]);
    }
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
  const who = ai.tool ?? 'unknown assistant';
  if (ai.source === 'marker') return `${who}, marker comment`;
  return `${who}, ${SOURCE_VERBS[ai.source] ?? ai.source}${when}`;
}

/** The lens title: `⚠ 2 security findings in AI-generated code (Copilot, inserted 2 min ago)`. */
export function formatSnippetTitle(findingCount: number, ai: AiRangeLike, now: number): string {
  const noun = findingCount === 1 ? 'security finding' : 'security findings';
  return `⚠ ${findingCount} ${noun} in AI-generated code (${describeProvenance(ai, now)})`;
}
