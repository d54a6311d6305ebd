import assert from 'node:assert/strict';
import {
  emptyReviewFile,
  findDecision,
  parseReviewFile,
  recordDecision,
  removeDecision,
  ReviewStoreError,
  serializeReviewFile,
  snippetKey,
} from '../../../../src/core/review';

const CODE = 'import yaml\ncfg = yaml.load(open(p))\n';
const key = snippetKey(CODE, [{ ruleId: 'py.yaml-load', flaggedText: 'cfg = yaml.load(open(p))' }]);
const T0 = '2026-11-21T10:00:00.000Z';

describe('review store', () => {
  describe('when a decision is recorded', () => {
    it('finds it again by the snippet text, wherever the snippet now is', () => {
      const file = recordDecision(emptyReviewFile(), key, { status: 'reviewed', file: 'a.py', decidedAt: T0 });
      const movedKey = snippetKey('\n\n    import yaml\n    cfg = yaml.load(open(p))', [{ ruleId: 'py.yaml-load', flaggedText: '    cfg = yaml.load(open(p))' }]);
      assert.equal(findDecision(file, movedKey, 'b.py')?.status, 'reviewed');
    });

    it('finds it by its finding anchors after other lines of the snippet were edited', () => {
      const file = recordDecision(emptyReviewFile(), key, { status: 'fixed', decidedAt: T0 });
      const edited = snippetKey('import yaml  # config\nimport os\ncfg = yaml.load(open(p))', [{ ruleId: 'py.yaml-load', flaggedText: 'cfg = yaml.load(open(p))' }]);
      assert.notEqual(edited.fingerprint, key.fingerprint);
      assert.equal(findDecision(file, edited)?.status, 'fixed');
    });

    it('does not match a snippet whose flagged line changed', () => {
      const file = recordDecision(emptyReviewFile(), key, { status: 'reviewed', decidedAt: T0 });
      const other = snippetKey('x = yaml.load(s)', [{ ruleId: 'py.yaml-load', flaggedText: 'x = yaml.load(s)' }]);
      assert.equal(findDecision(file, other), undefined);
    });

    it('replaces the earlier decision for the same snippet', () => {
      let file = recordDecision(emptyReviewFile(), key, { status: 'reviewed', decidedAt: T0 });
      file = recordDecision(file, key, { status: 'dismissed', reason: 'test fixture only', decidedAt: '2026-11-21T11:00:00.000Z' });
      assert.equal(file.decisions.length, 1);
      assert.equal(findDecision(file, key)?.reason, 'test fixture only');
    });

    it('refuses a dismissal without a reason', () => {
      assert.throws(() => recordDecision(emptyReviewFile(), key, { status: 'dismissed', reason: '   ' }), (e) => ReviewStoreError.is(e, 'REVIEW_DECISION_INVALID'));
    });

    it('can be removed', () => {
      const file = recordDecision(emptyReviewFile(), key, { status: 'reviewed', decidedAt: T0 });
      assert.equal(findDecision(removeDecision(file, key), key), undefined);
    });
  });

  describe('when the file is written and read back', () => {
    it('round-trips and is deterministic', () => {
      const k2 = snippetKey('eval(x)', [{ ruleId: 'py.eval', flaggedText: 'eval(x)' }]);
      const a = recordDecision(recordDecision(emptyReviewFile(), key, { status: 'reviewed', decidedAt: T0 }), k2, { status: 'fixed', decidedAt: T0 });
      const b = recordDecision(recordDecision(emptyReviewFile(), k2, { status: 'fixed', decidedAt: T0 }), key, { status: 'reviewed', decidedAt: T0 });
      const text = serializeReviewFile(a);
      assert.equal(text, serializeReviewFile(b));
      assert.ok(text.endsWith('\n'));
      assert.deepEqual(parseReviewFile(text), a.decisions.length === 2 ? parseReviewFile(serializeReviewFile(b)) : undefined);
      assert.equal(findDecision(parseReviewFile(text), k2)?.status, 'fixed');
    });

    it('treats an empty file as no decisions', () => {
      assert.deepEqual(parseReviewFile('  \n'), emptyReviewFile());
    });
  });

  describe('when the file is malformed', () => {
    it('reports non-JSON with a coded error', () => {
      assert.throws(() => parseReviewFile('{ "version": 1,'), (e) => ReviewStoreError.is(e, 'REVIEW_FILE_NOT_JSON'));
    });
    it('names the failing field', () => {
      const bad = JSON.stringify({ version: 1, decisions: [{ fingerprint: 'nope', anchors: [], status: 'reviewed', decidedAt: T0 }] });
      assert.throws(() => parseReviewFile(bad), (e: unknown) => ReviewStoreError.is(e, 'REVIEW_FILE_INVALID') && /decisions\.0\.fingerprint/.test((e as Error).message));
    });
    it('rejects an unknown version and an unknown status', () => {
      assert.throws(() => parseReviewFile('{"version":2,"decisions":[]}'), (e) => ReviewStoreError.is(e, 'REVIEW_FILE_INVALID'));
      const bad = JSON.stringify({ version: 1, decisions: [{ fingerprint: key.fingerprint, anchors: key.anchors, status: 'ignored', decidedAt: T0 }] });
      assert.throws(() => parseReviewFile(bad), (e) => ReviewStoreError.is(e, 'REVIEW_FILE_INVALID'));
    });
  });
});
