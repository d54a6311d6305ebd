import { RangeTracker } from './rangeTracker';
import { isEmptyRange, type Range, type TextEdit } from './types';

/** One content change as the editor reports it (pre-event coordinates). */
export interface LiveChange extends TextEdit {
  /** The text the change replaced, when the adapter knows it (lets us spot reformatting). */
  replacedText?: string;
}

/** One document change event, with what the adapter knows about where it came from. */
export interface LiveChangeEvent {
  /** Milliseconds (any monotonic clock). */
  time: number;
  changes: readonly LiveChange[];
  /** VS Code's TextDocumentChangeReason: undo/redo restore earlier text and are never AI. */
  reason?: 'undo' | 'redo';
  /** The document is in the focused editor, i.e. the one the user is typing in. */
  isActiveEditor: boolean;
  /** The adapter saw a paste command produce this change. */
  isPaste?: boolean;
  /** An explicit edit source from the editor (e.g. "inlineCompletionAccept", "chatEdit"). */
  editSource?: string;
}

/** Thresholds; defaults are conservative so human typing, snippets and IntelliSense stay out. */
export interface LiveEditOptions {
  /** Lines with non-blank content a single insertion needs in the active editor. Default 2. */
  minLines: number;
  /** Non-whitespace characters a single insertion needs in the active editor. Default 40. */
  minChars: number;
  /** Non-whitespace characters an edit to a document not being typed in needs. Default 20. */
  minCharsBackground: number;
  /** Events closer than this (ms) form one burst, so streamed agent output is seen whole. Default 150. */
  burstGapMs: number;
  /** A burst faster than this (non-whitespace chars per second) is not typing. Default 40. */
  maxTypingCharsPerSecond: number;
  /**
   * Keystrokes insert one or two characters per event (auto-closed pairs); streamed output
   * arrives in chunks. At least half the events of a burst must insert this many non-whitespace
   * characters. Default 3.
   */
  minChunkChars: number;
  /**
   * Pasted code counts as AI only when true. Default false: a paste is a deliberate human act
   * of unknown origin (the user can still mark it), and counting it would flag every
   * copy-and-move refactor.
   */
  pasteIsAi: boolean;
}

export const DEFAULT_LIVE_EDIT_OPTIONS: LiveEditOptions = {
  minLines: 2,
  minChars: 40,
  minCharsBackground: 20,
  burstGapMs: 150,
  maxTypingCharsPerSecond: 40,
  minChunkChars: 3,
  pasteIsAi: false,
};

/** The classifier's decision for one event. */
export type LiveVerdict =
  | { ai: true; ranges: Range[]; evidence: string }
  | { ai: false; why: string };

const LINE_BREAK = /\r\n|\r|\n/;
const nonWs = (s: string) => s.replace(/\s+/g, '').length;
const contentLines = (s: string) => s.split(LINE_BREAK).filter((l) => l.trim() !== '').length;

/**
 * Narrows a large replacement to the lines that really changed (common leading and trailing
 * lines removed), e.g. when a file reloaded from disk replaces the whole buffer.
 */
export function narrowChange(change: LiveChange): LiveChange {
  if (change.replacedText === undefined) return change;
  const oldLines = change.replacedText.split(LINE_BREAK);
  const newLines = change.text.split(LINE_BREAK);
  if (oldLines.length < 2 || newLines.length < 2) return change;
  let head = 0;
  while (head < oldLines.length - 1 && head < newLines.length - 1 && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (tail < oldLines.length - 1 - head && tail < newLines.length - 1 - head && oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]) tail++;
  if (head === 0 && tail === 0) return change;
  const r = change.range;
  const startLine = r.startLine + head;
  const startCol = head > 0 ? 0 : r.startCol;
  const oldEndLine = r.endLine - tail;
  const endCol = tail > 0 ? oldLines[oldLines.length - 1 - tail].length + (oldLines.length - 1 - tail === 0 ? r.startCol : 0) : r.endCol;
  return {
    range: { startLine, startCol, endLine: oldEndLine, endCol },
    text: newLines.slice(head, newLines.length - tail).join('\n'),
    replacedText: oldLines.slice(head, oldLines.length - tail).join('\n'),
  };
}

/** Post-event ranges of the inserted text of each change (changes must not overlap). */
export function insertedRanges(changes: readonly TextEdit[]): Range[] {
  const sorted = [...changes].sort((a, b) => a.range.startLine - b.range.startLine || a.range.startCol - b.range.startCol);
  const out: Range[] = [];
  let lineDelta = 0;
  let prevEnd: { line: number; col: number } | null = null; // pre-event end of the previous change
  let prevInsertEnd: { line: number; col: number } | null = null; // post-event end of its inserted text
  for (const c of sorted) {
    let startLine = c.range.startLine + lineDelta;
    let startCol = c.range.startCol;
    if (prevEnd && prevInsertEnd && prevEnd.line === c.range.startLine) {
      startLine = prevInsertEnd.line;
      startCol = prevInsertEnd.col + (c.range.startCol - prevEnd.col);
    }
    const lines = c.text.split(LINE_BREAK);
    const endLine = startLine + lines.length - 1;
    const endCol = lines.length === 1 ? startCol + c.text.length : lines[lines.length - 1].length;
    out.push({ startLine, startCol, endLine, endCol });
    lineDelta += lines.length - 1 - (c.range.endLine - c.range.startLine);
    prevEnd = { line: c.range.endLine, col: c.range.endCol };
    prevInsertEnd = { line: endLine, col: endCol };
  }
  return out;
}

