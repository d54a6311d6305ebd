import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  SigstoreBundleVerifier,
  createSigstoreVerifier,
  embeddedProductionTrustedRoot,
  parseClientTrustConfig,
} from '../../../../../src/core/signing/sigstore';
import { VerificationError, type ReasonCode } from '../../../../../src/core/signing/verificationError';
import type { BundleJson } from '../../../../../src/core/signing/types';
import { CUSTOM_TRUST_CONFIG, MT_TESTS, SPEC_VECTORS, VECTOR_IDENTITY, VECTOR_ISSUER, clone, readJson } from './vectors';

const noNetwork = async () => {
  throw new Error('test tried to reach the TUF repository');
};

/** Offline verifier for the vector identity; tufFetch throws, so any network attempt fails the test. */
function offlineVerifier(over: { identity?: string; issuer?: string } = {}): SigstoreBundleVerifier {
  return createSigstoreVerifier({ identity: over.identity ?? VECTOR_IDENTITY, issuer: over.issuer ?? VECTOR_ISSUER, offline: true, tufFetch: noNetwork });
}

async function rejects(verifier: SigstoreBundleVerifier, bundle: unknown, code: ReasonCode, message?: RegExp): Promise<VerificationError> {
  try {
    await verifier.verify(bundle as BundleJson);
  } catch (e) {
    assert.ok(e instanceof VerificationError, `expected a VerificationError, got ${(e as Error)?.stack ?? String(e)}`);
    assert.equal(e.code, code, `wrong reason: ${e.message}`);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`bundle was accepted, expected ${code}`);
}

const v100 = () => readJson(path.join(MT_TESTS, 'v1.0.0-sigstore/model.sig'));
const v110 = () => readJson(path.join(MT_TESTS, 'v1.1.0-sigstore/model.sig'));

function statementOf(payload: Uint8Array): { subject: Array<{ name: string; digest: { sha256: string } }> } {
  return JSON.parse(Buffer.from(payload).toString('utf8'));
}

describe('sigstore verifier: upstream vectors (offline, embedded production root)', () => {
  it('v1.1.0-sigstore is valid for stefanb@us.ibm.com / IBM issuer', async () => {
    const r = await offlineVerifier().verify(v110());
    assert.equal(r.payloadType, 'application/vnd.in-toto+json');
    assert.deepEqual(r.signer, { method: 'sigstore', identity: VECTOR_IDENTITY, issuer: VECTOR_ISSUER, logIndex: '598151086' });
    const st = statementOf(r.payload);
    assert.equal(st.subject[0].name, 'v1.1.0-sigstore');
    assert.equal(st.subject[0].digest.sha256, '61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226');
    // README: the Fulcio leaf is valid 2025-10-10 02:12–02:22Z; the proven signing time lies inside.
    assert.ok(r.signedAt);
    assert.ok(r.signedAt >= new Date('2025-10-10T02:12:00Z') && r.signedAt <= new Date('2025-10-10T02:23:00Z'), r.signedAt.toISOString());
  });

  it('v1.0.0-sigstore is valid', async () => {
    const r = await offlineVerifier().verify(v100());
    assert.equal(r.signer.logIndex, '206344181');
    assert.equal(statementOf(r.payload).subject[0].digest.sha256, '61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226');
  });

  it('the spec vector valid/sigstore.bundle.json is valid', async () => {
    const r = await offlineVerifier().verify(readJson(path.join(SPEC_VECTORS, 'valid/sigstore.bundle.json')));
    assert.equal(r.signer.identity, VECTOR_IDENTITY);
  });

  it('a wrong identity is IDENTITY_MISMATCH naming both identities', async () => {
    await rejects(offlineVerifier({ identity: 'mallory@example.com' }), v110(), 'IDENTITY_MISMATCH', /stefanb@us\.ibm\.com.*mallory@example\.com/);
  });

  it('a wrong issuer is IDENTITY_MISMATCH naming the issuer', async () => {
    await rejects(offlineVerifier({ issuer: 'https://accounts.google.com' }), v110(), 'IDENTITY_MISMATCH', /issuer/);
  });

  it('an identity that only differs in case or by a prefix is rejected (exact match)', async () => {
    await rejects(offlineVerifier({ identity: 'Stefanb@us.ibm.com' }), v110(), 'IDENTITY_MISMATCH');
    await rejects(offlineVerifier({ identity: 'stefanb@us.ibm' }), v110(), 'IDENTITY_MISMATCH');
  });

  it('spec invalid/missing-tlog-entries is TLOG_INVALID', async () => {
    await rejects(offlineVerifier(), readJson(path.join(SPEC_VECTORS, 'invalid/missing-tlog-entries.bundle.json')), 'TLOG_INVALID');
  });

  it('spec invalid/missing-envelope and missing-verification-material are BUNDLE_MALFORMED', async () => {
    await rejects(offlineVerifier(), readJson(path.join(SPEC_VECTORS, 'invalid/missing-envelope.bundle.json')), 'BUNDLE_MALFORMED');
    await rejects(offlineVerifier(), readJson(path.join(SPEC_VECTORS, 'invalid/missing-verification-material.bundle.json')), 'BUNDLE_MALFORMED');
  });

  it('with custom_trust_config.json (GitHub TSA) the v1.1.0 timestamp does not verify: TLOG_INVALID', async () => {
    const verifier = createSigstoreVerifier({ identity: VECTOR_IDENTITY, issuer: VECTOR_ISSUER, trustConfigPath: CUSTOM_TRUST_CONFIG, tufFetch: noNetwork });
    await rejects(verifier, v110(), 'TLOG_INVALID', /TIMESTAMP_ERROR/);
  });

  it('a key-method bundle is not a Sigstore bundle: UNTRUSTED_SIGNER', async () => {
    await rejects(offlineVerifier(), readJson(path.join(MT_TESTS, 'v1.1.0-elliptic-key/model.sig')), 'UNTRUSTED_SIGNER');
  });

  it('a certificate-method bundle (no tlog entry) is TLOG_INVALID', async () => {
    await rejects(offlineVerifier(), readJson(path.join(MT_TESTS, 'v1.1.0-certificate/model.sig')), 'TLOG_INVALID');
  });
});

