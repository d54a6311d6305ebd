import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createKeySigner, insideModel, signModel } from '../../../../../src/core/signing';
import { makeModel, PRIV, removeTemp } from '../vectors';
import { expectInvalid, expectValid, keyVerify, signPayload, statement } from './helpers';

const posix = process.platform !== 'win32';

describe('adversarial: model trees', () => {
  const tmp: string[] = [];
  const track = (p: string) => (tmp.push(p), p);
  after(() => tmp.forEach(removeTemp));
  const sign = (modelPath: string, signaturePath: string, serialization = {}) => signModel({ modelPath, signer: createKeySigner({ privateKeyPem: PRIV() }), signaturePath, serialization });

  it('insideModel: a signature file named "..sig" inside the model is inside it', () => {
    const root = path.resolve('/m');
    assert.equal(insideModel(root, path.join(root, '..sig')), '..sig');
    assert.equal(insideModel(root, path.join(root, '..', 'x.sig')), undefined);
    assert.equal(insideModel(root, root), undefined);
  });

  it('sign + verify with a signature named "..model.sig" inside the model', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const sig = path.join(model, '..model.sig');
    await sign(model, sig);
    expectValid(await keyVerify({ modelPath: model, signaturePath: sig }));
  });

  (posix ? it : it.skip)('allow_symlinks: a directory symlink added after signing is reported, not silently skipped', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const outside = path.join(path.dirname(model), 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'evil.py'), 'import os');
    const sig = path.join(path.dirname(model), 'model.sig');
    await sign(model, sig, { allowSymlinks: true });
    expectValid(await keyVerify({ modelPath: model, signaturePath: sig }));
    fs.symlinkSync(outside, path.join(model, 'plugins'));
    const r = await keyVerify({ modelPath: model, signaturePath: sig });
    expectInvalid(r, 'CONTENT_MISMATCH');
    assert.ok(r.verdict === 'invalid' && r.diff?.extra.includes('plugins'));
    // --ignore-unsigned-files accepts it (the user asked to ignore what is not signed)
    expectValid(await keyVerify({ modelPath: model, signaturePath: sig, ignoreUnsignedFiles: true }));
  });

  (posix ? it : it.skip)('allow_symlinks: signing refuses a directory symlink (its content would not be covered)', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const outside = path.join(path.dirname(model), 'outside');
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(model, 'plugins'));
    await assert.rejects(sign(model, path.join(path.dirname(model), 'model.sig'), { allowSymlinks: true }), (e: { code?: string }) => e.code === 'SYMLINK_NOT_ALLOWED');
  });

  (posix ? it : it.skip)('a symlinked model root (symlinks allowed) is verified as the directory it points to, with its ignores', async () => {
    const model = track(makeModel({ 'w.bin': 'w', 'ignore-me': 'x' }));
    const link = path.join(path.dirname(model), 'link');
    fs.symlinkSync(model, link);
    const sig = path.join(path.dirname(model), 'model.sig');
    await sign(link, sig, { allowSymlinks: true, ignorePaths: ['ignore-me'] });
    fs.mkdirSync(path.join(model, '.git'));
    fs.writeFileSync(path.join(model, '.git', 'HEAD'), 'ref');
    fs.writeFileSync(path.join(model, 'ignore-me'), 'changed');
    expectValid(await keyVerify({ modelPath: link, signaturePath: sig }));
    fs.writeFileSync(path.join(model, 'w.bin'), 'tampered');
    expectInvalid(await keyVerify({ modelPath: link, signaturePath: sig }), 'CONTENT_MISMATCH');
  });

  (posix ? it : it.skip)('allow_symlinks: a signed file symlink pointing outside the model is valid but warned about (spec §6.1.1)', async () => {
    const model = track(makeModel({ 'w.bin': 'w', 'inside.bin': 'i' }));
    fs.writeFileSync(path.join(path.dirname(model), 'shared.bin'), 'shared');
    fs.symlinkSync(path.join(path.dirname(model), 'shared.bin'), path.join(model, 'shared.bin'));
    fs.symlinkSync('inside.bin', path.join(model, 'alias.bin'));
    const sig = path.join(path.dirname(model), 'model.sig');
    await sign(model, sig, { allowSymlinks: true });
    const r = await keyVerify({ modelPath: model, signaturePath: sig });
    expectValid(r);
    const w = r.verdict === 'valid' ? r.warnings.join('\n') : '';
    assert.match(w, /outside the model.*: shared\.bin/);
    assert.doesNotMatch(w, /alias\.bin/);
  });

  it('shards: an empty file added after signing is reported as a warning (the shards method cannot cover it)', async () => {
    const model = track(makeModel({ 'w.bin': 'weights' }));
    const sig = path.join(path.dirname(model), 'model.sig');
    await sign(model, sig, { method: 'shards', shardSize: 4 });
    fs.writeFileSync(path.join(model, '__init__.py'), '');
    const r = await keyVerify({ modelPath: model, signaturePath: sig });
    expectValid(r);
    assert.ok(r.verdict === 'valid' && r.warnings.some((w) => w.includes('__init__.py')), JSON.stringify(r.verdict === 'valid' && r.warnings));
  });

  it('a directory where a signed file was (w.bin/ holding a file) → CONTENT_MISMATCH', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const sig = path.join(path.dirname(model), 'model.sig');
    await sign(model, sig);
    fs.rmSync(path.join(model, 'w.bin'));
    fs.mkdirSync(path.join(model, 'w.bin'));
    fs.writeFileSync(path.join(model, 'w.bin', 'x'), 'w');
    const r = await keyVerify({ modelPath: model, signaturePath: sig });
    expectInvalid(r, 'CONTENT_MISMATCH');
  });

  it('a local --ignore-paths spelled "x/../w.bin" cannot hide a signed file', async () => {
    const model = track(makeModel({ 'w.bin': 'w', 'x/y': 'y' }));
    const sig = path.join(path.dirname(model), 'model.sig');
    await sign(model, sig);
    expectValid(await keyVerify({ modelPath: model, signaturePath: sig, ignorePaths: ['x/../w.bin', './w.bin', 'w.bin/'] }));
  });
});

describe('adversarial: shards + blake3 statements', () => {
  it('a local file named like a shard ("w:0:7") cannot stand in for the signed file "w"', async () => {
    const { blake3 } = await import('@noble/hashes/blake3.js');
    const model = makeModel({ 'w:0:7': 'weights' });
    try {
      const digest = Buffer.from(blake3(Buffer.from('weights'))).toString('hex');
      const st = statement([{ name: 'w:0:7', algorithm: 'blake3', digest }], { method: 'shards', shard_size: 1000, hash_type: 'blake3' });
      expectInvalid(await keyVerify({ modelPath: model, bundle: await signPayload(JSON.stringify(st)) }));
    } finally {
      removeTemp(model);
    }
  });
});
