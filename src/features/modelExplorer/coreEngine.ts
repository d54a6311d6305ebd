/**
 * ModelEngine over the real signing core (src/core/signing). Picks the verifier(s) the trust
 * settings allow for the bundle's method, checks the signature once per candidate (cheap), then
 * hashes the model once with the verifier that accepted it.
 */
import { readFile } from 'node:fs/promises';
import { X509Certificate, createHash } from 'node:crypto';
import * as path from 'node:path';
import {
  createCertificateSigner,
  createCertificateVerifier,
  createKeySigner,
  createKeyVerifier,
  createSigstoreSigner,
  createSigstoreVerifier,
  parseBundleText,
  parseStatement,
  serializeModel,
  signModel,
  verifyModel,
  VerificationError,
  type BundleVerifier,
  type ParsedBundle,
  type SignerInfo,
  type VerificationResult,
} from '../../core/signing';
import { isCancellation } from '../../core/errors';
import type { ModelEngine, OperationOptions, SignRequest, SignatureDetails, TrustConfig, VerifyOutcome } from './engine';
import { trustHint } from './engine';
import type { SignerSummary } from './modelState';

/** Codes that mean "this verifier does not cover this signer": try the next trust anchor. */
const NOT_THIS_ANCHOR = new Set(['KEY_MISMATCH', 'UNTRUSTED_SIGNER', 'IDENTITY_MISMATCH']);

export class CoreModelEngine implements ModelEngine {
  /**
   * `options.useCache`: automatic verifications may reuse cached digests of unchanged files;
   * explicit ones (Verify Model) always re-hash every byte.
   */
  async verify(folder: string, signaturePath: string, trust: TrustConfig, options: OperationOptions & { useCache?: boolean }): Promise<VerifyOutcome> {
    let bundle: ParsedBundle;
    try {
      bundle = parseBundleText(await readFile(signaturePath));
    } catch (e) {
      if (isCancellation(e)) throw e;
      const code = e instanceof VerificationError ? e.code : 'SIGNATURE_NOT_FOUND';
      return { state: { kind: 'invalid', code, message: (e as Error).message } };
    }
    const method = bundle.material.kind === 'publicKey' ? 'key' : bundle.material.kind === 'x509CertificateChain' ? 'certificate' : 'sigstore';
    let candidates: { verifier: BundleVerifier; source: string }[];
    try {
      candidates = await this.verifiersFor(method, trust);
    } catch (e) {
      // An unreadable or malformed trust anchor: a configuration error, never "verified".
      const code = e instanceof VerificationError ? e.code : 'VERIFIER_CONFIG';
      return { state: { kind: 'error', code, message: (e as Error).message } };
    }
    const guessed = guessSigner(bundle);
    if (candidates.length === 0) {
      return { state: { kind: 'untrusted', code: 'UNTRUSTED_SIGNER', message: `no ${method} trust is configured`, signer: guessed, hint: trustHint(guessed) } };
    }
    let lastRejection: VerificationError | undefined;
    for (const c of candidates) {
      try {
        await c.verifier.verify(bundle.json, options.signal);
      } catch (e) {
        if (isCancellation(e)) throw e;
        if (e instanceof VerificationError && NOT_THIS_ANCHOR.has(e.code)) {
          lastRejection = e;
          continue;
        }
        if (e instanceof VerificationError && e.code === 'VERIFIER_CONFIG') {
          return { state: { kind: 'error', code: e.code, message: `${c.source}: ${e.message}` } };
        }
        if (method === 'key' && e instanceof VerificationError && e.code === 'SIGNATURE_INVALID' && bundle.material.kind === 'publicKey' && !bundle.material.hint) {
          lastRejection = e; // no key hint: a failing key may simply be another signer's
          continue;
        }
        const code = e instanceof VerificationError ? e.code : 'INTERNAL';
        return { state: { kind: 'invalid', code, message: (e as Error).message } };
      }
      const result = await verifyModel({ modelPath: folder, signaturePath, verifier: c.verifier, useCache: options.useCache, signal: options.signal, onProgress: options.onProgress });
      return { state: toState(result, c.source) };
    }
    return {
      state: {
        kind: 'untrusted',
        code: lastRejection?.code ?? 'UNTRUSTED_SIGNER',
        message: `no configured trust anchor accepts this signer${lastRejection ? ` (${lastRejection.message})` : ''}`,
        signer: guessed,
        hint: trustHint(guessed),
      },
    };
  }

