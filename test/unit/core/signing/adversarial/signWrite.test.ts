import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createKeySigner, signModel, type ModelSigner } from '../../../../../src/core/signing';
import { makeModel, PRIV, removeTemp } from '../vectors';
import { keyVerify, expectValid } from './helpers';

describe('adversarial: signModel never destroys a user file', () => {
  const tmp: string[] = [];
  const track = (p: string) => (tmp.push(p), p);
  after(() => tmp.forEach(removeTemp));
  const signer = () => createKeySigner({ privateKeyPem: PRIV() });

  it('refuses --signature equal to a single-file model (the model would be replaced by the bundle)', async () => {
    const dir = track(makeModel({ 'weights.bin': 'precious weights' }));
    const file = path.join(dir, 'weights.bin');
    await assert.rejects(signModel({ modelPath: file, signer: signer(), signaturePath: file }), (e: Error & { code?: string }) => e.code === 'SIGNATURE_WRITE');
    assert.equal(fs.readFileSync(file, 'utf8'), 'precious weights');
  });

  it('refuses to overwrite an existing file that is not a signature bundle', async () => {
    const dir = track(makeModel({ 'weights.bin': 'w' }));
    const notes = path.join(path.dirname(dir), 'notes.txt');
    fs.writeFileSync(notes, 'my notes');
    await assert.rejects(signModel({ modelPath: dir, signer: signer(), signaturePath: notes }), (e: Error & { code?: string }) => e.code === 'SIGNATURE_WRITE');
    assert.equal(fs.readFileSync(notes, 'utf8'), 'my notes');
  });

  it('refuses a signature path inside the model that names a model file (it would be unsigned, then overwritten)', async () => {
    const dir = track(makeModel({ 'config.json': '{"a":1}', 'weights.bin': 'w' }));
    await assert.rejects(signModel({ modelPath: dir, signer: signer(), signaturePath: path.join(dir, 'config.json') }), (e: Error & { code?: string }) => e.code === 'SIGNATURE_WRITE');
    assert.equal(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'), '{"a":1}');
  });

  it('still re-signs over an existing signature bundle, and over an empty file', async () => {
    const dir = track(makeModel({ 'weights.bin': 'w' }));
    const sig = path.join(dir, 'model.sig');
    await signModel({ modelPath: dir, signer: signer(), signaturePath: sig });
    fs.writeFileSync(path.join(dir, 'weights.bin'), 'w2');
    await signModel({ modelPath: dir, signer: signer(), signaturePath: sig });
    expectValid(await keyVerify({ modelPath: dir, signaturePath: sig }));
    const empty = path.join(path.dirname(dir), 'empty.sig');
    fs.writeFileSync(empty, '');
    await signModel({ modelPath: dir, signer: signer(), signaturePath: empty });
    expectValid(await keyVerify({ modelPath: dir, signaturePath: empty }));
  });

  it('a failing signer leaves the previous signature and the directory untouched (no temp files)', async () => {
    const dir = track(makeModel({ 'weights.bin': 'w' }));
    const sig = path.join(dir, 'model.sig');
    await signModel({ modelPath: dir, signer: signer(), signaturePath: sig });
    const before = fs.readFileSync(sig, 'utf8');
    const failing: ModelSigner = { method: 'key', sign: () => Promise.reject(new Error('HSM unplugged')) };
    await assert.rejects(signModel({ modelPath: dir, signer: failing, signaturePath: sig }));
    assert.equal(fs.readFileSync(sig, 'utf8'), before);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['model.sig', 'weights.bin']);
  });
});
