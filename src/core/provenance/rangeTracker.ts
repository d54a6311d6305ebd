import { comparePos, isEmptyRange, type Range, type TextEdit } from './types';

/**
 * What happens to a tracked range when an edit lands strictly inside it (text survives on both
 * sides of the edit):
 * - `absorb` (default): the range stays one block and grows over the new text. A reviewer's
 *   decision on an AI snippet should survive the user fixing one token in it.
 * - `split`: the new text is not AI-written, so the range splits around it.
 * Pure deletions inside a range never split it.
 */
export type InsidePolicy = 'absorb' | 'split';

interface Pos {
  line: number;
  col: number;
}

const LINE_BREAK = /\r\n|\r|\n/;

/** End position of `text` inserted at `at`. */
function endOfInsert(at: Pos, text: string): Pos {
  const lines = text.split(LINE_BREAK);
  if (lines.length === 1) return { line: at.line, col: at.col + text.length };
  return { line: at.line + lines.length - 1, col: lines[lines.length - 1].length };
}

/** Maps a position at or after the edit's end to post-edit coordinates. */
function mapAfter(p: Pos, editEnd: Pos, insertEnd: Pos): Pos {
  if (p.line === editEnd.line) return { line: insertEnd.line, col: insertEnd.col + (p.col - editEnd.col) };
  return { line: p.line + (insertEnd.line - editEnd.line), col: p.col };
}

function toRange(a: Pos, b: Pos): Range {
  return { startLine: a.line, startCol: a.col, endLine: b.line, endCol: b.col };
}

const cmp = (a: Pos, b: Pos) => comparePos(a.line, a.col, b.line, b.col);

/**
 * Applies one edit (pre-edit coordinates) to one range and returns what is left of it: the range
 * shifted, shrunk, split in two (policy `split`), or nothing when all its text was deleted.
 * An insertion exactly at the start or end of a range stays outside it.
 */
export function applyEditToRange(range: Range, edit: TextEdit, policy: InsidePolicy = 'absorb'): Range[] {
  const a: Pos = { line: range.startLine, col: range.startCol };
  const b: Pos = { line: range.endLine, col: range.endCol };
  const s: Pos = { line: edit.range.startLine, col: edit.range.startCol };
  const e: Pos = { line: edit.range.endLine, col: edit.range.endCol };
  if (cmp(a, b) >= 0) return [];
  const insertEnd = endOfInsert(s, edit.text);
  if (cmp(e, a) <= 0) return [toRange(mapAfter(a, e, insertEnd), mapAfter(b, e, insertEnd))];
  if (cmp(s, b) >= 0) return [range];
  // The edit overlaps the range: keep the text that survives on each side.
  const hasLeft = cmp(s, a) > 0;
  const hasRight = cmp(e, b) < 0;
  const newEnd = mapAfter(b, e, insertEnd);
  if (hasLeft && hasRight) {
    if (policy === 'absorb' || edit.text === '') return [toRange(a, newEnd)];
    return [toRange(a, s), toRange(insertEnd, newEnd)];
  }
  if (hasLeft) return [toRange(a, s)];
  if (hasRight) return [toRange(insertEnd, newEnd)];
  return [];
}

/**
 * Applies the edits of one change event to items carrying a range. Like VS Code's
 * `contentChanges`, every edit is in the coordinates of the document before the event and edits
 * do not overlap; they are applied last-to-first so earlier coordinates stay valid.
 * Items whose text was deleted are dropped; a split item appears twice (same fields, two ranges).
 */
export function applyEdits<T extends { range: Range }>(items: readonly T[], edits: readonly TextEdit[], policy: InsidePolicy = 'absorb'): T[] {
  const ordered = [...edits].sort((x, y) => -comparePos(x.range.startLine, x.range.startCol, y.range.startLine, y.range.startCol));
  let current: T[] = [...items];
  for (const edit of ordered) {
    const next: T[] = [];
    for (const item of current) {
      for (const r of applyEditToRange(item.range, edit, policy)) if (!isEmptyRange(r)) next.push(r === item.range ? item : { ...item, range: r });
    }
    current = next;
  }
  return current;
}

/**
 * Keeps the AI ranges of one document in step with its edits. Pure (no editor types): the
 * adapter feeds it each change event's edits.
 */
export class RangeTracker<T extends { range: Range }> {
  private current: T[];

  constructor(items: readonly T[] = [], private readonly policy: InsidePolicy = 'absorb') {
    this.current = items.filter((i) => !isEmptyRange(i.range));
  }

  /** The tracked items, in insertion order (split items stay adjacent). */
  get items(): readonly T[] {
    return this.current;
  }

  add(item: T): void {
    if (!isEmptyRange(item.range)) this.current.push(item);
  }

  /** Removes every item for which `predicate` is true; returns how many were removed. */
  remove(predicate: (item: T) => boolean): number {
    const before = this.current.length;
    this.current = this.current.filter((i) => !predicate(i));
    return before - this.current.length;
  }

  /** Applies one change event (edits in pre-event coordinates). */
  apply(edits: readonly TextEdit[]): void {
    if (edits.length > 0) this.current = applyEdits(this.current, edits, this.policy);
  }
}
