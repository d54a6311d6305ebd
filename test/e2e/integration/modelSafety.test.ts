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

/** Protocol-4 pickle of a dict with `items` str→int entries, 1000 per MARK…SETITEMS batch, keys memoized. */
function bigDictPickle(items: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 4, 0x7d, 0x94])]; // PROTO 4, EMPTY_DICT, MEMOIZE
  for (let i = 0; i < items; i += 1000) {
    const batch: Buffer[] = [Buffer.from('(')];
    for (let k = i; k < Math.min(items, i + 1000); k++) {
      const key = Buffer.from(`layer.${k}`, 'latin1');
      const v = Buffer.alloc(5);
      v[0] = 0x4a; // BININT
      v.writeInt32LE(k, 1);
      batch.push(Buffer.from([0x8c, key.length]), key, Buffer.from([0x94]), v); // SHORT_BINUNICODE, MEMOIZE
    }
    batch.push(Buffer.from('u')); // SETITEMS
    parts.push(...batch);
  }
  parts.push(Buffer.from('.'));
  return Buffer.concat(parts);
}

/**
 * 598 bytes: a zip holding a deflated zip whose deflated data.pkl is a 60 MB pickle (30M NONE+POP
 * pairs). Checking it inflates and walks 60 MB in memory with no I/O to yield on: seconds of
 * synchronous CPU, which froze the extension host for the whole check when it ran in-process.
 */
const NESTED_ZIP_B64 = [
  'UEsDBBQAAAAIAAAAAADsabXy4gEAAG7kAAAJAAAAaW5uZXIuemlw7d2/S9RhHMDx57zzRxnShWGEgaUtDecqCHHElYKLgkGLyBcVlHM4RI6iQR0OnUK4/8Ah',
  'pCUXJwfBpdamQiQIHXWxSRC/8bUxGr98QV6v6Xk+PH/Bmwc+42P5QncIoSMkho/WmqfHIRTWm/m7IYRoaWZ+oT43OBstR6VadfH0IHcrhDv5vrdbT999fDld',
  '/PazPQAAAAA33IO9WrklOZzE1ZHKawAAAOCma0wN9eWSGHAe7/ZvfQIAAABuuoNS7+b1F4GL+LA4kXWaAAAAAFIX9XSNJi1g9XLlbGM76zQBAAAApG6ns30g',
  'iQHlq/16ZTLrNAEAAACk7kcjfy+JAX3x9PCTrMsEAAAAkLpnf/cLhrAZf35UzLpMAAAAAKm7X/+1WkhiwNf4+4eNrNMEAAAAkLrbe7VySxIDTuLqSCXrNAEA',
  'AACkrjE11JdLYsB5vNu/lXWaAAAAAFJ3UOrdTFpAuIgPixNZpwkAAAAgdVFP12jSAlYvV842trNOEwAAAEDqdjrbB5IYUL7ar1cms04TAAAAQOoOG/nHIYS2',
  'F69+f3nfyC23BuB/am/Gx3It3aE7hNBxPRk+WmueHodQWG/m7/7zPlqamV+ozw3ORstRqVZdHB9rbUvmuZALz0MID0+S2x9QSwECFAAUAAAACAAAAAAA7Gm1',
  '8uIBAABu5AAACQAAAAAAAAAAAAAAAAAAAAAAaW5uZXIuemlwUEsFBgAAAAABAAEANwAAAAkCAAAAAA==',
].join('');

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
    // A ~24 MB pickle (a dict of 1.2M str→int items in SETITEMS batches, as Python writes them): the
    // check takes hundreds of ms of CPU, which must run in the worker thread, not on the host.
    const big = ws('models', 'big-pickle', 'state.pkl');
    fs.mkdirSync(path.dirname(big), { recursive: true });
    fs.writeFileSync(big, bigDictPickle(1_200_000));
    const nested = path.join(path.dirname(big), 'nested.pt');
    fs.writeFileSync(nested, Buffer.from(NESTED_ZIP_B64, 'base64'));
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
      const bigReport = (await api()).report(big) as { verdict: string; size?: number; durationMs?: number } | undefined;
      console.log(`[measure] model safety: ${bigReport?.size} byte pickle checked in ${bigReport?.durationMs} ms (${bigReport?.verdict})`);
      assert.equal(bigReport?.verdict, 'safe');
      const nestedReport = (await api()).report(nested) as { format?: string; durationMs?: number } | undefined;
      console.log(`[measure] model safety: 598-byte nested zip (60 MB pickle inside) checked in ${nestedReport?.durationMs} ms (${nestedReport?.format})`);
      assert.ok(nestedReport, 'the nested archive was checked');
      assert.ok(maxGap < 250, `the extension host was blocked for ${maxGap} ms`);
    } finally {
      clearInterval(timer);
      fs.rmSync(path.dirname(big), { recursive: true, force: true });
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
