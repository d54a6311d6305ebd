import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createKeySigner, signModel } from '../../../../../src/core/signing';
import { DIGEST_CACHE_FILE, identityOf } from '../../../../../src/core/signing/serialization';
import { makeModel, PRIV, removeTemp } from '../vectors';
import { expectInvalid, expectValid, keyVerify, sha256Hex } from './helpers';

const posix = process.platform !== 'win32';
const age = (p: string) => {
  const t = new Date(Date.now() - 3600_000);
  fs.utimesSync(p, t, t);
};

describe('adversarial: the digest cache (quick verification)', () => {
  const tmp: string[] = [];
  const track = (p: string) => (tmp.push(p), p);
  let savedXdg: string | undefined;
  let cacheDir: string;
  beforeEach(() => {
    savedXdg = process.env.XDG_CACHE_HOME;
    cacheDir = track(makeModel({}, 'xdg'));
    process.env.XDG_CACHE_HOME = cacheDir;
  });
  afterEach(() => {
    if (savedXdg === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = savedXdg;
  });
  after(() => tmp.forEach(removeTemp));

  async function signedModel() {
    const model = track(makeModel({ 'w.bin': 'good weights' }));
    age(path.join(model, 'w.bin'));
    const sig = path.join(path.dirname(model), 'model.sig');
    await signModel({ modelPath: model, signer: createKeySigner({ privateKeyPem: PRIV() }), signaturePath: sig });
    expectValid(await keyVerify({ modelPath: model, signaturePath: sig, useCache: true })); // fills the cache
    return { model, sig, file: path.join(model, 'w.bin') };
  }

  /** Writes a cache entry claiming `file` (with its current identity) has the digest of `claimed`. */
  function poison(file: string, claimed: string) {
    const id = identityOf(fs.statSync(file, { bigint: true }));
    const cacheFile = path.join(cacheDir, 'trustlens', DIGEST_CACHE_FILE);
    const key = `sha256\u00000\u0000${id.size}\u0000${file}`;
    const entry = [String(id.size), String(id.mtimeNs), String(id.ctimeNs), String(id.ino), String(id.dev), sha256Hex(claimed), Date.now()];
    fs.writeFileSync(cacheFile, JSON.stringify({ version: 1, entries: { [key]: entry } }), { mode: 0o600 });
    return cacheFile;
  }

  it('same size, restored mtime, new content: quick verification still sees the change (ctime)', async () => {
    const { model, sig, file } = await signedModel();
    const before = fs.statSync(file);
    fs.writeFileSync(file, 'evil weights');
    assert.equal(fs.statSync(file).size, before.size);
    fs.utimesSync(file, before.atime, before.mtime);
    expectInvalid(await keyVerify({ modelPath: model, signaturePath: sig, useCache: true }), 'CONTENT_MISMATCH');
  });

  it('a full verification never reads the cache, even a poisoned one', async () => {
    const { model, sig, file } = await signedModel();
    fs.writeFileSync(file, 'evil weights');
    age(file);
    poison(file, 'good weights');
    expectInvalid(await keyVerify({ modelPath: model, signaturePath: sig }), 'CONTENT_MISMATCH');
  });

  (posix ? it : it.skip)('a cache file others can write is not trusted', async () => {
    const { model, sig, file } = await signedModel();
    fs.writeFileSync(file, 'evil weights');
    age(file);
    const cacheFile = poison(file, 'good weights');
    fs.chmodSync(cacheFile, 0o666);
    expectInvalid(await keyVerify({ modelPath: model, signaturePath: sig, useCache: true }), 'CONTENT_MISMATCH');
  });

  (posix ? it : it.skip)('a cache in a directory others can write is not trusted', async () => {
    const { model, sig, file } = await signedModel();
    fs.writeFileSync(file, 'evil weights');
    age(file);
    poison(file, 'good weights');
    fs.chmodSync(path.join(cacheDir, 'trustlens'), 0o777);
    try {
      expectInvalid(await keyVerify({ modelPath: model, signaturePath: sig, useCache: true }), 'CONTENT_MISMATCH');
    } finally {
      fs.chmodSync(path.join(cacheDir, 'trustlens'), 0o700);
    }
  });

  it('documented trade-off: an owner-only cache entry is trusted in quick mode (metadata is the contract)', async () => {
    const { model, sig, file } = await signedModel();
    fs.writeFileSync(file, 'evil weights');
    age(file);
    poison(file, 'good weights');
    expectValid(await keyVerify({ modelPath: model, signaturePath: sig, useCache: true }));
  });
});
