import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listFiles, model, modelsApi, setSetting, stateOf, waitFor, ws } from './helpers';
import type { ModelState } from '../../../src/features/modelExplorer/modelState';

describe('Model explorer on the generated sample workspace', function () {
  this.timeout(120_000);

  before(async () => {
    const api = await modelsApi();
    await api.whenIdle();
  });

  describe('when the workspace opens', () => {
    it('discovers the five model folders and none of the non-model folders', async () => {
      const folders = (await modelsApi()).list().map((m) => path.relative(ws(), m.folder)).sort();
      assert.deepEqual(folders, ['models/bert-signed', 'models/huge-sparse', 'models/llama-unsigned', 'models/resnet-tampered', 'models/whisper-untrusted']);
    });

    it('shows each model in the state its files and signature call for', async () => {
      const s = async (n: Parameters<typeof model>[0]) => (await stateOf(model(n)))?.kind;
      assert.equal(await s('bert-signed'), 'verified');
      assert.equal(await s('huge-sparse'), 'verified');
      assert.equal(await s('llama-unsigned'), 'unsigned');
      assert.equal(await s('resnet-tampered'), 'modified');
      assert.equal(await s('whisper-untrusted'), 'untrusted');
    });

    it('names the changed file of the tampered model', async () => {
      const st = (await stateOf(model('resnet-tampered'))) as Extract<ModelState, { kind: 'modified' }>;
      assert.deepEqual(st.changed, ['model.onnx']);
      assert.deepEqual(st.added, []);
      assert.deepEqual(st.missing, []);
    });

    it('says what to configure for the untrusted signer', async () => {
      const st = (await stateOf(model('whisper-untrusted'))) as Extract<ModelState, { kind: 'untrusted' }>;
      assert.match(st.hint, /trustlens\.trust\.publicKeys/);
    });

    it('puts theme-coloured badges with tooltips on folders and files', async () => {
      const api = await modelsApi();
      const deco = (p: string) => api.decoration(vscode.Uri.file(p));
      assert.equal(deco(model('bert-signed'))?.badge, '✓');
      assert.match(deco(model('bert-signed'))?.tooltip ?? '', /verified/);
      assert.equal(deco(path.join(model('bert-signed'), 'model.safetensors'))?.badge, '✓');
      assert.equal(deco(model('resnet-tampered'))?.badge, '!');
      assert.equal(deco(path.join(model('resnet-tampered'), 'model.onnx'))?.badge, '!');
      assert.equal(deco(model('whisper-untrusted'))?.badge, '?');
      assert.equal(deco(model('llama-unsigned')), undefined, 'unsigned badge is off by default');
    });

    it('summarises the workspace in the status bar', async () => {
      assert.equal((await modelsApi()).statusText(), '✓ 2 ✗ 1 ! 1');
    });
  });

  describe('Show Signature Details', () => {
    it('decodes the bundle: key method, serialization, and recorded vs current digests', async () => {
      await vscode.commands.executeCommand('trustlens.showSignatureDetails', vscode.Uri.file(model('resnet-tampered')));
      const d = (await modelsApi()).shownDetails() as { method: string; serialization: { method: string; hash_type: string }; resources: { name: string; recorded: string; current?: string }[] };
      assert.equal(d.method, 'key');
      assert.equal(d.serialization.method, 'files');
      assert.equal(d.serialization.hash_type, 'sha256');
      const byName = Object.fromEntries(d.resources.map((r) => [r.name, r]));
      assert.deepEqual(Object.keys(byName).sort(), ['labels.txt', 'model.onnx']);
      assert.equal(byName['labels.txt']!.recorded, byName['labels.txt']!.current);
      assert.notEqual(byName['model.onnx']!.recorded, byName['model.onnx']!.current);
    });
  });

  describe('Sign Model…', () => {
    it('signs an unsigned folder with a private key, writes only model.sig, and verifies it', async () => {
      const dir = model('llama-unsigned');
      const before = listFiles(dir);
      const state = (await vscode.commands.executeCommand('trustlens.signModel', vscode.Uri.file(dir), { method: 'key', privateKeyPath: ws('keys', 'trusted.key.pem') })) as ModelState;
      assert.deepEqual(listFiles(dir), [...before, 'model.sig'].sort());
      assert.equal(state?.kind, 'verified');
      assert.equal((await stateOf(dir))?.kind, 'verified');
      const bundle = JSON.parse(fs.readFileSync(path.join(dir, 'model.sig'), 'utf8'));
      assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    });

    it('reports a wrong key file as an error without writing anything', async () => {
      const dir = model('bert-signed');
      const sigBefore = fs.readFileSync(path.join(dir, 'model.sig'));
      const state = await vscode.commands.executeCommand('trustlens.signModel', vscode.Uri.file(dir), { method: 'key', privateKeyPath: ws('keys', 'trusted.pub.pem'), overwrite: true });
      assert.equal(state, undefined);
      assert.deepEqual(fs.readFileSync(path.join(dir, 'model.sig')), sigBefore, 'existing signature untouched');
    });
  });

  describe('Trust', () => {
    it('verifies the untrusted model once its key is trusted, and not after it is removed', async () => {
      const dir = vscode.Uri.file(model('whisper-untrusted'));
      await setSetting('trust.publicKeys', ['keys/trusted.pub.pem', 'keys/untrusted.pub.pem']);
      const ok = (await vscode.commands.executeCommand('trustlens.verifyModel', dir, { quiet: true })) as ModelState;
      assert.equal(ok.kind, 'verified');
      await setSetting('trust.publicKeys', ['keys/trusted.pub.pem']);
      const again = (await vscode.commands.executeCommand('trustlens.verifyModel', dir, { quiet: true })) as ModelState;
      assert.equal(again.kind, 'untrusted');
      await (await modelsApi()).whenIdle();
    });

    it('adds a key trusted in the user settings to the workspace\'s trusted keys (lists add up)', async () => {
      const dir = vscode.Uri.file(model('whisper-untrusted'));
      const config = vscode.workspace.getConfiguration('trustlens');
      await config.update('trust.publicKeys', [ws('keys', 'untrusted.pub.pem')], vscode.ConfigurationTarget.Global);
      try {
        const ok = (await vscode.commands.executeCommand('trustlens.verifyModel', dir, { quiet: true })) as ModelState;
        assert.equal(ok.kind, 'verified');
        assert.equal((await vscode.commands.executeCommand('trustlens.verifyModel', vscode.Uri.file(model('huge-sparse')), { quiet: true }) as ModelState).kind, 'verified', 'the workspace key still counts');
      } finally {
        await config.update('trust.publicKeys', undefined, vscode.ConfigurationTarget.Global);
      }
      assert.equal(((await vscode.commands.executeCommand('trustlens.verifyModel', dir, { quiet: true })) as ModelState).kind, 'untrusted');
      await (await modelsApi()).whenIdle(); // trust changes re-verify every model in the background
    });
  });

  describe('file watcher', () => {
    it('turns a verified model "modified" within a second of a change on disk, without re-hashing', async () => {
      const dir = model('bert-signed');
      assert.equal((await stateOf(dir))?.kind, 'verified');
      fs.appendFileSync(path.join(dir, 'tokenizer.json'), ' ');
      const { value, ms } = await waitFor(async () => {
        const s = await stateOf(dir);
        return s?.kind === 'modified' ? s : undefined;
      }, 5000, 'modified state');
      console.log(`      modified state after ${ms} ms`);
      assert.ok(ms < 1000, `took ${ms} ms`);
      assert.deepEqual(value.changed, ['tokenizer.json']);
      assert.equal(value.source, 'watcher');
    });

    it('reports an added file and a deleted file', async () => {
      const dir = model('bert-signed');
      fs.writeFileSync(path.join(dir, 'extra.bin'), 'x');
      fs.rmSync(path.join(dir, 'config.json'));
      const { value } = await waitFor(async () => {
        const s = await stateOf(dir);
        return s?.kind === 'modified' && s.added.includes('extra.bin') && s.missing.includes('config.json') ? s : undefined;
      }, 5000, 'added + missing');
      assert.deepEqual(value.changed, ['tokenizer.json']);
    });

    it('confirms the change with a full Verify Model (content mismatch per file)', async () => {
      const st = (await vscode.commands.executeCommand('trustlens.verifyModel', vscode.Uri.file(model('bert-signed')), { quiet: true })) as Extract<ModelState, { kind: 'modified' }>;
      assert.equal(st.kind, 'modified');
      assert.equal(st.source, 'verification');
      assert.deepEqual(st.changed, ['tokenizer.json']);
      assert.deepEqual(st.added, ['extra.bin']);
      assert.deepEqual(st.missing, ['config.json']);
    });

    it('marks a model unsigned when its signature file is deleted', async () => {
      const dir = model('resnet-tampered');
      fs.rmSync(path.join(dir, 'model.sig'));
      await waitFor(async () => (await stateOf(dir))?.kind === 'unsigned', 5000, 'unsigned');
    });
  });

  describe('cancellation', () => {
    it('stops verifying a huge model when cancelled and keeps its previous state', async () => {
      const dir = model('huge-sparse');
      const before = await stateOf(dir);
      const ctrl = new AbortController();
      const t0 = Date.now();
      const p = vscode.commands.executeCommand('trustlens.verifyModel', vscode.Uri.file(dir), { signal: ctrl.signal, quiet: true });
      setTimeout(() => ctrl.abort(), 30);
      const st = (await p) as ModelState | undefined;
      const ms = Date.now() - t0;
      console.log(`      cancelled after ${ms} ms`);
      assert.notEqual(st?.kind, 'verifying');
      assert.deepEqual((await stateOf(dir))?.kind, before?.kind);
    });
  });

  describe('settings', () => {
    it('warns about a bad value, names the setting, and keeps working with the default', async () => {
      await setSetting('models.maxEntries', 'lots');
      await setSetting('signing.signatureFileName', '../evil.sig');
      const issues = (await modelsApi()).settingsIssues().map((i) => i.setting).sort();
      assert.deepEqual(issues, ['trustlens.models.maxEntries', 'trustlens.signing.signatureFileName']);
      await vscode.commands.executeCommand('trustlens.refreshModels');
      assert.equal((await modelsApi()).list().length, 5, 'discovery still works with defaults');
      await setSetting('models.maxEntries', undefined);
      await setSetting('signing.signatureFileName', undefined);
      assert.deepEqual((await modelsApi()).settingsIssues(), []);
    });

    it('honours trustlens.models.exclude', async () => {
      await setSetting('models.exclude', ['**/huge-sparse']);
      await vscode.commands.executeCommand('trustlens.refreshModels');
      const names = (await modelsApi()).list().map((m) => path.basename(m.folder));
      assert.ok(!names.includes('huge-sparse'));
      await setSetting('models.exclude', undefined);
      await vscode.commands.executeCommand('trustlens.refreshModels');
      await (await modelsApi()).whenIdle();
      assert.equal((await stateOf(model('huge-sparse')))?.kind, 'verified');
    });
  });

  describe('certificate method', () => {
    // The model_signing test PKI from the shared vectors (root CA -> intermediate -> signing cert).
    const pki = path.resolve(__dirname, '../../../../shared/vectors/oms/model-transparency/scripts/tests/keys/certificate');
    const dir = () => ws('models', 'cert-signed');

    before(function () {
      if (!fs.existsSync(pki)) this.skip();
      fs.mkdirSync(dir(), { recursive: true });
      // A well-formed safetensors file: garbage would be (rightly) flagged dangerous by the pre-signing safety check.
      const header = Buffer.from(JSON.stringify({ w: { dtype: 'U8', shape: [2048], data_offsets: [0, 2048] } }));
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(header.length));
      fs.writeFileSync(path.join(dir(), 'model.safetensors'), Buffer.concat([len, header, Buffer.alloc(2048, 3)]));
    });
    after(async () => {
      fs.rmSync(dir(), { recursive: true, force: true });
      await setSetting('trust.certificateRoots', undefined);
      await (await modelsApi()).whenIdle();
    });

    it('signs with a certificate chain; cannot verify until the root CA is trusted, then verified with the subject', async () => {
      const signed = (await vscode.commands.executeCommand('trustlens.signModel', vscode.Uri.file(dir()), {
        method: 'certificate',
        privateKeyPath: path.join(pki, 'signing-key.pem'),
        certificatePath: path.join(pki, 'signing-key-cert.pem'),
        chainPaths: [path.join(pki, 'int-ca-cert.pem')],
      })) as ModelState;
      assert.equal(signed?.kind, 'untrusted', 'no certificate root configured yet');
      await setSetting('trust.certificateRoots', [path.join(pki, 'ca-cert.pem')]);
      const st = (await vscode.commands.executeCommand('trustlens.verifyModel', vscode.Uri.file(dir()), { quiet: true })) as ModelState;
      assert.equal(st.kind, 'verified');
      assert.ok(st.kind === 'verified' && st.signer.method === 'certificate' && st.signer.label.length > 0);
      await vscode.commands.executeCommand('trustlens.showSignatureDetails', vscode.Uri.file(dir()));
      const d = (await modelsApi()).shownDetails() as { method: string; certificates: { subject: string }[] };
      assert.equal(d.method, 'certificate');
      assert.ok(d.certificates.length >= 2, 'leaf and intermediate in the chain');
    });
  });
});

