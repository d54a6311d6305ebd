import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCertificateSigner, createCertificateVerifier } from '../../../../../src/core/signing';
import { keyFile } from '../vectors';
import { T } from './helpers';

/** Test PKI minted with openssl (EC P-256, valid 20 years); `openssl verify` rejects every chain marked bad. */
const PKI = path.join(__dirname, 'fixtures/pki');
const pem = (n: string) => fs.readFileSync(path.join(PKI, `${n}.pem`));

async function bundleFor(leaf: string, chain: string[]) {
  const signer = createCertificateSigner({ privateKeyPem: fs.readFileSync(path.join(PKI, `${leaf}.key`)), certificatePem: pem(leaf), chainPems: chain.map(pem) });
  return signer.sign(Buffer.from('{}'), T);
}

async function verdict(leaf: string, chain: string[], anchor: string): Promise<string> {
  const verifier = createCertificateVerifier({ trustAnchorPems: [pem(anchor)] });
  try {
    await verifier.verify(await bundleFor(leaf, chain));
    return 'valid';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('adversarial: certificate chains the verifier must refuse', () => {
  it('control: a codeSigning leaf directly under the anchor verifies', async () => {
    assert.equal(await verdict('good-leaf', [], 'root'), 'valid');
  });
  it('an intermediate whose KeyUsage lacks keyCertSign cannot issue the leaf → rejected', async () => {
    // OpenSSL's issuer check (X509_check_issued) already refuses it, so the path is not found.
    assert.ok(['UNTRUSTED_SIGNER', 'CERT_POLICY'].includes(await verdict('leaf-under-no-certsign', ['int-no-certsign'], 'root')));
  });
  it("the anchor's pathLenConstraint 0 forbids an intermediate below it → CERT_POLICY", async () => {
    assert.equal(await verdict('leaf-too-deep', ['int-under-pathlen0'], 'root-pathlen0'), 'CERT_POLICY');
  });
  it('an intermediate with an unknown critical extension → CERT_POLICY', async () => {
    assert.equal(await verdict('leaf-under-unknown-critical', ['int-unknown-critical'], 'root'), 'CERT_POLICY');
  });
  it('a leaf with an unknown critical extension → CERT_POLICY', async () => {
    assert.equal(await verdict('leaf-unknown-critical', [], 'root'), 'CERT_POLICY');
  });
  it('a TLS server certificate (EKU serverAuth/clientAuth, no codeSigning) is not a model signer → CERT_POLICY', async () => {
    assert.equal(await verdict('tls-leaf', [], 'root'), 'CERT_POLICY');
  });
  it('a CA:FALSE intermediate → CERT_POLICY', async () => {
    assert.equal(await verdict('leaf-under-not-ca', ['int-not-ca'], 'root'), 'CERT_POLICY');
  });
  it('name chaining without a signature: an intermediate with the right subject but another key → UNTRUSTED_SIGNER', async () => {
    // int-no-certsign has CN=int-no-certsign; give the verifier a chain whose "intermediate" is a different cert.
    assert.equal(await verdict('leaf-under-no-certsign', ['int-not-ca'], 'root'), 'UNTRUSTED_SIGNER');
  });
  it('a bundle carrying hundreds of certificates is refused before any signature check', async () => {
    const b = (await bundleFor('good-leaf', [])) as { verificationMaterial: { x509CertificateChain: { certificates: { rawBytes: string }[] } } };
    const certs = b.verificationMaterial.x509CertificateChain.certificates;
    const filler = { rawBytes: pem('int-not-ca').toString().replace(/-----[^-]+-----|\s/g, '') };
    for (let i = 0; i < 250; i++) certs.push(filler);
    await assert.rejects(createCertificateVerifier({ trustAnchorPems: [pem('root')] }).verify(b as never), { code: 'BUNDLE_MALFORMED' });
  });
  it('a chain leading to a different anchor → UNTRUSTED_SIGNER', async () => {
    assert.equal(await verdict('good-leaf', [], 'root-pathlen0'), 'UNTRUSTED_SIGNER');
  });
  it('the vector leaf (subject == issuer) is not treated as self-signed/anchored by name', async () => {
    const signer = createCertificateSigner({ privateKeyPem: keyFile('signing-key.pem'), certificatePem: keyFile('signing-key-cert.pem'), chainPems: [] });
    const b = await signer.sign(Buffer.from('{}'), T);
    // Trusting only the intermediate's *name* is not enough: anchor the unrelated test root.
    await assert.rejects(createCertificateVerifier({ trustAnchorPems: [pem('root')] }).verify(b), { code: 'UNTRUSTED_SIGNER' });
    // and the real chain still works with the intermediate present in the bundle
    const ok = await createCertificateSigner({ privateKeyPem: keyFile('signing-key.pem'), certificatePem: keyFile('signing-key-cert.pem'), chainPems: [keyFile('int-ca-cert.pem')] }).sign(Buffer.from('{}'), T);
    await createCertificateVerifier({ trustAnchorPems: [keyFile('ca-cert.pem')] }).verify(ok);
  });
});
