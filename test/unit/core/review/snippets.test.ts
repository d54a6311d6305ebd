import assert from 'node:assert/strict';
import { coalesceAdjacent, describeProvenance, formatAge, formatSnippetTitle, groupByAiRange, guidanceFor, soleActiveAssistant, startsInside } from '../../../../src/core/review';

const at = (line: number) => ({ range: { startLine: line, startCol: 4, endLine: line, endCol: 10 } });
const ai = (startLine: number, endLine: number, endCol = 5) => ({ range: { startLine, startCol: 0, endLine, endCol }, source: 'live', tool: 'Copilot' });

describe('flagged snippets', () => {
  it('groups findings by the AI range they start in, in document order', () => {
    const r1 = ai(10, 14);
    const r2 = ai(2, 4);
    const { snippets, outside } = groupByAiRange([at(3), at(12), at(7), at(4)], [r1, r2]);
    assert.deepEqual(snippets.map((s) => s.ai), [r2, r1]);
    assert.deepEqual(snippets[0].findings.map((x) => x.range.startLine), [3, 4]);
    assert.deepEqual(outside.map((x) => x.range.startLine), [7]);
  });
  it('omits AI ranges without findings', () => {
    assert.equal(groupByAiRange([at(1)], [ai(5, 6)]).snippets.length, 0);
  });
  it('excludes the last line when the range ends at its column 0', () => {
    assert.equal(startsInside(at(14), ai(10, 14, 0).range), false);
    assert.equal(startsInside(at(13), ai(10, 14, 0).range), true);
  });
});

describe('lens text', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it('formats ages', () => {
    assert.equal(formatAge(5_000), 'just now');
    assert.equal(formatAge(2 * 60_000), '2 min ago');
    assert.equal(formatAge(3 * 3_600_000), '3 h ago');
    assert.equal(formatAge(5 * 86_400_000), '5 days ago');
  });
  it('says which tool and evidence applied', () => {
    assert.equal(
      formatSnippetTitle(2, { ...ai(1, 2), at: now - 120_000 }, now),
      '⚠ 2 security findings in AI-generated code (Copilot, inserted 2 min ago)',
    );
    assert.equal(formatSnippetTitle(1, { range: ai(1, 2).range, source: 'git', tool: 'Claude' }, now), '⚠ 1 security finding in AI-generated code (Claude, committed)');
    assert.equal(describeProvenance({ range: ai(1, 2).range, source: 'user' }, now), 'marked by you');
    assert.equal(describeProvenance({ range: ai(1, 2).range, source: 'live', at: now }, now), 'unknown assistant, inserted just now');
    assert.equal(describeProvenance({ range: ai(1, 2).range, source: 'live', tool: 'Claude', at: new Date(now - 3 * 3_600_000) }, now), 'Claude, inserted 3 h ago');
  });
});

describe('assistant guess for live edits', () => {
  it('names the assistant only when exactly one is active', () => {
    assert.equal(soleActiveAssistant(['ms-python.python', 'GitHub.copilot', 'GitHub.copilot-chat']), 'Copilot');
    assert.equal(soleActiveAssistant(['GitHub.copilot', 'Continue.continue']), undefined);
    assert.equal(soleActiveAssistant(['ms-python.python']), undefined);
  });
});

describe('OpenSSF guidance lines', () => {
  it('quotes the deserialisation guidance for CWE-502 and falls back to the review guidance', () => {
    assert.match(guidanceFor('CWE-502').quote, /deserialization/);
    assert.match(guidanceFor('CWE-89').quote, /parameterized queries/);
    assert.match(guidanceFor('CWE-99999').quote, /Review AI-generated changes/);
  });
});

describe('coalescing AI ranges into blocks', () => {
  const r = (startLine: number, endLine: number, at: number, extra: Partial<{ source: string; tool: string }> = {}) => ({
    range: { startLine, startCol: 0, endLine, endCol: 10 },
    source: extra.source ?? 'live',
    tool: extra.tool,
    at,
  });
  it('joins adjacent ranges of one streamed insertion', () => {
    const out = coalesceAdjacent([r(31, 31, 1000), r(29, 29, 1000), r(30, 30, 1200)]);
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].range, { startLine: 29, startCol: 0, endLine: 31, endCol: 10 });
  });
  it('keeps apart ranges with a gap, another source or tool, or minutes apart', () => {
    assert.equal(coalesceAdjacent([r(1, 2, 0), r(4, 5, 0)]).length, 2);
    assert.equal(coalesceAdjacent([r(1, 2, 0), r(3, 4, 0, { source: 'user' })]).length, 2);
    assert.equal(coalesceAdjacent([r(1, 2, 0, { tool: 'Copilot' }), r(3, 4, 0, { tool: 'Claude' })]).length, 2);
    assert.equal(coalesceAdjacent([r(1, 2, 0), r(3, 4, 5 * 60_000)]).length, 2);
  });
});