function isReformat(c: LiveChange): boolean {
  return c.replacedText !== undefined && c.replacedText.replace(/\s+/g, '') === c.text.replace(/\s+/g, '');
}

/**
 * Classifies one change event on its own (no burst state). AI when, excluding undo/redo,
 * pastes (unless `pasteIsAi`) and pure reformatting:
 * - the editor names an AI edit source; or
 * - in the active editor, one change inserts a block of at least `minLines` content lines and
 *   `minChars` non-whitespace characters at once (typing delivers a character or two per event);
 * - in a document the user is not typing in (an agent writing files), a change inserts at least
 *   `minCharsBackground` non-whitespace characters.
 */
export function classifyChange(event: LiveChangeEvent, options: Partial<LiveEditOptions> = {}): LiveVerdict {
  const o = { ...DEFAULT_LIVE_EDIT_OPTIONS, ...options };
  if (event.reason) return { ai: false, why: event.reason };
  if (event.isPaste && !o.pasteIsAi) return { ai: false, why: 'paste' };
  const changes = event.changes.map(narrowChange);
  const real = changes.filter((c) => !isReformat(c));
  if (real.length === 0) return { ai: false, why: changes.length ? 'reformat' : 'no change' };
  const inserted = insertedRanges(changes);
  const pick = (pred: (c: LiveChange) => boolean) =>
    changes.flatMap((c, i) => (!isReformat(c) && pred(c) && !isEmptyRange(inserted[i]) ? [inserted[i]] : []));
  if (event.editSource) {
    const ranges = pick((c) => c.text.trim() !== '');
    if (ranges.length) return { ai: true, ranges, evidence: `editor reported edit source '${event.editSource}'` };
  }
  if (event.isActiveEditor) {
    const ranges = pick((c) => contentLines(c.text) >= o.minLines && nonWs(c.text) >= o.minChars);
    if (ranges.length) {
      const lines = ranges.reduce((n, r) => n + r.endLine - r.startLine + 1, 0);
      return { ai: true, ranges, evidence: `${lines}-line block inserted in one edit${event.isPaste ? ' (paste)' : ''}` };
    }
    return { ai: false, why: 'typing-sized edit' };
  }
  const ranges = pick((c) => nonWs(c.text) >= o.minCharsBackground);
  if (ranges.length) return { ai: true, ranges, evidence: 'edit to a document the user was not typing in (agent edit)' };
  return { ai: false, why: 'small background edit' };
}

interface Burst {
  start: number;
  last: number;
  chars: number;
  events: number;
  chunkEvents: number;
  pending: RangeTracker<{ range: Range }>;
}

/**
 * Stateful classifier for one session: adds burst detection on top of `classifyChange`, so an
 * agent streaming a block in many small events (faster than anyone types) is caught too.
 * Pure: time comes from the events.
 */
export class LiveEditClassifier {
  private readonly options: LiveEditOptions;
  private readonly bursts = new Map<string, Burst>();

  constructor(options: Partial<LiveEditOptions> = {}) {
    this.options = { ...DEFAULT_LIVE_EDIT_OPTIONS, ...options };
  }

  /** Classifies `event` on document `docKey`; ranges are in the document's post-event coordinates. */
  classify(docKey: string, event: LiveChangeEvent): LiveVerdict {
    const single = classifyChange(event, this.options);
    const burst = this.bursts.get(docKey);
    if (burst) burst.pending.apply(event.changes);
    if (single.ai || event.reason || (event.isPaste && !this.options.pasteIsAi)) {
      this.bursts.delete(docKey);
      return single;
    }
    const o = this.options;
    const inserted = insertedRanges(event.changes.map(narrowChange)).filter((r) => !isEmptyRange(r));
    const chars = event.changes.reduce((n, c) => n + nonWs(c.text), 0);
    if (chars === 0) return single; // deletions and whitespace neither start nor end a burst
    let b = burst && event.time - burst.last <= o.burstGapMs ? burst : undefined;
    if (!b) {
      b = { start: event.time, last: event.time, chars: 0, events: 0, chunkEvents: 0, pending: new RangeTracker<{ range: Range }>() };
      this.bursts.set(docKey, b);
    }
    b.last = event.time;
    b.chars += chars;
    b.events++;
    if (chars >= o.minChunkChars) b.chunkEvents++;
    for (const r of inserted) b.pending.add({ range: r });
    const seconds = Math.max((b.last - b.start) / 1000, 0.001);
    const lines = new Set(b.pending.items.flatMap((i) => Array.from({ length: i.range.endLine - i.range.startLine + 1 }, (_, k) => i.range.startLine + k)));
    const chunked = b.chunkEvents * 2 >= b.events;
    if (chunked && b.chars >= o.minChars && lines.size >= o.minLines && b.chars / seconds > o.maxTypingCharsPerSecond) {
      const ranges = mergeTouching(b.pending.items.map((i) => i.range));
      this.bursts.delete(docKey);
      return { ai: true, ranges, evidence: `${b.chars} characters streamed in ${Math.round(seconds * 1000)} ms (faster than typing)` };
    }
    return single;
  }

  /** Forgets burst state for a closed document. */
  forget(docKey: string): void {
    this.bursts.delete(docKey);
  }
}

/** Sorts ranges and merges those that touch or overlap. */
function mergeTouching(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.startLine - b.startLine || a.startCol - b.startCol);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && (r.startLine < last.endLine || (r.startLine === last.endLine && r.startCol <= last.endCol))) {
      if (r.endLine > last.endLine || (r.endLine === last.endLine && r.endCol > last.endCol)) {
        last.endLine = r.endLine;
        last.endCol = r.endCol;
      }
    } else out.push({ ...r });
  }
  return out;
}
