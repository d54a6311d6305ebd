import assert from 'node:assert/strict';
import { atLeast, diagnosticLevelFor, effectiveSeverity, type SeverityPolicy } from '../../../../src/core/review';

const base: SeverityPolicy = { minimumSeverity: 'low', raiseInAiCode: true, overrides: {} };
const f = { ruleId: 'py.yaml-load', cwe: 'CWE-502', severity: 'medium' as const };

describe('severity policy', () => {
  it('raises findings in AI-generated code by one step, capped at critical', () => {
    assert.equal(effectiveSeverity(f, true, base), 'high');
    assert.equal(effectiveSeverity(f, false, base), 'medium');
    assert.equal(effectiveSeverity({ ...f, severity: 'critical' }, true, base), 'critical');
  });
  it('does not raise when the setting is off', () => {
    assert.equal(effectiveSeverity(f, true, { ...base, raiseInAiCode: false }), 'medium');
  });
  it('applies a rule-id override before a CWE override', () => {
    assert.equal(effectiveSeverity(f, false, { ...base, overrides: { 'CWE-502': 'critical' } }), 'critical');
    assert.equal(effectiveSeverity(f, false, { ...base, overrides: { 'CWE-502': 'critical', 'py.yaml-load': 'low' } }), 'low');
  });
  it('drops findings below the minimum, after the AI raise', () => {
    const low = { ...f, severity: 'low' as const };
    const policy = { ...base, minimumSeverity: 'medium' as const };
    assert.equal(effectiveSeverity(low, false, policy), undefined);
    assert.equal(effectiveSeverity(low, true, policy), 'medium');
  });
  it('orders severities', () => {
    assert.ok(atLeast('high', 'medium'));
    assert.ok(!atLeast('info', 'low'));
  });
  it('maps severities to diagnostic levels', () => {
    assert.deepEqual(
      (['info', 'low', 'medium', 'high', 'critical'] as const).map(diagnosticLevelFor),
      ['hint', 'information', 'warning', 'error', 'error'],
    );
  });
});
