import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyEditToRange, applyEdits, RangeTracker, type InsidePolicy } from '../../../../src/core/provenance/rangeTracker';
import type { Range, TextEdit } from '../../../../src/core/provenance/types';

// Oracle: the document as a flat list of characters, each tagged with the ids of the ranges
// covering it. Edits delete and insert characters; ranges are read back as tagged offsets.
interface Ch {
  c: string;
  tags: Set<number>;
}

function offsetOf(text: string, line: number, col: number): number {
  const lines = text.split('\n');
  let o = 0;
  for (let i = 0; i < line; i++) o += lines[i].length + 1;
  return o + col;
}

function posOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, col: before[before.length - 1].length };
}

function rangeToOffsets(text: string, r: Range): number[] {
  const out: number[] = [];
  for (let o = offsetOf(text, r.startLine, r.startCol); o < offsetOf(text, r.endLine, r.endCol); o++) out.push(o);
  return out;
}

function oracleApply(doc: Ch[], edit: TextEdit, policy: InsidePolicy): Ch[] {
  const text = doc.map((d) => d.c).join('');
  const s = offsetOf(text, edit.range.startLine, edit.range.startCol);
  const e = offsetOf(text, edit.range.endLine, edit.range.endCol);
  const inherited = new Set<number>();
  if (policy === 'absorb' || edit.text === '') {
    // text inserted strictly inside a range (its text survives on both sides) joins it
    if (s > 0 && e < doc.length) for (const t of doc[s - 1].tags) if (doc[e].tags.has(t)) inherited.add(t);
  }
  const inserted = [...edit.text].map((c) => ({ c, tags: new Set(inherited) }));
  return [...doc.slice(0, s), ...inserted, ...doc.slice(e)];
}

/** A document and a valid range inside it, built from generated offsets. */
const docArb = fc.array(fc.constantFrom('a', 'b', ' ', '\n'), { minLength: 0, maxLength: 40 }).map((cs) => cs.join(''));

function rangeFromOffsets(text: string, x: number, y: number): Range {
  const [lo, hi] = x <= y ? [x, y] : [y, x];
  const a = posOf(text, lo);
  const b = posOf(text, hi);
  return { startLine: a.line, startCol: a.col, endLine: b.line, endCol: b.col };
}

const editSpecArb = fc.record({ x: fc.nat(), y: fc.nat(), text: fc.array(fc.constantFrom('x', 'y', '\n'), { maxLength: 6 }).map((c) => c.join('')) });

describe('RangeTracker (property: agrees with a character-tagging oracle)', () => {
  for (const policy of ['absorb', 'split'] as InsidePolicy[]) {
    it(`keeps ranges on exactly the surviving characters through random edit sequences (${policy})`, () => {
      fc.assert(
        fc.property(docArb, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }), fc.array(editSpecArb, { minLength: 1, maxLength: 8 }), (text, rangeSpecs, editSpecs) => {
          const n = text.length + 1;
          let doc: Ch[] = [...text].map((c) => ({ c, tags: new Set<number>() }));
          const items = rangeSpecs.map(([x, y], id) => ({ id, range: rangeFromOffsets(text, x % n, y % n) }));
          for (const it of items) for (const o of rangeToOffsets(text, it.range)) doc[o].tags.add(it.id);
          const tracker = new RangeTracker(items, policy);
          for (const spec of editSpecs) {
            const cur = doc.map((d) => d.c).join('');
            const m = cur.length + 1;
            const edit: TextEdit = { range: rangeFromOffsets(cur, spec.x % m, spec.y % m), text: spec.text };
            tracker.apply([edit]);
            doc = oracleApply(doc, edit, policy);
            const after = doc.map((d) => d.c).join('');
            for (const it of items) {
              const expected = doc.flatMap((d, o) => (d.tags.has(it.id) ? [o] : []));
              const pieces = tracker.items.filter((t) => t.id === it.id);
              const got = pieces.flatMap((p) => rangeToOffsets(after, p.range)).sort((p, q) => p - q);
              assert.deepEqual(got, expected);
              if (policy === 'absorb') assert.ok(pieces.length <= 1, 'absorb never splits');
            }
          }
        }),
        { numRuns: 400 },
      );
    });
  }

  it('applies a multi-edit change event given in pre-event coordinates', () => {
    // doc: "l0\nl1\nl2\nl3\n"; range = line 2; one event inserts a line above and deletes l3
    const item = { range: { startLine: 2, startCol: 0, endLine: 3, endCol: 0 } };
    const edits: TextEdit[] = [
      { range: { startLine: 0, startCol: 0, endLine: 0, endCol: 0 }, text: 'new\n' },
      { range: { startLine: 3, startCol: 0, endLine: 4, endCol: 0 }, text: '' },
    ];
    assert.deepEqual(applyEdits([item], edits)[0].range, { startLine: 3, startCol: 0, endLine: 4, endCol: 0 });
  });
});

describe('applyEditToRange', () => {
  const r: Range = { startLine: 2, startCol: 0, endLine: 5, endCol: 0 };
  it('shifts a range down when lines are inserted above it', () => {
    assert.deepEqual(applyEditToRange(r, { range: { startLine: 0, startCol: 0, endLine: 0, endCol: 0 }, text: 'a\nb\n' }), [
      { startLine: 4, startCol: 0, endLine: 7, endCol: 0 },
    ]);
  });
  it('leaves a range alone when the edit is after it, including an insertion at its end', () => {
    assert.deepEqual(applyEditToRange(r, { range: { startLine: 5, startCol: 0, endLine: 5, endCol: 0 }, text: 'zz\n' }), [r]);
  });
  it('shrinks a range when its first line is deleted', () => {
    assert.deepEqual(applyEditToRange(r, { range: { startLine: 1, startCol: 0, endLine: 3, endCol: 0 }, text: '' }), [
      { startLine: 1, startCol: 0, endLine: 3, endCol: 0 },
    ]);
  });
  it('splits around inserted text with policy split, absorbs it by default', () => {
    const edit: TextEdit = { range: { startLine: 3, startCol: 0, endLine: 3, endCol: 0 }, text: 'human\n' };
    assert.deepEqual(applyEditToRange(r, edit, 'split'), [
      { startLine: 2, startCol: 0, endLine: 3, endCol: 0 },
      { startLine: 4, startCol: 0, endLine: 6, endCol: 0 },
    ]);
    assert.deepEqual(applyEditToRange(r, edit), [{ startLine: 2, startCol: 0, endLine: 6, endCol: 0 }]);
  });
  it('drops a range whose text was all deleted', () => {
    assert.deepEqual(applyEditToRange(r, { range: { startLine: 1, startCol: 0, endLine: 6, endCol: 0 }, text: 'x' }), []);
  });
});
