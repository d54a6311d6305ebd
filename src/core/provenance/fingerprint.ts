import { createHash } from 'node:crypto';
import { linesOf, wholeLines, type Range } from './types';

/**
 * Hash of one line with whitespace normalised (trimmed, runs collapsed), so re-indentation or
 * a formatter does not break re-anchoring. 16 hex chars of SHA-256: collisions inside one file
 * are negligible and the store stays small.
 */
export function lineHash(line: string): string {
  return createHash('sha256').update(line.trim().replace(/\s+/g, ' ')).digest('hex').slice(0, 16);
}

/** Normalised hashes of every line of `text`. */
export function lineHashes(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map(lineHash);
}

/** The fingerprint of the lines a range touches in `text`. */
export function fingerprintRange(text: string, range: Range): string[] {
  const hashes = lineHashes(text);
  const { first, last } = linesOf(range);
  return hashes.slice(first, last + 1);
}

/** Result of re-anchoring a stored block in changed text. */
export type Reanchored =
  | { status: 'unchanged'; range: Range }
  | { status: 'moved'; range: Range }
  | { status: 'partial'; range: Range; matchedLines: number }
  | { status: 'lost' };

/**
 * Finds where a stored block (its line fingerprint and last known first line) is in `text` now:
 * - `unchanged` when the fingerprint still matches at the stored position;
 * - `moved` when the whole fingerprint occurs elsewhere (nearest occurrence to the old position);
 * - `partial` when the longest run of consecutive fingerprint lines found covers at least half
 *   the block (the block was edited outside the editor; the surviving run is kept);
 * - `lost` otherwise. Blank-line-only runs never anchor a block on their own.
 * Positions returned are whole-line ranges.
 */
export function reanchor(fingerprint: readonly string[], storedFirstLine: number, text: string): Reanchored {
  const n = fingerprint.length;
  if (n === 0) return { status: 'lost' };
  const current = lineHashes(text);
  const matchesAt = (i: number) => i >= 0 && i + n <= current.length && fingerprint.every((h, k) => current[i + k] === h);
  if (matchesAt(storedFirstLine)) return { status: 'unchanged', range: wholeLines(storedFirstLine, storedFirstLine + n - 1) };
  let best = -1;
  for (let i = 0; i + n <= current.length; i++) {
    if (matchesAt(i) && (best < 0 || Math.abs(i - storedFirstLine) < Math.abs(best - storedFirstLine))) best = i;
  }
  if (best >= 0) return { status: 'moved', range: wholeLines(best, best + n - 1) };
  const blank = lineHash('');
  let run = { len: 0, at: -1, dist: Infinity };
  for (let i = 0; i < current.length; i++) {
    for (let j = 0; j < n; j++) {
      if (current[i] !== fingerprint[j] || (i > 0 && j > 0 && current[i - 1] === fingerprint[j - 1])) continue;
      let len = 0;
      let meaningful = false;
      while (i + len < current.length && j + len < n && current[i + len] === fingerprint[j + len]) {
        if (current[i + len] !== blank) meaningful = true;
        len++;
      }
      const dist = Math.abs(i - j - storedFirstLine);
      if (meaningful && (len > run.len || (len === run.len && dist < run.dist))) run = { len, at: i, dist };
    }
  }
  if (run.len > 0 && run.len * 2 >= n) return { status: 'partial', range: wholeLines(run.at, run.at + run.len - 1), matchedLines: run.len };
  return { status: 'lost' };
}
