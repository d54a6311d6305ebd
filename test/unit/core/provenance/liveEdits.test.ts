import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { classifyChange, insertedRanges, LiveEditClassifier, narrowChange, type LiveChangeEvent } from '../../../../src/core/provenance/liveEdits';

const at = (line: number, col: number) => ({ startLine: line, startCol: col, endLine: line, endCol: col });
const block = 'def load(path):\n    with open(path, "rb") as f:\n        return pickle.load(f)\n';
const ev = (over: Partial<LiveChangeEvent>): LiveChangeEvent => ({ time: 0, isActiveEditor: true, changes: [{ range: at(3, 0), text: block }], ...over });

describe('live edit classifier', () => {
  it('flags a multi-line block inserted in one event, with its post-edit range', () => {
    const v = classifyChange(ev({}));
    assert.ok(v.ai);
    assert.deepEqual(v.ranges, [{ startLine: 3, startCol: 0, endLine: 6, endCol: 0 }]);
    assert.match(v.evidence, /inserted in one edit/);
  });
  it('never flags undo or redo, and not a paste unless configured', () => {
    assert.deepEqual(classifyChange(ev({ reason: 'undo' })), { ai: false, why: 'undo' });
    assert.deepEqual(classifyChange(ev({ reason: 'redo' })), { ai: false, why: 'redo' });
    assert.deepEqual(classifyChange(ev({ isPaste: true })), { ai: false, why: 'paste' });
    assert.ok(classifyChange(ev({ isPaste: true }), { pasteIsAi: true }).ai);
  });
  it('does not flag typing, auto-indent, or a short snippet in the active editor', () => {
    assert.equal(classifyChange(ev({ changes: [{ range: at(0, 0), text: 'x' }] })).ai, false);
    assert.equal(classifyChange(ev({ changes: [{ range: at(0, 4), text: '\n    ' }] })).ai, false);
    assert.equal(classifyChange(ev({ changes: [{ range: at(0, 0), text: 'if x:\n    pass\n' }] })).ai, false);
  });
  it('flags a smaller edit to a document the user is not typing in (agent edit)', () => {
    const v = classifyChange(ev({ isActiveEditor: false, changes: [{ range: at(1, 0), text: 'data = yaml.load(open(path))\n' }] }));
    assert.ok(v.ai);
    assert.match(v.evidence, /not typing in/);
  });
  it('does not flag a reformat that only changes whitespace', () => {
    const v = classifyChange(ev({ isActiveEditor: false, changes: [{ range: { startLine: 0, startCol: 0, endLine: 2, endCol: 0 }, text: 'a = 1\nb = 2\n', replacedText: 'a=1\nb=2\n' }] }));
    assert.deepEqual(v, { ai: false, why: 'reformat' });
  });
  it('trusts an explicit edit source from the editor', () => {
    const v = classifyChange(ev({ changes: [{ range: at(0, 0), text: 'x = 1' }], editSource: 'inlineCompletionAccept' }));
    assert.ok(v.ai);
    assert.match(v.evidence, /inlineCompletionAccept/);
  });
  it('narrows a whole-buffer replacement to the changed lines', () => {
    const n = narrowChange({ range: { startLine: 0, startCol: 0, endLine: 2, endCol: 1 }, text: 'A\nX\nY\nC', replacedText: 'A\nB\nC' });
    assert.deepEqual(n.range, { startLine: 1, startCol: 0, endLine: 1, endCol: 1 });
    assert.equal(n.text, 'X\nY');
  });
  it('computes post-event ranges for several changes in one event', () => {
    // "aaa\nbbb": insert "X\n" at (0,1) and "Y" at (1,1)
    const r = insertedRanges([
      { range: at(1, 1), text: 'Y' },
      { range: at(0, 1), text: 'X\n' },
    ]);
    assert.deepEqual(r, [
      { startLine: 0, startCol: 1, endLine: 1, endCol: 0 },
      { startLine: 2, startCol: 1, endLine: 2, endCol: 2 },
    ]);
  });
  it('catches a block streamed in small fast events, but not the same text typed slowly', () => {
    const chunks = block.match(/.{1,6}/gs)!;
    const run = (gapMs: number) => {
      const c = new LiveEditClassifier();
      let line = 3;
      let col = 0;
      const flagged: Array<{ startLine: number; endLine: number }> = [];
      chunks.forEach((text, i) => {
        const verdict = c.classify('doc', { time: i * gapMs, isActiveEditor: true, changes: [{ range: at(line, col), text }] });
        if (verdict.ai) flagged.push(...verdict.ranges);
        const parts = text.split('\n');
        line += parts.length - 1;
        col = parts.length > 1 ? parts[parts.length - 1].length : col + text.length;
      });
      return flagged;
    };
    assert.ok(chunks.length > 3);
    const streamed = run(20);
    assert.ok(streamed.length > 0, 'streamed block flagged');
    assert.equal(streamed[0].startLine, 3);
    assert.deepEqual(run(1000), []); // one chunk a second: a person typing
  });
  it('does not treat very fast single-character typing (or a key held down) as streaming', () => {
    const c = new LiveEditClassifier();
    let line = 0;
    let col = 0;
    let flagged = false;
    [...block].forEach((ch, i) => {
      const v = c.classify('doc', { time: i * 10, isActiveEditor: true, changes: [{ range: at(line, col), text: ch }] });
      flagged ||= v.ai;
      if (ch === '\n') {
        line++;
        col = 0;
      } else col++;
    });
    assert.equal(flagged, false);
  });
});

describe('narrowChange (property)', () => {
  // Applying the narrowed change must give the same document as applying the original one.
  const apply = (doc: string, c: { range: { startLine: number; startCol: number; endLine: number; endCol: number }; text: string }) => {
    const lines = doc.split('\n');
    const off = (l: number, col: number) => lines.slice(0, l).reduce((n, x) => n + x.length + 1, 0) + col;
    return doc.slice(0, off(c.range.startLine, c.range.startCol)) + c.text + doc.slice(off(c.range.endLine, c.range.endCol));
  };
  const posOf = (doc: string, o: number) => {
    const before = doc.slice(0, o).split('\n');
    return { line: before.length - 1, col: before[before.length - 1].length };
  };
  it('preserves the resulting document', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '\n'), { maxLength: 30 }).map((x) => x.join('')),
        fc.nat(),
        fc.nat(),
        fc.array(fc.constantFrom('a', 'c', '\n'), { maxLength: 20 }).map((x) => x.join('')),
        (doc, x, y, text) => {
          const [lo, hi] = [x % (doc.length + 1), y % (doc.length + 1)].sort((p, q) => p - q);
          const a = posOf(doc, lo);
          const b = posOf(doc, hi);
          const change = { range: { startLine: a.line, startCol: a.col, endLine: b.line, endCol: b.col }, text, replacedText: doc.slice(lo, hi) };
          const n = narrowChange(change);
          assert.equal(apply(doc, n), apply(doc, change));
          assert.equal(n.replacedText, (() => {
            const lines = doc.split('\n');
            const off = (l: number, col: number) => lines.slice(0, l).reduce((m, z) => m + z.length + 1, 0) + col;
            return doc.slice(off(n.range.startLine, n.range.startCol), off(n.range.endLine, n.range.endCol));
          })());
        },
      ),
      { numRuns: 500 },
    );
  });
});
