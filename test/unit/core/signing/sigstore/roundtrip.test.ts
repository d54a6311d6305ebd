import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  createSigstoreSigner,
  createSigstoreVerifier,
  SigstoreSigningError,
  staticTokenSource,
  type IdentityTokenSource,
} from '../../../../../src/core/signing/sigstore';
import { pae } from '../../../../../src/core/signing/dsse';
import { VerificationError } from '../../../../../src/core/signing/verificationError';
import type { BundleJson } from '../../../../../src/core/signing/types';
import { startMockSigstore, type MockSigstore } from './mockSigstore';

const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const ISS = 'https://issuer.example.test';
const SUB = 'https://example.test/signer@trustlens';

function statement(rootDigest: string): Uint8Array {
  const st = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model', digest: { sha256: rootDigest } }],
    predicateType: 'https://model_signing/signature/v1.0',
    predicate: { serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false }, resources: [] },
  };
  return Buffer.from(JSON.stringify(st, null, 2));
}

describe('sigstore keyless round trip against loopback mock Fulcio / Rekor / TSA', function () {
  this.timeout(60_000);
  let mock: MockSigstore;
  let bundle: BundleJson;
  const payload = statement('61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226');

  before(async () => {
    mock = await startMockSigstore();
    const signer = createSigstoreSigner({ trustConfigPath: mock.trustConfigPath, identityToken: mock.token({ sub: SUB, iss: ISS }), timeoutMs: 10_000 });
    bundle = await signer.sign(payload, PAYLOAD_TYPE);
  });
  after(async () => mock?.close());

  it('talked to the loopback services only: Fulcio, Rekor, TSA', () => {
    assert.ok(mock.url.startsWith('http://127.0.0.1:'));
    assert.deepEqual(mock.requests, ['POST /api/v2/signingCert', 'POST /api/v1/log/entries', 'POST /api/v1/timestamp']);
  });

  it('produces a sigstore-python shaped bundle v0.3', () => {
    assert.deepEqual(Object.keys(bundle), ['mediaType', 'verificationMaterial', 'dsseEnvelope']);
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    const vm = bundle.verificationMaterial as Record<string, unknown>;
    assert.deepEqual(Object.keys(vm), ['certificate', 'tlogEntries', 'timestampVerificationData']);
    const env = bundle.dsseEnvelope as { payload: string; payloadType: string; signatures: Array<Record<string, string>> };
    assert.equal(env.payloadType, PAYLOAD_TYPE);
    assert.ok(Buffer.from(env.payload, 'base64').equals(Buffer.from(payload)));
    assert.equal(env.signatures.length, 1);
    assert.deepEqual(Object.keys(env.signatures[0]), ['sig'], 'no keyid, as sigstore-python');
    const tlog = (vm.tlogEntries as Array<{ kindVersion: { kind: string } }>)[0];
    assert.equal(tlog.kindVersion.kind, 'dsse');
    assert.equal(((vm.timestampVerificationData as { rfc3161Timestamps: unknown[] }).rfc3161Timestamps).length, 1);
  });

  it('the DSSE signature verifies over the PAE with the Fulcio certificate key', () => {
    const cert = new X509Certificate(Buffer.from((bundle.verificationMaterial as { certificate: { rawBytes: string } }).certificate.rawBytes, 'base64'));
    const env = bundle.dsseEnvelope as { signatures: Array<{ sig: string }> };
    const ok = require('node:crypto').verify('sha256', pae(PAYLOAD_TYPE, payload), cert.publicKey, Buffer.from(env.signatures[0].sig, 'base64'));
    assert.equal(ok, true);
    assert.match(cert.subjectAltName ?? '', new RegExp(SUB.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
  });

  it('verifies with the throwaway root and the signing identity', async () => {
    const verifier = createSigstoreVerifier({ identity: SUB, issuer: ISS, trustConfigPath: mock.trustConfigPath });
    const r = await verifier.verify(JSON.parse(JSON.stringify(bundle)));
    assert.ok(Buffer.from(r.payload).equals(Buffer.from(payload)));
    assert.equal(r.signer.identity, SUB);
    assert.equal(r.signer.issuer, ISS);
    assert.match(r.signer.logIndex ?? '', /^\d+$/);
    assert.ok(r.signedAt && Math.abs(r.signedAt.getTime() - Date.now()) < 5 * 60_000);
  });

  it('is rejected for another identity or issuer', async () => {
    for (const [identity, issuer] of [
      ['https://example.test/other', ISS],
      [SUB, 'https://accounts.google.com'],
    ]) {
      const verifier = createSigstoreVerifier({ identity, issuer, trustConfigPath: mock.trustConfigPath });
      await assert.rejects(verifier.verify(bundle), (e: unknown) => VerificationError.isVerificationError(e, 'IDENTITY_MISMATCH'));
    }
  });

  it('is rejected against the production root (the mock CA is not trusted there)', async () => {
    const verifier = createSigstoreVerifier({ identity: SUB, issuer: ISS, offline: true });
    await assert.rejects(verifier.verify(bundle), (e: unknown) => e instanceof VerificationError && ['UNTRUSTED_SIGNER', 'TLOG_INVALID'].includes(e.code));
  });

  it('is rejected after the payload is swapped for another statement', async () => {
    const b = JSON.parse(JSON.stringify(bundle));
    b.dsseEnvelope.payload = Buffer.from(statement('00'.repeat(32))).toString('base64');
    const verifier = createSigstoreVerifier({ identity: SUB, issuer: ISS, trustConfigPath: mock.trustConfigPath });
    await assert.rejects(verifier.verify(b), (e: unknown) => e instanceof VerificationError && ['TLOG_INVALID', 'SIGNATURE_INVALID'].includes(e.code));
  });
});

describe('sigstore keyless signing failures', function () {
  this.timeout(60_000);
  let mock: MockSigstore;
  before(async () => (mock = await startMockSigstore({ withTsa: false })));
  after(async () => mock?.close());

  it('without a TSA the Rekor integrated time is the proven signing time', async () => {
    const signer = createSigstoreSigner({ trustConfigPath: mock.trustConfigPath, identityToken: mock.token({ sub: SUB, iss: ISS }) });
    const bundle = await signer.sign(statement('ab'.repeat(32)), PAYLOAD_TYPE);
    const r = await createSigstoreVerifier({ identity: SUB, issuer: ISS, trustConfigPath: mock.trustConfigPath }).verify(bundle);
    assert.ok(r.signedAt);
  });

  it('never puts the token in an error message', async () => {
    const secret = mock.token({ sub: SUB, iss: ISS });
    // Fulcio at a closed port: the request fails; the message must not echo the token.
    const dead = createSigstoreSigner({ trustConfigPath: mock.trustConfigPath, identityToken: secret, timeoutMs: 2000 });
    (dead as unknown as { signingConfig: { caUrls: Array<{ url: string }> } }).signingConfig.caUrls[0].url = 'http://127.0.0.1:9';
    const err = await dead.sign(statement('cd'.repeat(32)), PAYLOAD_TYPE).then(
      () => assert.fail('signed against a dead Fulcio'),
      (e: unknown) => e as SigstoreSigningError,
    );
    assert.equal(err.code, 'FULCIO_ERROR');
    assert.ok(!err.message.includes(secret) && !err.message.includes(secret.split('.')[1]), err.message);
  });

  it('a token without subject claims is IDENTITY_TOKEN_INVALID, without echoing it', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${enc({ alg: 'none' })}.${enc({ iss: ISS, aud: 'sigstore' })}.c2ln`;
    const signer = createSigstoreSigner({ trustConfigPath: mock.trustConfigPath, identityToken: token });
    await assert.rejects(signer.sign(statement('ef'.repeat(32)), PAYLOAD_TYPE), (e: unknown) => {
      const err = e as SigstoreSigningError;
      return err.code === 'IDENTITY_TOKEN_INVALID' && !err.message.includes(token);
    });
  });

  it('rejects a non-JWT token and a missing token up front', () => {
    assert.throws(() => createSigstoreSigner({ trustConfigPath: mock.trustConfigPath, identityToken: 'hunter2' }), (e: unknown) => (e as { code?: string }).code === 'IDENTITY_TOKEN_INVALID' && !(e as Error).message.includes('hunter2'));
    assert.throws(() => createSigstoreSigner({ trustConfigPath: mock.trustConfigPath, env: {} }), (e: unknown) => (e as { code?: string }).code === 'IDENTITY_TOKEN_MISSING');
  });

  it('a custom token source is asked exactly once per signature', async () => {
    let calls = 0;
    const source: IdentityTokenSource = { getToken: async () => (calls++, mock.token({ sub: SUB, iss: ISS })) };
    await createSigstoreSigner({ trustConfigPath: mock.trustConfigPath, tokenSource: source }).sign(statement('12'.repeat(32)), PAYLOAD_TYPE);
    assert.equal(calls, 1);
    assert.ok(staticTokenSource(mock.token({ sub: SUB, iss: ISS })));
  });

  it('an aborted signal stops signing with CANCELLED', async () => {
    const ac = new AbortController();
    ac.abort();
    const signer = createSigstoreSigner({ trustConfigPath: mock.trustConfigPath, identityToken: mock.token({ sub: SUB, iss: ISS }) });
    await assert.rejects(signer.sign(statement('34'.repeat(32)), PAYLOAD_TYPE, ac.signal), (e: unknown) => (e as { code?: string }).code === 'CANCELLED');
  });

  it('a trust config without signing_config cannot sign', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const cfg = JSON.parse(fs.readFileSync(mock.trustConfigPath, 'utf8'));
    delete cfg.signing_config;
    const p = mock.trustConfigPath.replace(/\.json$/, '-root-only.json');
    fs.writeFileSync(p, JSON.stringify(cfg));
    assert.throws(() => createSigstoreSigner({ trustConfigPath: p, identityToken: mock.token({ sub: SUB, iss: ISS }) }), (e: unknown) => (e as { code?: string }).code === 'SIGSTORE_CONFIG');
  });
});
