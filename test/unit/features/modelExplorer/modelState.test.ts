import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeState, fileState, statusText, summarize, type ModelState } from '../../../../src/features/modelExplorer/modelState';
import { compareSnapshot, takeSnapshot } from '../../../../src/features/modelExplorer/snapshot';

const verified: ModelState = { kind: 'verified', signer: { method: 'key', label: 'alice.pub' }, verifiedAt: '2026-01-01T00:00:00Z' };
const modified: ModelState = { kind: 'modified', changed: ['a.bin'], added: ['new.txt'], missing: ['gone.bin'], source: 'verification' };

describe('model states', () => {
  it('summarises the workspace as the status bar shows it', () => {
    const c = summarize([verified, verified, verified, modified, { kind: 'untrusted', code: 'UNTRUSTED_SIGNER', message: '', hint: '' }, { kind: 'unsigned' }]);
    assert.deepEqual(c, { verified: 3, failed: 1, attention: 1, unsigned: 1, total: 6 });
    assert.equal(statusText(c), '✓ 3 ✗ 1 ! 1');
    assert.equal(statusText(summarize([verified])), '✓ 1');
  });

  it('gives each file of a modified model its own state', () => {
    assert.equal(fileState(modified, 'a.bin', 'model.sig'), 'changed');
    assert.equal(fileState(modified, 'new.txt', 'model.sig'), 'added');
    assert.equal(fileState(modified, 'gone.bin', 'model.sig'), 'missing');
    assert.equal(fileState(modified, 'ok.bin', 'model.sig'), 'verified');
    assert.equal(fileState(modified, 'model.sig', 'model.sig'), 'signature');
    assert.equal(fileState({ kind: 'unsigned' }, 'x', 'model.sig'), 'unsigned');
  });

  it('describes states in words, with counts', () => {
    assert.equal(describeState(verified), 'verified · key · alice.pub');
    assert.equal(describeState(modified), 'modified · 3 files differ from the signature');
    assert.equal(describeState({ kind: 'invalid', code: 'SIGNATURE_INVALID', message: 'x' }), 'invalid · SIGNATURE_INVALID');
  });
});

describe('stat snapshots', () => {
  it('tells changed, added and missing files apart without hashing, ignoring the signature file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-snap-'));
    fs.writeFileSync(path.join(dir, 'a.bin'), 'aaaa');
    fs.writeFileSync(path.join(dir, 'b.bin'), 'bbbb');
    fs.writeFileSync(path.join(dir, 'model.sig'), '{}');
    const snap = await takeSnapshot(dir, 'model.sig');
    assert.deepEqual(Object.keys(snap).sort(), ['a.bin', 'b.bin']);
    assert.deepEqual(await compareSnapshot(dir, snap, 'model.sig'), { changed: [], added: [], missing: [] });
    fs.appendFileSync(path.join(dir, 'a.bin'), 'x');
    fs.rmSync(path.join(dir, 'b.bin'));
    fs.writeFileSync(path.join(dir, 'c.bin'), 'c');
    fs.writeFileSync(path.join(dir, 'model.sig'), '{"changed":true}');
    assert.deepEqual(await compareSnapshot(dir, snap, 'model.sig'), { changed: ['a.bin'], added: ['c.bin'], missing: ['b.bin'] });
  });
});
