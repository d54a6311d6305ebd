import type { Range } from '../scanning/finding';

export type { Range };

/**
 * Where the claim "an assistant wrote this" comes from, strongest first (see SOURCE_RANK):
 * - `record`: an explicit record (Agent Trace, git-ai note, TrustLens hook log);
 * - `live`: an edit seen in this editor session that no human types (block inserted at once, agent edit);
 * - `git`: committed lines blamed to a commit with AI trailers or an assistant author;
 * - `user`: the user ran "Mark selection as AI-generated";
 * - `marker`: a marker comment in the file (`// @ai-generated begin` …).
 */
export type ProvenanceSource = 'record' | 'live' | 'git' | 'user' | 'marker';

/** Rank used when evidence overlaps: lower index wins. Order follows the OpenSSF-derived notes. */
export const SOURCE_RANK: readonly ProvenanceSource[] = ['record', 'live', 'git', 'user', 'marker'];

/** A piece of evidence that lost the ranking but still applies to (part of) a merged range. */
export interface OtherEvidence {
  source: ProvenanceSource;
  tool?: string;
  evidence: string;
}

/** A span of a document an assistant wrote, with the evidence that says so. */
export interface AiRange {
  /** 0-based lines, end-exclusive columns. Whole-line ranges end at (lastLine + 1, 0). */
  range: Range;
  source: ProvenanceSource;
  /** Assistant or agent, e.g. "Copilot", "Claude", "Cursor", when the evidence names one. */
  tool?: string;
  /** When the code was written (edit time, commit author time, record time). */
  at?: Date;
  /** Human-readable reason, e.g. "commit 1a2b3c4 has trailer 'Co-authored-by: Claude …'". */
  evidence: string;
  /** Weaker evidence that overlapped this range and was outranked (filled by mergeAiRanges). */
  also?: OtherEvidence[];
}

/** A replacement of `range` (pre-edit coordinates) by `text`, as in a VS Code content change. */
export interface TextEdit {
  range: Range;
  text: string;
}

/** Range covering whole lines `first..last` (0-based, inclusive). */
export function wholeLines(first: number, last: number): Range {
  return { startLine: first, startCol: 0, endLine: last + 1, endCol: 0 };
}

/**
 * The 0-based inclusive lines a range touches; a range ending at column 0 does not touch its
 * end line. Empty ranges touch their start line.
 */
export function linesOf(range: Range): { first: number; last: number } {
  const last = range.endCol === 0 && range.endLine > range.startLine ? range.endLine - 1 : range.endLine;
  return { first: range.startLine, last: Math.max(range.startLine, last) };
}

/** Compare two positions: negative when a is before b. */
export function comparePos(aLine: number, aCol: number, bLine: number, bCol: number): number {
  return aLine !== bLine ? aLine - bLine : aCol - bCol;
}

/** True when the range covers no character. */
export function isEmptyRange(r: Range): boolean {
  return comparePos(r.startLine, r.startCol, r.endLine, r.endCol) >= 0;
}
