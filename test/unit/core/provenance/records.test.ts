import { strict as assert } from 'node:assert';
import { lineHashes } from '../../../../src/core/provenance/fingerprint';
import { mergeAiRanges } from '../../../../src/core/provenance/merge';
import { formatHookLogEntry, parseAgentTrace, parseHookLog, recordRanges } from '../../../../src/core/provenance/records';
import { linesOf, wholeLines, type AiRange } from '../../../../src/core/provenance/types';

const text = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');

describe('explicit records', () => {
  it('reads Agent Trace records: AI and mixed ranges, not human ones; bad lines reported', () => {
    const rec = {
      version: '0.1.0',
      id: '3f2c7a9e-0000-4000-8000-000000000001',
      timestamp: '2026-01-10T10:00:00Z',
      tool: { name: 'cursor', version: '2.0' },
      files: [
        {
          path: 'src/app.py',
          conversations: [
            { contributor: { type: 'ai', model_id: 'anthropic/claude-opus-4-5' }, ranges: [{ start_line: 3, end_line: 5 }, { start_line: 9, end_line: 9, contributor: { type: 'human' } }] },
            { contributor: { type: 'human' }, ranges: [{ start_line: 12, end_line: 14 }] },
          ],
        },
      ],
    };
    const parsed = parseAgentTrace(JSON.stringify(rec) + '\nnot json\n{"version":"1"}\n');
    const ranges = recordRanges(parsed, './src/app.py', text);
    assert.deepEqual(ranges.map((r) => linesOf(r.range)), [{ first: 2, last: 4 }]);
    assert.equal(ranges[0].source, 'record');
    assert.equal(ranges[0].tool, 'Claude');
    assert.match(ranges[0].evidence, /Agent Trace record/);
    assert.deepEqual(parsed.problems.map((p) => p.line), [2, 3]);
  });

  it('reads the TrustLens hook log and re-anchors by line hashes', () => {
    const hashes = lineHashes(text).slice(4, 7); // lines 5-7
    const entry = formatHookLogEntry({ v: 1, file: 'a.py', ranges: [{ start: 5, end: 7, lineHashes: hashes }], agent: 'Claude Code', at: '2026-01-10T10:00:00Z' });
    const parsed = parseHookLog(entry + '{"v":1,"file":"a.py"}\n');
    assert.equal(parsed.problems.length, 1);
    assert.deepEqual(recordRanges(parsed, 'a.py', text).map((r) => linesOf(r.range)), [{ first: 4, last: 6 }]);
    const shifted = 'new\nnew\n' + text;
    const moved = recordRanges(parsed, 'a.py', shifted);
    assert.deepEqual(moved.map((r) => linesOf(r.range)), [{ first: 6, last: 8 }]);
    assert.match(moved[0].evidence, /re-anchored/);
    assert.throws(() => formatHookLogEntry({ v: 1, file: '', ranges: [], agent: 'x', at: 'yesterday' }));
  });
});

describe('mergeAiRanges', () => {
  const r = (first: number, last: number, source: AiRange['source'], evidence: string, at?: Date): AiRange => ({ range: wholeLines(first, last), source, evidence, ...(at ? { at } : {}) });
  it('gives each overlapping span to the strongest evidence and keeps the rest in `also`', () => {
    const merged = mergeAiRanges([r(0, 9, 'marker', 'm'), r(3, 5, 'record', 'rec'), r(8, 12, 'git', 'g')]);
    assert.deepEqual(
      merged.map((m) => [m.source, linesOf(m.range).first, linesOf(m.range).last, (m.also ?? []).map((a) => a.source).join(',')]),
      [
        ['marker', 0, 2, ''],
        ['record', 3, 5, 'marker'],
        ['marker', 6, 7, ''],
        ['git', 8, 12, 'marker'],
      ],
    );
  });
  it('breaks ties within a source by the most recent evidence, and drops nothing', () => {
    const older = r(0, 3, 'live', 'old', new Date(1000));
    const newer = r(2, 5, 'live', 'new', new Date(2000));
    const merged = mergeAiRanges([older, newer]);
    assert.deepEqual(merged.map((m) => [m.evidence, linesOf(m.range).first, linesOf(m.range).last]), [
      ['old', 0, 1],
      ['new', 2, 5],
    ]);
    assert.equal(mergeAiRanges([]).length, 0);
  });
});