describe('sigstore verifier: mutated bundles are rejected with a reason', () => {
  const verifier = offlineVerifier();

  it('edited payload', async () => {
    const b = v110() as { dsseEnvelope: { payload: string } };
    const payload = Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8').replace('signme-2', 'signme-3');
    b.dsseEnvelope.payload = Buffer.from(payload).toString('base64');
    const e = await rejects(verifier, b, 'TLOG_INVALID'); // the Rekor body pins the payload hash
    assert.match(e.message, /TLOG_BODY_ERROR|SIGNATURE/);
  });

  it('swapped envelopes between the two vectors', async () => {
    const a = v110() as Record<string, unknown>;
    a.dsseEnvelope = (v100() as Record<string, unknown>).dsseEnvelope;
    // The TSA countersigned the original signature, and Rekor's body pins it too.
    await rejects(verifier, a, 'TLOG_INVALID', /TIMESTAMP_ERROR|TLOG_BODY_ERROR/);
  });

  it('swapped certificate', async () => {
    const a = v110() as { verificationMaterial: { certificate: unknown } };
    a.verificationMaterial.certificate = (v100() as typeof a).verificationMaterial.certificate;
    await assert.rejects(verifier.verify(a as unknown as BundleJson), (e: unknown) => e instanceof VerificationError && ['SIGNATURE_INVALID', 'TLOG_INVALID', 'UNTRUSTED_SIGNER'].includes(e.code));
  });

  it('garbage certificate bytes', async () => {
    const a = v110() as { verificationMaterial: { certificate: { rawBytes: string } } };
    a.verificationMaterial.certificate.rawBytes = Buffer.from('not a certificate').toString('base64');
    await rejects(verifier, a, 'BUNDLE_MALFORMED');
  });

  it('a self-made certificate with the right SAN is not trusted', async () => {
    const a = v110() as { verificationMaterial: { certificate: { rawBytes: string } } };
    // Re-use the real leaf but corrupt one byte of its signature (last bytes of the DER).
    const der = Buffer.from(a.verificationMaterial.certificate.rawBytes, 'base64');
    der[der.length - 5] ^= 0x01;
    a.verificationMaterial.certificate.rawBytes = der.toString('base64');
    await assert.rejects(verifier.verify(a as unknown as BundleJson), (e: unknown) => e instanceof VerificationError && ['UNTRUSTED_SIGNER', 'BUNDLE_MALFORMED'].includes(e.code));
  });

  it('edited DSSE signature', async () => {
    const a = v110() as { dsseEnvelope: { signatures: Array<{ sig: string }> } };
    const sig = Buffer.from(a.dsseEnvelope.signatures[0].sig, 'base64');
    sig[sig.length - 3] ^= 0x40;
    a.dsseEnvelope.signatures[0].sig = sig.toString('base64');
    await assert.rejects(verifier.verify(a as unknown as BundleJson), (e: unknown) => e instanceof VerificationError && ['SIGNATURE_INVALID', 'TLOG_INVALID'].includes(e.code));
  });

  it('removed RFC 3161 timestamp and inclusion promise: no proven signing time', async () => {
    const a = v110() as { verificationMaterial: { timestampVerificationData: unknown; tlogEntries: Array<Record<string, unknown>> } };
    a.verificationMaterial.timestampVerificationData = {};
    delete a.verificationMaterial.tlogEntries[0].inclusionPromise;
    await rejects(verifier, a, 'TLOG_INVALID', /TIMESTAMP_ERROR/);
  });

  it('wrong or missing mediaType', async () => {
    const a = v110();
    a.mediaType = 'application/json';
    await rejects(verifier, a, 'MEDIA_TYPE');
    delete a.mediaType;
    await rejects(verifier, a, 'MEDIA_TYPE');
  });

  it('non-objects and empty objects', async () => {
    for (const junk of [null, [], 'model.sig', 42, {}]) {
      await assert.rejects(verifier.verify(junk as unknown as BundleJson), (e: unknown) => e instanceof VerificationError && ['BUNDLE_MALFORMED', 'MEDIA_TYPE'].includes(e.code));
    }
  });

  it('two DSSE signatures are refused (only one signature per bundle)', async () => {
    const a = v110() as { dsseEnvelope: { signatures: unknown[] } };
    a.dsseEnvelope.signatures.push(a.dsseEnvelope.signatures[0]);
    await rejects(verifier, a, 'BUNDLE_MALFORMED');
  });

  it('property: flipping any byte of the payload, signature, certificate or tlog body is never accepted', async () => {
    const base = v110() as {
      dsseEnvelope: { payload: string; signatures: Array<{ sig: string }> };
      verificationMaterial: { certificate: { rawBytes: string }; tlogEntries: Array<{ canonicalizedBody: string }> };
    };
    type B = typeof base;
    const fields: Array<[(b: B) => string, (b: B, v: string) => void]> = [
      [(b) => b.dsseEnvelope.payload, (b, v) => (b.dsseEnvelope.payload = v)],
      [(b) => b.dsseEnvelope.signatures[0].sig, (b, v) => (b.dsseEnvelope.signatures[0].sig = v)],
      [(b) => b.verificationMaterial.certificate.rawBytes, (b, v) => (b.verificationMaterial.certificate.rawBytes = v)],
      [(b) => b.verificationMaterial.tlogEntries[0].canonicalizedBody, (b, v) => (b.verificationMaterial.tlogEntries[0].canonicalizedBody = v)],
    ];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: fields.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (f, pos, mask) => {
        const [get, set] = fields[f];
        const b = clone(base);
        const bytes = Buffer.from(get(b), 'base64');
        bytes[pos % bytes.length] ^= mask;
        set(b, bytes.toString('base64'));
        try {
          await verifier.verify(b as unknown as BundleJson);
        } catch (e) {
          return e instanceof VerificationError;
        }
        return false;
      }),
      { numRuns: 80, seed: 2 },
    );
  });

  it('property: a flipped byte in the RFC 3161 token is rejected or changes nothing that was verified', async () => {
    // sigstore-js reads the token leniently and checks it against the TSA certificates of the
    // trusted root (the copies embedded in the token are not used), so some flips are inert.
    // What must never happen is a different verified result.
    const base = v110() as { verificationMaterial: { timestampVerificationData: { rfc3161Timestamps: Array<{ signedTimestamp: string }> } } };
    const good = await verifier.verify(clone(base) as unknown as BundleJson);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (pos, mask) => {
        const b = clone(base);
        const ts = b.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0];
        const bytes = Buffer.from(ts.signedTimestamp, 'base64');
        bytes[pos % bytes.length] ^= mask;
        ts.signedTimestamp = bytes.toString('base64');
        try {
          const r = await verifier.verify(b as unknown as BundleJson);
          return r.signedAt?.getTime() === good.signedAt?.getTime() && Buffer.from(r.payload).equals(Buffer.from(good.payload)) && r.signer.identity === good.signer.identity;
        } catch (e) {
          return e instanceof VerificationError;
        }
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});

