import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, waitFor, ws } from './helpers';

interface ModelSafetyTestApi {
  whenIdle(): Promise<void>;
  report(fsPath: string): { verdict: string; summary: string; globals: Array<{ module: string; name: string; verdict: string; locations: Array<{ offset: number }> }> } | undefined;
  decoration(uri: vscode.Uri): { badge?: string; tooltip?: string } | undefined;
  statusText(): string | undefined;
}

async function api(): Promise<ModelSafetyTestApi> {
  const a = (await activate()).modelSafety as ModelSafetyTestApi | undefined;
  if (!a) throw new Error('the extension exports no modelSafety API');
  return a;
}

/** Protocol-0 pickle: GLOBAL os.system, MARK, STRING, TUPLE, REDUCE, STOP (what `__reduce__` to os.system produces). */
const EVIL_PICKLE = Buffer.from("cos\nsystem\n(S'echo owned'\ntR.", 'latin1');

describe('Model file safety in a real VS Code host', function () {
  this.timeout(120_000);
  const evil = () => ws('models', 'evil-pickle', 'model.pkl');

  before(async () => {
    fs.mkdirSync(path.dirname(evil()), { recursive: true });
    fs.writeFileSync(evil(), EVIL_PICKLE);
    fs.writeFileSync(path.join(path.dirname(evil()), 'config.json'), '{"model_type": "demo"}\n');
    await (await api()).whenIdle();
    await vscode.commands.executeCommand('trustlens.modelSafety.scanWorkspace');
  });

  // Later suites (the reopen phase) count model folders: leave the workspace as generated.
  after(() => fs.rmSync(path.dirname(evil()), { recursive: true, force: true }));

  it('finds the dangerous pickle and names the imported global with its offset', async () => {
    const { value: report } = await waitFor(async () => (await api()).report(evil()), 20_000, 'the pickle verdict');
    assert.ok(report);
    assert.equal(report.verdict, 'dangerous');
    const g = report.globals.find((x) => x.name === 'system');
    assert.ok(g, JSON.stringify(report.globals));
    assert.match(g.module, /^(os|posix)$/);
    assert.equal(g.verdict, 'dangerous');
    assert.equal(g.locations[0]?.offset, 0);
  });

  it('puts the dangerous badge on the file and on its folders', async () => {
    const a = await api();
    assert.equal(a.decoration(vscode.Uri.file(evil()))?.badge, '☠');
    assert.match(a.decoration(vscode.Uri.file(evil()))?.tooltip ?? '', /Dangerous to load/);
    assert.equal(a.decoration(vscode.Uri.file(path.dirname(evil())))?.badge, '☠');
    assert.equal(a.decoration(vscode.Uri.file(ws('models')))?.badge, '☠');
  });

  it('leaves a safe safetensors file without a safety badge', async () => {
    const file = ws('models', 'bert-signed', 'model.safetensors');
    const { value: report } = await waitFor(async () => (await api()).report(file), 20_000, 'the safetensors verdict');
    assert.equal(report?.verdict, 'safe');
    assert.equal((await api()).decoration(vscode.Uri.file(file))?.badge, undefined);
  });

  it('counts dangerous files in the status bar', async () => {
    assert.match((await api()).statusText() ?? '', /^\$\(error\) \d+ dangerous model files?$/);
  });

  it('answers the verdict for the model explorer', async () => {
    const v = await vscode.commands.executeCommand<{ verdict: string; summary: string }>('trustlens.modelSafety.verdictFor', vscode.Uri.file(path.dirname(evil())));
    assert.equal(v?.verdict, 'dangerous');
  });

  it('checks every model file of the workspace without stalling the extension host', async () => {
    let maxGap = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    try {
      const t0 = Date.now();
      const r = await vscode.commands.executeCommand<{ files: number; dangerous: number }>('trustlens.modelSafety.scanWorkspace');
      console.log(`[measure] model safety: ${r?.files} model files checked in ${Date.now() - t0} ms; max extension-host event-loop gap ${maxGap} ms`);
      assert.ok((r?.dangerous ?? 0) >= 1);
      assert.ok(maxGap < 250, `the extension host was blocked for ${maxGap} ms`);
    } finally {
      clearInterval(timer);
    }
  });

  it('refuses to let the folder be signed when the setting says so', async () => {
    await vscode.workspace.getConfiguration('trustlens.modelSafety').update('refuseSigningDangerous', true, vscode.ConfigurationTarget.Workspace);
    try {
      await new Promise((r) => setTimeout(r, 200));
      const ok = await vscode.commands.executeCommand<boolean>('trustlens.modelSafety.checkFolderBeforeSigning', vscode.Uri.file(path.dirname(evil())));
      assert.equal(ok, false);
      const safe = await vscode.commands.executeCommand<boolean>('trustlens.modelSafety.checkFolderBeforeSigning', vscode.Uri.file(ws('models', 'bert-signed')));
      assert.equal(safe, true);
      // The model explorer's Sign Model… goes through the same check: nothing is signed or written.
      const folder = path.dirname(evil());
      const sigPath = path.join(folder, 'model.sig');
      const signed = await vscode.commands.executeCommand('trustlens.signModel', vscode.Uri.file(folder), { method: 'key', privateKeyPath: ws('keys', 'trusted.key.pem'), overwrite: true });
      assert.equal(signed, undefined);
      assert.equal(fs.existsSync(sigPath), false, 'no signature may be written for a refused folder');
    } finally {
      await vscode.workspace.getConfiguration('trustlens.modelSafety').update('refuseSigningDangerous', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
