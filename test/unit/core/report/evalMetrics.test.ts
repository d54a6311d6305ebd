import { strict as assert } from 'node:assert';
import { cweMatches, precision, recall, tally, zero } from '../../../../scripts/eval/metrics';

describe('eval scoring', () => {
  it('matches a CWE to itself and to its documented family, not to unrelated CWEs', () => {
    assert.ok(cweMatches('CWE-89', 'CWE-89'));
    assert.ok(cweMatches('CWE-328', 'CWE-327'));
    assert.ok(cweMatches('CWE-95', 'CWE-94'));
    assert.ok(cweMatches('CWE-787', 'CWE-120'));
    assert.ok(cweMatches('CWE-259', 'CWE-798'));
    assert.equal(cweMatches('CWE-78', 'CWE-89'), false);
    assert.equal(cweMatches('CWE-79', 'CWE-502'), false);
    assert.equal(cweMatches('', 'CWE-89'), false);
  });
  it('computes precision and recall from tallies, undefined when there is nothing to divide', () => {
    const c = zero();
    assert.equal(precision(c), undefined);
    assert.equal(recall(c), undefined);
    tally(c, true, true); // tp
    tally(c, true, false); // fn
    tally(c, true, true); // tp
    tally(c, false, true); // fp
    tally(c, false, false); // tn
    assert.deepEqual(c, { tp: 2, fp: 1, fn: 1, tn: 1 });
    assert.equal(precision(c), 2 / 3);
    assert.equal(recall(c), 2 / 3);
  });
});
