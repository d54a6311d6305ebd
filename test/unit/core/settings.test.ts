import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultSettings, mergeTrustLists, parseSettings, SETTING_SCHEMAS, type SettingKey } from '../../../src/core/settings';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const props: Record<string, { default?: unknown; markdownDescription?: string; scope?: string }> = pkg.contributes.configuration.properties;

describe('settings schema', () => {
  it('declares every setting in package.json with a markdownDescription and a scope', () => {
    for (const key of Object.keys(SETTING_SCHEMAS)) {
      const p = props[`trustlens.${key}`];
      assert.ok(p, `trustlens.${key} missing from package.json`);
      assert.ok(p.markdownDescription && p.markdownDescription.length > 20, `trustlens.${key} has no markdownDescription`);
      assert.ok(p.scope, `trustlens.${key} has no scope`);
    }
  });

  it('has the same defaults as package.json', () => {
    const d = defaultSettings();
    for (const key of Object.keys(SETTING_SCHEMAS) as SettingKey[]) {
      assert.deepEqual(d[key], props[`trustlens.${key}`]!.default, `default of trustlens.${key}`);
    }
  });

  describe('when a value is invalid', () => {
    it('falls back to the default for that setting only and names it in one issue', () => {
      const { settings, issues } = parseSettings({ 'models.maxEntries': 'lots', 'models.include': ['**/*.w'] });
      assert.equal(settings['models.maxEntries'], 200_000);
      assert.deepEqual(settings['models.include'], ['**/*.w']);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.setting, 'trustlens.models.maxEntries');
    });

    it('rejects a signature file name with a path separator', () => {
      const { settings, issues } = parseSettings({ 'signing.signatureFileName': '../model.sig' });
      assert.equal(settings['signing.signatureFileName'], 'model.sig');
      assert.match(issues[0]!.message, /plain file name/);
    });

    it('rejects a Sigstore identity without an issuer URL, pointing at the entry', () => {
      const { settings, issues } = parseSettings({ 'trust.sigstoreIdentities': [{ identity: 'a@b.c', issuer: 'not a url' }] });
      assert.deepEqual(settings['trust.sigstoreIdentities'], []);
      assert.equal(issues[0]!.setting, 'trustlens.trust.sigstoreIdentities');
      assert.match(issues[0]!.message, /0\.issuer/);
    });

    it('never throws on arbitrary input', () => {
      for (const v of [null, 42, 'x', [1, 2], { a: 1 }, true]) {
        const raw = Object.fromEntries(Object.keys(SETTING_SCHEMAS).map((k) => [k, v]));
        assert.doesNotThrow(() => parseSettings(raw));
      }
    });
  });
});

describe('trust lists across setting scopes', () => {
  const scopes = { globalValue: ['user.pem'], workspaceValue: ['repo.pem', 'user.pem'], workspaceFolderValue: ['folder.pem'] };
  it('adds user, workspace and folder values up (without duplicates) in a trusted workspace', () => {
    assert.deepEqual(mergeTrustLists(scopes, true), ['user.pem', 'repo.pem', 'folder.pem']);
  });
  it('ignores workspace and folder values in an untrusted workspace (Restricted Mode)', () => {
    assert.deepEqual(mergeTrustLists(scopes, false), ['user.pem']);
    assert.equal(mergeTrustLists({ workspaceValue: ['repo.pem'] }, false), undefined);
  });
  it('passes a malformed value through so that validation names the setting', () => {
    const raw = mergeTrustLists({ globalValue: ['a.pem'], workspaceValue: 'b.pem' }, true);
    assert.equal(raw, 'b.pem');
    assert.equal(parseSettings({ 'trust.publicKeys': raw }).issues[0]!.setting, 'trustlens.trust.publicKeys');
  });
});