describe('sigstore trusted root selection', () => {
  it('offline never calls the TUF fetcher', async () => {
    let calls = 0;
    const v = createSigstoreVerifier({
      identity: VECTOR_IDENTITY,
      issuer: VECTOR_ISSUER,
      offline: true,
      tufFetch: async () => {
        calls++;
        throw new Error('network');
      },
    });
    await v.verify(v110());
    assert.equal(calls, 0);
  });

  it('online: a failing TUF refresh falls back to the embedded root with a warning', async () => {
    const cacheDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'tl-tuf-'));
    let calls = 0;
    let source = '';
    let warning = '';
    const v = createSigstoreVerifier({
      identity: VECTOR_IDENTITY,
      issuer: VECTOR_ISSUER,
      cacheDir,
      tufFetch: async () => {
        calls++;
        throw new Error('getaddrinfo ENOTFOUND');
      },
      onTrustedRoot: (r) => ((source = r.source), (warning = r.warning ?? '')),
    });
    await v.verify(v110());
    assert.equal(calls, 1);
    assert.equal(source, 'embedded');
    assert.match(warning, /ENOTFOUND/);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('online: a failing TUF refresh uses the last cached trusted root before the embedded one', async () => {
    const cacheDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'tl-tuf-'));
    const targets = path.join(cacheDir, 'tuf-repo-cdn.sigstore.dev', 'targets');
    fs.mkdirSync(targets, { recursive: true });
    // A cached root whose only TSA is GitHub's: v1.1.0's timestamp cannot verify with it, which
    // tells the cached root apart from the embedded one (which verifies it).
    fs.writeFileSync(path.join(targets, 'trusted_root.json'), JSON.stringify(readJson(CUSTOM_TRUST_CONFIG).trustedRoot));
    let source = '';
    const v = createSigstoreVerifier({
      identity: VECTOR_IDENTITY,
      issuer: VECTOR_ISSUER,
      cacheDir,
      tufFetch: noNetwork,
      onTrustedRoot: (r) => (source = r.source),
    });
    await rejects(v, v110(), 'TLOG_INVALID', /TIMESTAMP_ERROR/);
    assert.equal(source, 'tuf-cache');
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('online: a TUF root is used as returned (an empty CA list makes everything untrusted)', async () => {
    const root = embeddedProductionTrustedRoot();
    const emptied = { ...root, certificateAuthorities: [] };
    const cacheDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'tl-tuf-'));
    const v = createSigstoreVerifier({ identity: VECTOR_IDENTITY, issuer: VECTOR_ISSUER, cacheDir, tufFetch: async () => emptied });
    await rejects(v, v110(), 'UNTRUSTED_SIGNER');
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('staging offline has no embedded root: VERIFIER_CONFIG', async () => {
    const v = createSigstoreVerifier({ identity: VECTOR_IDENTITY, issuer: VECTOR_ISSUER, useStaging: true, offline: true, tufFetch: noNetwork });
    await rejects(v, v110(), 'VERIFIER_CONFIG', /staging/);
  });

  it('the embedded root is the production root from @sigstore/tuf (same bytes as the shared vector copy)', () => {
    const seeds = require('@sigstore/tuf/seeds.json') as Record<string, { targets: Record<string, string> }>;
    const embedded = Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev'].targets['trusted_root.json'], 'base64');
    const shared = fs.readFileSync(path.resolve(MT_TESTS, '../../../sigstore-trusted-root/production-trusted_root.json'));
    assert.equal(crypto.createHash('sha256').update(embedded).digest('hex'), crypto.createHash('sha256').update(shared).digest('hex'));
    assert.ok(embeddedProductionTrustedRoot().tlogs.length >= 1);
  });

  it('custom_trust_config.json parses with its snake_case signing_config', () => {
    const cfg = parseClientTrustConfig(fs.readFileSync(CUSTOM_TRUST_CONFIG, 'utf8'));
    assert.equal(cfg.trustedRoot.timestampAuthorities[0].subject?.organization, 'GitHub, Inc.');
    assert.equal(cfg.signingConfig?.caUrls[0].url, 'https://fulcio.sigstore.dev');
    assert.equal(cfg.signingConfig?.tsaUrls[0].url, 'https://timestamp.sigstore.dev/api/v1/timestamp');
  });

  it('a broken trust config is a config error, not a crash', async () => {
    assert.throws(() => parseClientTrustConfig('{'), /not valid JSON/);
    assert.throws(() => parseClientTrustConfig('{"mediaType":"x"}'), /ClientTrustConfig/);
    const v = createSigstoreVerifier({ identity: VECTOR_IDENTITY, issuer: VECTOR_ISSUER, trustConfigPath: '/nonexistent/trust.json' });
    await rejects(v, v110(), 'VERIFIER_CONFIG', /cannot read/);
  });
});
