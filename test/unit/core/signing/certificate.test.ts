import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { createCertificateSigner, createCertificateVerifier } from '../../../../src/core/signing/methods/certificate';
import { createKeySigner } from '../../../../src/core/signing/methods/key';
import { keyUsageDigitalSignature, readElement } from '../../../../src/core/signing/methods/der';
import { buildBundle } from '../../../../src/core/signing/bundle';
import { TrustLensError } from '../../../../src/core/errors';
import { MT, PRIV, keyFile } from './vectors';

const T = 'application/vnd.in-toto+json';
const payload = Buffer.from('{"_type":"cert test"}');
const LEAF_FP = 'DA:36:62:B6:30:EB:0F:58:5C:33:F1:14:A0:76:B8:DA:2C:ED:A0:F2:75:CB:57:8E:6D:1D:9C:AB:84:C0:4D:3B';

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => TrustLensError.is(e, code) || assert.fail(`expected ${code}, got ${(e as { code?: string }).code}: ${(e as Error).message}`));
}
const signer = (chain = [keyFile('int-ca-cert.pem')]) =>
  createCertificateSigner({ privateKeyPem: PRIV(), certificatePem: keyFile('signing-key-cert.pem'), chainPems: chain });
const rootVerifier = (validity?: 'signing-time' | 'now' | Date) => createCertificateVerifier({ trustAnchorPems: [keyFile('ca-cert.pem')], validity });

describe('certificate method', () => {
  it('round trip with the vector PKI: leaf + intermediate in the bundle, root as anchor', async () => {
    const bundle = await signer().sign(payload, T);
    const chain = (bundle.verificationMaterial as { x509CertificateChain: { certificates: unknown[] } }).x509CertificateChain.certificates;
    assert.equal(chain.length, 2);
    const r = await rootVerifier().verify(bundle);
    assert.deepEqual(Buffer.from(r.payload), payload);
    assert.deepEqual(r.signer, { method: 'certificate', subject: 'CN=intermediate-ca', issuer: 'CN=intermediate-ca', fingerprint: LEAF_FP });
  });

  it('verifies the v1.1.0-certificate vector and rejects it against other anchors', async () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(MT, 'v1.1.0-certificate/model.sig'), 'utf8'));
    await rootVerifier().verify(bundle);
    await rejects(createCertificateVerifier({ trustAnchorPems: [...tls.rootCertificates] }).verify(bundle), 'UNTRUSTED_SIGNER');
    await rejects(createCertificateVerifier({ trustAnchorPems: [] }).verify(bundle), 'UNTRUSTED_SIGNER');
  });

  it('a chain without the intermediate does not reach the root → UNTRUSTED_SIGNER', async () => {
    await rejects(rootVerifier().verify(await signer([]).sign(payload, T)), 'UNTRUSTED_SIGNER');
  });

  it('a key-method bundle → UNTRUSTED_SIGNER (no certificate)', async () => {
    await rejects(rootVerifier().verify(await createKeySigner({ privateKeyPem: PRIV() }).sign(payload, T)), 'UNTRUSTED_SIGNER');
  });

  it('validity policy: signing-time (default) and now pass today; a date outside 2025-2035 → CERT_POLICY', async () => {
    const bundle = await signer().sign(payload, T);
    await rootVerifier('signing-time').verify(bundle);
    await rootVerifier('now').verify(bundle);
    await rootVerifier(new Date('2030-01-01T00:00:00Z')).verify(bundle);
    await rejects(rootVerifier(new Date('2036-01-01T00:00:00Z')).verify(bundle), 'CERT_POLICY');
    await rejects(rootVerifier(new Date('2024-01-01T00:00:00Z')).verify(bundle), 'CERT_POLICY');
  });

  it('a signing certificate without digitalSignature or codeSigning → CERT_POLICY', async () => {
    // The intermediate (KeyUsage keyCertSign only) presented as the signing certificate.
    const intDer = new X509Certificate(keyFile('int-ca-cert.pem')).raw;
    const bundle = buildBundle({ x509CertificateChain: { certificates: [{ rawBytes: intDer.toString('base64') }] } }, payload, T, Buffer.from([0x30, 0]));
    await rejects(rootVerifier().verify(bundle), 'CERT_POLICY');
  });

  it('signature by another key under a valid chain → SIGNATURE_INVALID', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const good = await signer().sign(payload, T);
    const forged = await createKeySigner({ privateKeyPem: other }).sign(payload, T);
    (good.dsseEnvelope as { signatures: unknown }).signatures = (forged.dsseEnvelope as { signatures: unknown }).signatures;
    await rejects(rootVerifier().verify(good), 'SIGNATURE_INVALID');
  });

  it('a garbage certificate in the bundle → BUNDLE_MALFORMED', async () => {
    const bundle = buildBundle({ x509CertificateChain: { certificates: [{ rawBytes: 'MAAA' }] } }, payload, T, Buffer.from([0x30, 0]));
    await rejects(rootVerifier().verify(bundle), 'BUNDLE_MALFORMED');
  });

  it('signer refuses a certificate that does not hold the private key', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    assert.throws(() => createCertificateSigner({ privateKeyPem: other, certificatePem: keyFile('signing-key-cert.pem') }), (e: unknown) => TrustLensError.is(e, 'CERTIFICATE_KEY_MISMATCH'));
    assert.throws(() => createCertificateSigner({ privateKeyPem: PRIV(), certificatePem: 'nothing here' }), (e: unknown) => TrustLensError.is(e, 'CERTIFICATE_INVALID'));
  });

  it('unreadable trust anchors → VERIFIER_CONFIG', () => {
    assert.throws(() => createCertificateVerifier({ trustAnchorPems: ['no pem'] }), (e: unknown) => TrustLensError.is(e, 'VERIFIER_CONFIG'));
  });
});

describe('DER KeyUsage reader', () => {
  it('reads digitalSignature from the vector certificates', () => {
    assert.equal(keyUsageDigitalSignature(new X509Certificate(keyFile('signing-key-cert.pem')).raw), true);
    assert.equal(keyUsageDigitalSignature(new X509Certificate(keyFile('int-ca-cert.pem')).raw), false);
  });
  it('throws RangeError on truncated or lying input, never reads past the buffer', () => {
    const der = new X509Certificate(keyFile('signing-key-cert.pem')).raw;
    for (const n of [0, 1, 2, 10, 100, der.length - 1]) assert.throws(() => keyUsageDigitalSignature(der.subarray(0, n)), RangeError, `prefix ${n}`);
    assert.throws(() => readElement(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), 0), RangeError);
    assert.throws(() => readElement(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1]), 0), RangeError);
  });
});