  private async verifiersFor(method: 'key' | 'certificate' | 'sigstore', trust: TrustConfig): Promise<{ verifier: BundleVerifier; source: string }[]> {
    const out: { verifier: BundleVerifier; source: string }[] = [];
    if (method === 'key') {
      for (const p of trust.publicKeys) out.push({ verifier: createKeyVerifier({ publicKeyPem: await readTrustFile(p), source: p }), source: path.basename(p) });
    } else if (method === 'certificate') {
      if (trust.certificateRoots.length) {
        const pems = await Promise.all(trust.certificateRoots.map(readTrustFile));
        out.push({ verifier: createCertificateVerifier({ trustAnchorPems: pems, sources: trust.certificateRoots }), source: 'certificate roots' });
      }
    } else {
      for (const id of trust.sigstoreIdentities) {
        out.push({
          verifier: createSigstoreVerifier({ identity: id.identity, issuer: id.issuer, useStaging: trust.sigstoreInstance === 'staging', cacheDir: trust.tufCachePath }),
          source: id.identity,
        });
      }
    }
    return out;
  }

  async sign(folder: string, signaturePath: string, request: SignRequest, options: OperationOptions & { hashAlgorithm: 'sha256' | 'blake2b' }): Promise<void> {
    let signer;
    if (request.method === 'key') {
      signer = createKeySigner({ privateKeyPem: await readFile(request.privateKeyPath), passphrase: request.passphrase, source: request.privateKeyPath });
    } else if (request.method === 'certificate') {
      signer = createCertificateSigner({
        privateKeyPem: await readFile(request.privateKeyPath),
        passphrase: request.passphrase,
        certificatePem: await readFile(request.certificatePath),
        chainPems: await Promise.all(request.chainPaths.map((p) => readFile(p))),
        sources: { privateKey: request.privateKeyPath, certificate: request.certificatePath, chain: request.chainPaths },
      });
    } else {
      signer = createSigstoreSigner({ identityToken: request.identityToken, useStaging: request.instance === 'staging' });
    }
    await signModel({ modelPath: folder, signaturePath, signer, serialization: { hashAlgorithm: options.hashAlgorithm, useCache: false }, signal: options.signal, onProgress: options.onProgress });
  }

  async details(folder: string, signaturePath: string, options: OperationOptions & { withCurrentDigests: boolean }): Promise<SignatureDetails> {
    const bundle = parseBundleText(await readFile(signaturePath));
    const statement = parseStatement(bundle.payload, bundle.envelope.payloadType);
    const m = statement.manifest;
    const certs = bundle.material.kind === 'certificate' ? [bundle.material.certificate] : bundle.material.kind === 'x509CertificateChain' ? bundle.material.certificates : [];
    const vm = (bundle.json['verificationMaterial'] ?? {}) as { tlogEntries?: { logIndex?: string; integratedTime?: string; logId?: { keyId?: string }; kindVersion?: { kind?: string; version?: string } }[] };
    let current: Map<string, string> | undefined;
    if (options.withCurrentDigests) {
      current = new Map();
      const s = m.serialization;
      const sigRel = path.relative(folder, signaturePath).split(path.sep).join('/');
      try {
        const local = await serializeModel(folder, {
          method: s.method,
          hashAlgorithm: s.hash_type,
          shardSize: s.shard_size,
          ignorePaths: [...(s.ignore_paths ?? []), ...(sigRel.startsWith('..') ? [] : [sigRel])],
          ignoreGitPaths: true,
          allowSymlinks: s.allow_symlinks,
          useCache: true,
          signal: options.signal,
          onProgress: options.onProgress,
        });
        for (const r of local.resources) current.set(r.name, r.digest);
      } catch (e) {
        if (isCancellation(e)) throw e;
        current = undefined;
      }
    }
    return {
      signaturePath,
      mediaType: bundle.mediaType,
      method: bundle.material.kind === 'publicKey' ? 'key' : bundle.material.kind === 'certificate' ? 'sigstore' : 'certificate',
      keyHint: bundle.material.kind === 'publicKey' ? bundle.material.hint : undefined,
      certificates: certs.map(describeCert),
      tlogEntries: (vm.tlogEntries ?? []).map((t) => ({
        logIndex: t.logIndex,
        integratedTime: t.integratedTime ? new Date(Number(t.integratedTime) * 1000).toISOString() : undefined,
        logId: t.logId?.keyId,
        kind: t.kindVersion ? `${t.kindVersion.kind} ${t.kindVersion.version}` : undefined,
      })),
      modelName: m.modelName,
      rootDigest: m.rootDigest,
      predicateType: statement.predicateType,
      serialization: { ...m.serialization },
      resources: m.resources.map((r) => ({ name: r.name, algorithm: r.algorithm, recorded: r.digest, current: current?.get(r.name) })),
    };
  }
}

