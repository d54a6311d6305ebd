import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { CoreModelEngine } from '../../../../src/features/modelExplorer/coreEngine';
import type { TrustConfig } from '../../../../src/features/modelExplorer/engine';

function keyPair(dir: string, name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pub = path.join(dir, `${name}.pub.pem`);
  const key = path.join(dir, `${name}.key.pem`);
  fs.writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  fs.writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { pub, key };
}

describe('CoreModelEngine (model explorer over the real signing core)', () => {
  const engine = new CoreModelEngine();
  let dir: string;
  let model: string;
  let sig: string;
  let alice: { pub: string; key: string };
  let bob: { pub: string; key: string };
  const trust = (publicKeys: string[]): TrustConfig => ({ publicKeys, certificateRoots: [], sigstoreIdentities: [], sigstoreInstance: 'public-good' });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-engine-'));
    alice = keyPair(dir, 'alice');
    bob = keyPair(dir, 'bob');
    model = path.join(dir, 'model');
    fs.mkdirSync(model);
    fs.writeFileSync(path.join(model, 'weights.bin'), Buffer.alloc(4096, 7));
    fs.writeFileSync(path.join(model, 'config.json'), '{}');
    sig = path.join(model, 'model.sig');
    await engine.sign(model, sig, { method: 'key', privateKeyPath: alice.key }, { hashAlgorithm: 'sha256' });
  });

  it('writes only the signature file when signing', () => {
    assert.deepEqual(fs.readdirSync(model).sort(), ['config.json', 'model.sig', 'weights.bin']);
  });

  it('verifies with the trusted key, picking it among several, and names it as the signer', async () => {
    const { state } = await engine.verify(model, sig, trust([bob.pub, alice.pub]), {});
    assert.equal(state.kind, 'verified');
    assert.ok(state.kind === 'verified' && state.signer.label === 'alice.pub.pem');
  });

  it('says "cannot verify" (not invalid) when no trusted key matches, and what to configure', async () => {
    for (const keys of [[], [bob.pub]]) {
      const { state } = await engine.verify(model, sig, trust(keys), {});
      assert.equal(state.kind, 'untrusted');
      assert.ok(state.kind === 'untrusted' && /trustlens\.trust\.publicKeys/.test(state.hint));
    }
  });

  it('reports the changed, added and missing files of a modified model', async () => {
    fs.appendFileSync(path.join(model, 'weights.bin'), 'x');
    fs.writeFileSync(path.join(model, 'extra.txt'), 'x');
    fs.rmSync(path.join(model, 'config.json'));
    const { state } = await engine.verify(model, sig, trust([alice.pub]), {});
    assert.deepEqual(state, { kind: 'modified', changed: ['weights.bin'], added: ['extra.txt'], missing: ['config.json'], source: 'verification' });
  });

  it('fails closed on a corrupted signature file', async () => {
    const bundle = JSON.parse(fs.readFileSync(sig, 'utf8'));
    const s = Buffer.from(bundle.dsseEnvelope.signatures[0].sig, 'base64');
    s[10] = s[10]! ^ 1;
    bundle.dsseEnvelope.signatures[0].sig = s.toString('base64');
    fs.writeFileSync(sig, JSON.stringify(bundle));
    const { state } = await engine.verify(model, sig, trust([alice.pub]), {});
    assert.equal(state.kind, 'invalid');
    fs.writeFileSync(sig, '{not json');
    assert.equal((await engine.verify(model, sig, trust([alice.pub]), {})).state.kind, 'invalid');
  });

  it('reports an unreadable trusted key as a configuration error', async () => {
    const { state } = await engine.verify(model, sig, trust([path.join(dir, 'nope.pem')]), {});
    assert.equal(state.kind, 'error');
    assert.ok(state.kind === 'error' && state.code === 'VERIFIER_CONFIG');
  });

  it('decodes the signature for the details view with recorded and current digests', async () => {
    fs.appendFileSync(path.join(model, 'weights.bin'), 'x');
    const d = await engine.details(model, sig, { withCurrentDigests: true });
    assert.equal(d.method, 'key');
    assert.ok(d.keyHint);
    const w = d.resources.find((r) => r.name === 'weights.bin')!;
    const c = d.resources.find((r) => r.name === 'config.json')!;
    assert.notEqual(w.recorded, w.current);
    assert.equal(c.recorded, c.current);
    assert.equal(d.serialization?.['method'], 'files');
  });
});
