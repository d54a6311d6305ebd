import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createKeySigner, createKeyVerifier } from '../../../../src/core/signing/methods/key';
import { publicKeyHint } from '../../../../src/core/signing/methods/pem';
import { parseBundleJson } from '../../../../src/core/signing/bundle';
import { TrustLensError } from '../../../../src/core/errors';
import { KEYS, MT, PRIV, PUB } from './vectors';

const T = 'application/vnd.in-toto+json';
const payload = Buffer.from('{"_type":"x"}');

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => TrustLensError.is(e, code) || assert.fail(`expected ${code}, got ${String((e as Error)?.message ?? e)} (${(e as { code?: string }).code})`));
}
function throwsCode(fn: () => unknown, code: string): string {
  try {
    fn();
  } catch (e) {
    assert.ok(TrustLensError.is(e, code), `expected ${code}, got ${(e as { code?: string }).code}: ${(e as Error).message}`);
    return (e as Error).message;
  }
  assert.fail(`expected ${code}`);
}

describe('key method', () => {
  it('publicKey.hint of the vector key is sha256 of the canonical SPKI PEM (e8450dec…)', () => {
    const { createPublicKey } = require('node:crypto') as typeof import('node:crypto');
    assert.equal(publicKeyHint(createPublicKey(PUB())), 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e');
    // …and not the hash of the DER (a common mistake).
    const der = createPublicKey(PUB()).export({ type: 'spki', format: 'der' });
    assert.notEqual(createHash('sha256').update(der).digest('hex'), 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e');
  });

  for (const curve of ['prime256v1', 'secp384r1', 'secp521r1']) {
    for (const format of ['sec1', 'pkcs8', 'pkcs8-encrypted', 'sec1-encrypted'] as const) {
      it(`round trip ${curve} ${format}`, async () => {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
        const encrypted = format.endsWith('encrypted');
        const pem = privateKey.export({
          type: format.startsWith('sec1') ? 'sec1' : 'pkcs8',
          format: 'pem',
          ...(encrypted ? { cipher: 'aes-256-cbc', passphrase: 'pw' } : {}),
        }) as string;
        const signer = createKeySigner({ privateKeyPem: pem, passphrase: encrypted ? 'pw' : undefined });
        const bundle = await signer.sign(payload, T);
        const verifier = createKeyVerifier({ publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) });
        const r = await verifier.verify(bundle);
        assert.deepEqual(Buffer.from(r.payload), payload);
        assert.equal(r.signer.method, 'key');
        // the signature hash follows the curve: DER sizes differ per curve
        const sig = parseBundleJson(bundle).signature;
        assert.ok(sig.length > { prime256v1: 60, secp384r1: 95, secp521r1: 130 }[curve]!, `sig length ${sig.length}`);
      });
    }
  }

  it('signs with the certtool vector key (leading text before BEGIN) and verifies with its public key', async () => {
    assert.ok(!PRIV().toString().startsWith('-----BEGIN'));
    const bundle = await createKeySigner({ privateKeyPem: PRIV() }).sign(payload, T);
    assert.equal((bundle.verificationMaterial as { publicKey: { hint: string } }).publicKey.hint, 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e');
    await createKeyVerifier({ publicKeyPem: PUB() }).verify(bundle);
  });

  it('passphrase errors are clear and never contain the passphrase', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }) as string;
    assert.match(throwsCode(() => createKeySigner({ privateKeyPem: pem, source: 'k.pem' }), 'KEY_PASSPHRASE'), /k\.pem: .*passphrase is required/);
    const msg = throwsCode(() => createKeySigner({ privateKeyPem: pem, passphrase: 'wrong-secret-xyz', source: 'k.pem' }), 'KEY_PASSPHRASE');
    assert.ok(!msg.includes('wrong-secret-xyz') && !msg.includes('BEGIN'));
  });

  it('rejects non-EC and unsupported-curve keys, and garbage', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    assert.match(throwsCode(() => createKeySigner({ privateKeyPem: rsa }), 'KEY_UNSUPPORTED'), /rsa/);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    throwsCode(() => createKeySigner({ privateKeyPem: ed }), 'KEY_UNSUPPORTED');
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    assert.match(throwsCode(() => createKeySigner({ privateKeyPem: k1 }), 'KEY_UNSUPPORTED'), /secp256k1/);
    throwsCode(() => createKeySigner({ privateKeyPem: 'not a key' }), 'KEY_INVALID');
    throwsCode(() => createKeyVerifier({ publicKeyPem: 'not a key' }), 'VERIFIER_CONFIG');
    const rsaPub = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    throwsCode(() => createKeyVerifier({ publicKeyPem: rsaPub }), 'VERIFIER_CONFIG');
  });

  it('another public key → KEY_MISMATCH (hint differs)', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' });
    const bundle = JSON.parse(fs.readFileSync(path.join(MT, 'v1.1.0-elliptic-key/model.sig'), 'utf8'));
    await rejects(createKeyVerifier({ publicKeyPem: other }).verify(bundle), 'KEY_MISMATCH');
  });

  it('another key on a hint-less pre-1.1 bundle → SIGNATURE_INVALID', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' });
    const bundle = JSON.parse(fs.readFileSync(path.join(MT, 'v1.0.0-elliptic-key/model.sig'), 'utf8'));
    await rejects(createKeyVerifier({ publicKeyPem: other }).verify(bundle), 'SIGNATURE_INVALID');
    await createKeyVerifier({ publicKeyPem: PUB() }).verify(bundle);
  });

  it('edited payload or signature → SIGNATURE_INVALID; mediaType changed → MEDIA_TYPE', async () => {
    const v = createKeyVerifier({ publicKeyPem: PUB() });
    const fresh = () => JSON.parse(fs.readFileSync(path.join(MT, 'v1.1.0-elliptic-key/model.sig'), 'utf8'));
    const a = fresh();
    const p = Buffer.from(a.dsseEnvelope.payload, 'base64');
    p[p.length - 3] ^= 1;
    a.dsseEnvelope.payload = p.toString('base64');
    await rejects(v.verify(a), 'SIGNATURE_INVALID');
    const b = fresh();
    const s = Buffer.from(b.dsseEnvelope.signatures[0].sig, 'base64');
    s[s.length - 1] ^= 1;
    b.dsseEnvelope.signatures[0].sig = s.toString('base64');
    await rejects(v.verify(b), 'SIGNATURE_INVALID');
    const c = fresh();
    c.dsseEnvelope.payloadType = 'text/plain';
    await rejects(v.verify(c), 'SIGNATURE_INVALID');
    const d = fresh();
    d.mediaType = 'application/vnd.dev.sigstore.bundle.v0.2+json';
    await rejects(v.verify(d), 'MEDIA_TYPE');
  });

  it('keeps the private key out of errors and bundles', async () => {
    const bundle = await createKeySigner({ privateKeyPem: PRIV() }).sign(payload, T);
    const text = JSON.stringify(bundle);
    assert.ok(!text.includes('PRIVATE'));
    assert.ok(fs.existsSync(path.join(KEYS, 'signing-key.pem')));
  });
});