async function readTrustFile(p: string): Promise<Buffer> {
  try {
    return await readFile(p);
  } catch (e) {
    throw new VerificationError('VERIFIER_CONFIG', `cannot read trust file '${p}': ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function toState(r: VerificationResult, trustSource: string): VerifyOutcome['state'] {
  if (r.verdict === 'valid') {
    return { kind: 'verified', signer: summarize(r.signer, trustSource), signedAt: r.signedAt?.toISOString(), verifiedAt: new Date().toISOString() };
  }
  if (r.reason === 'CONTENT_MISMATCH' && r.diff) {
    return { kind: 'modified', changed: r.diff.changed, added: r.diff.extra, missing: r.diff.missing, source: 'verification' };
  }
  if (r.reason === 'UNTRUSTED_SIGNER' || r.reason === 'IDENTITY_MISMATCH') {
    const signer = r.signer ? summarize(r.signer, trustSource) : undefined;
    return { kind: 'untrusted', code: r.reason, message: r.message, signer, hint: trustHint(signer) };
  }
  return { kind: 'invalid', code: r.reason, message: r.message };
}

function summarize(s: SignerInfo, trustSource: string): SignerSummary {
  switch (s.method) {
    case 'key':
      return { method: 'key', label: trustSource || s.keyHint || 'public key' };
    case 'certificate':
      return { method: 'certificate', label: s.subject, issuer: s.issuer };
    case 'sigstore':
      return { method: 'sigstore', label: s.identity, issuer: s.issuer };
  }
}

/** Best-effort signer description from an unverified bundle (only used to say what to trust). */
function guessSigner(b: ParsedBundle): SignerSummary | undefined {
  try {
    if (b.material.kind === 'publicKey') return { method: 'key', label: b.material.hint ? `key ${b.material.hint.slice(0, 16)}…` : 'unknown key' };
    const leaf = new X509Certificate(b.material.kind === 'certificate' ? b.material.certificate : b.material.certificates[0]!);
    if (b.material.kind === 'certificate') {
      const san = (leaf.subjectAltName ?? '').split(', ')[0]?.replace(/^(email|URI):/, '') ?? '';
      return { method: 'sigstore', label: san, issuer: sigstoreIssuer(leaf) };
    }
    return { method: 'certificate', label: leaf.subject.replace(/\n/g, ', '), issuer: leaf.issuer.replace(/\n/g, ', ') };
  } catch {
    return undefined;
  }
}

/** Fulcio's OIDC issuer extension (1.3.6.1.4.1.57264.1.8 as UTF8String, or legacy .1.1 raw), read from the DER. */
function sigstoreIssuer(cert: X509Certificate): string | undefined {
  const der = cert.raw;
  for (const last of [0x08, 0x01]) {
    const oid = Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, last]);
    let i = der.indexOf(oid);
    if (i < 0) continue;
    i += oid.length;
    if (der[i] === 0x01) i += 3; // critical BOOLEAN
    if (der[i] !== 0x04 || (der[i + 1] ?? 0x80) >= 0x80) continue; // OCTET STRING, short length
    let start = i + 2;
    let len = der[i + 1]!;
    if (last === 0x08 && der[start] === 0x0c && (der[start + 1] ?? 0x80) < 0x80) {
      len = der[start + 1]!;
      start += 2;
    }
    return der.subarray(start, start + len).toString('utf8');
  }
  return undefined;
}

function describeCert(raw: Buffer): SignatureDetails['certificates'][number] {
  try {
    const c = new X509Certificate(raw);
    return {
      subject: c.subject.replace(/\n/g, ', ') || (c.subjectAltName ?? ''),
      issuer: c.issuer.replace(/\n/g, ', '),
      notBefore: new Date(c.validFrom).toISOString(),
      notAfter: new Date(c.validTo).toISOString(),
      fingerprint: c.fingerprint256,
    };
  } catch {
    return { subject: '(unparsable certificate)', issuer: '', fingerprint: createHash('sha256').update(raw).digest('hex') };
  }
}
