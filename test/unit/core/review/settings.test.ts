import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AI_CODE_SETTINGS_SECTIONS, parseFindingsSettings, parseProvenanceSettings } from '../../../../src/core/review';

describe('AI code settings', () => {
  it('uses defaults for missing values', () => {
    const { settings, issues } = parseFindingsSettings(undefined);
    assert.deepEqual(issues, []);
    assert.equal(settings.enabled, true);
    assert.equal(settings.lensScope, 'aiOnly');
  });
  it('keeps good keys and reports each bad key with the expected values', () => {
    const { settings, issues } = parseFindingsSettings({ minimumSeverity: 'severe', debounceMs: 10, enabled: false });
    assert.equal(settings.enabled, false);
    assert.equal(settings.minimumSeverity, 'low');
    assert.equal(settings.debounceMs, 400);
    assert.equal(issues.length, 2);
    assert.match(issues.join('\n'), /trustlens\.findings\.minimumSeverity: "severe" is not valid .*critical.*; using "low"/);
    assert.match(issues.join('\n'), /trustlens\.findings\.debounceMs: 10/);
  });
  it('refuses a review file outside the workspace', () => {
    assert.equal(parseFindingsSettings({ reviewFile: '../x.json' }).issues.length, 1);
    assert.equal(parseFindingsSettings({ reviewFile: '/etc/x.json' }).issues.length, 1);
  });
  it('rejects an unknown language id', () => {
    assert.equal(parseFindingsSettings({ languages: ['python', 'cobol'] }).issues.length, 1);
  });
  it('validates provenance sources', () => {
    assert.equal(parseProvenanceSettings({ liveEdits: 'yes' }).settings.liveEdits, true);
  });

  describe('package.json contributes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));
    const props: Record<string, { default?: unknown }> = pkg.contributes?.configuration?.properties ?? {};
    for (const [section, schema] of Object.entries(AI_CODE_SETTINGS_SECTIONS)) {
      it(`declares every trustlens.${section}.* key with the schema default`, () => {
        const defaults = schema.parse({});
        for (const [key, value] of Object.entries(defaults)) {
          const decl = props[`trustlens.${section}.${key}`];
          assert.ok(decl, `trustlens.${section}.${key} missing from package.json`);
          assert.deepEqual(decl.default, value, `default of trustlens.${section}.${key}`);
        }
      });
    }
  });
});
