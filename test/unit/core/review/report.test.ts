import assert from 'node:assert/strict';
import { buildDocumentReport, emptyReviewFile, recordDecision, textInRange, unreviewed, type SeverityPolicy } from '../../../../src/core/review';
import type { Finding } from '../../../../src/core/scanning/finding';

const TEXT = [
  'import torch, yaml', // 0
  '', // 1
  'def load(p):', // 2  AI range 2..4
  '    m = torch.load(p)', // 3
  '    c = yaml.load(open("c.yml"))', // 4
  '    return m, c', // 5
  'x = eval(input())', // 6
].join('\n');

function finding(ruleId: string, line: number, severity: Finding['severity'], col = 8): Finding {
  return {
    ruleId,
    cwe: 'CWE-502',
    severity,
    message: ruleId,
    why: 'why',
    helpUrl: 'https://cwe.mitre.org/data/definitions/502.html',
    range: { startLine: line, startCol: col, endLine: line, endCol: col + 10 },
  };
}

const policy: SeverityPolicy = { minimumSeverity: 'medium', raiseInAiCode: true, overrides: {} };
const ai = { range: { startLine: 2, startCol: 0, endLine: 6, endCol: 0 }, source: 'live', tool: 'Copilot' };

describe('document report', () => {
  const findings = [finding('py.torch-load', 3, 'high'), finding('py.yaml-load', 4, 'low'), finding('py.eval', 6, 'high', 4), finding('py.md5', 0, 'low')];

  it('raises findings inside the AI range and drops those below the minimum elsewhere', () => {
    const r = buildDocumentReport({ text: TEXT, findings, aiRanges: [ai], policy, reviews: emptyReviewFile() });
    assert.deepEqual(r.findings.map((f) => [f.finding.ruleId, f.severity, f.ai !== undefined]), [
      ['py.torch-load', 'critical', true],
      ['py.yaml-load', 'medium', true],
      ['py.eval', 'high', false],
    ]);
  });

  it('makes one flagged snippet for the AI range with a preview of its first line', () => {
    const r = buildDocumentReport({ text: TEXT, findings, aiRanges: [ai], policy, reviews: emptyReviewFile() });
    assert.equal(r.snippets.length, 1);
    assert.equal(r.snippets[0].findings.length, 2);
    assert.equal(r.snippets[0].preview, 'def load(p):');
    assert.equal(unreviewed(r.snippets).length, 1);
  });

  it('finds the decision again after the snippet moved down the file', () => {
    const first = buildDocumentReport({ text: TEXT, findings, aiRanges: [ai], policy, reviews: emptyReviewFile() });
    const reviews = recordDecision(emptyReviewFile(), first.snippets[0].key, { status: 'reviewed' });
    const shift = (f: Finding): Finding => ({ ...f, range: { ...f.range, startLine: f.range.startLine + 3, endLine: f.range.endLine + 3 } });
    const movedAi = { ...ai, range: { ...ai.range, startLine: 5, endLine: 9 } };
    const moved = buildDocumentReport({ text: '# a\n# b\n# c\n' + TEXT, findings: findings.map(shift), aiRanges: [movedAi], policy, reviews });
    assert.equal(moved.snippets[0].decision?.status, 'reviewed');
    assert.equal(unreviewed(moved.snippets).length, 0);
  });

  it('does not flag an AI range whose findings are all below the minimum', () => {
    const r = buildDocumentReport({ text: TEXT, findings: [finding('py.x', 3, 'info')], aiRanges: [ai], policy: { ...policy, minimumSeverity: 'high' }, reviews: emptyReviewFile() });
    assert.equal(r.snippets.length, 0);
  });

  it('extracts text in a range with end-exclusive columns', () => {
    const lines = ['abcdef', 'ghij', 'klm'];
    assert.equal(textInRange(lines, { startLine: 0, startCol: 2, endLine: 0, endCol: 4 }), 'cd');
    assert.equal(textInRange(lines, { startLine: 0, startCol: 4, endLine: 2, endCol: 1 }), 'ef\nghij\nk');
    assert.equal(textInRange(lines, { startLine: 1, startCol: 0, endLine: 3, endCol: 0 }), 'ghij\nklm');
  });
});
