import assert from 'node:assert/strict';
import { findingAnchor, normalizeSnippet, snippetFingerprint, snippetKey } from '../../../../src/core/review';

const SNIPPET = 'def load(path):\n    import torch\n    return torch.load(path)\n';

describe('snippet fingerprints', () => {
  describe('when the snippet is moved or re-indented', () => {
    it('keeps the same fingerprint', () => {
      const moved = '\n\n' + SNIPPET.split('\n').map((l) => (l ? '        ' + l : l)).join('\r\n') + '\n\n';
      assert.equal(snippetFingerprint(moved), snippetFingerprint(SNIPPET));
    });
    it('ignores blank lines and runs of spaces inside a line', () => {
      assert.equal(normalizeSnippet('a  =  1\n\n\tb = 2 '), 'a = 1\nb = 2');
    });
  });

  describe('when the code changes', () => {
    it('changes the fingerprint', () => {
      assert.notEqual(snippetFingerprint(SNIPPET.replace('torch.load(path)', 'torch.load(path, weights_only=True)')), snippetFingerprint(SNIPPET));
    });
    it('does not treat a line split as a move', () => {
      assert.notEqual(snippetFingerprint('a = f(x,\ny)'), snippetFingerprint('a = f(x, y)'));
    });
  });

  it('has the documented shape', () => {
    assert.match(snippetFingerprint(SNIPPET), /^s1:[0-9a-f]{24}$/);
    assert.match(findingAnchor('py.torch-load', 'torch.load(p)'), /^a1:py\.torch-load:[0-9a-f]{24}$/);
  });

  it('binds anchors to both the rule and the flagged text', () => {
    assert.notEqual(findingAnchor('r1', 'x'), findingAnchor('r2', 'x'));
    assert.notEqual(findingAnchor('r1', 'x'), findingAnchor('r1', 'y'));
  });

  it('sorts and de-duplicates anchors in a snippet key', () => {
    const k = snippetKey(SNIPPET, [
      { ruleId: 'b', flaggedText: 'y' },
      { ruleId: 'a', flaggedText: 'x' },
      { ruleId: 'b', flaggedText: '  y' },
    ]);
    assert.equal(k.anchors.length, 2);
    assert.deepEqual(k.anchors, [...k.anchors].sort());
  });
});
