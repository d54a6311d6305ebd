/**
 * Sigstore keyless verifier: checks a bundle against a Sigstore trusted root (Fulcio chain, SCT,
 * Rekor inclusion, timestamps, DSSE signature, tlog body ↔ envelope) with @sigstore/verify,
 * then applies an exact identity (certificate SAN) + OIDC issuer policy, as
 * `model_signing verify sigstore --identity … --identity-provider …` does.
 * It does not look at the model: the caller checks the returned payload against the files.
 */
import { X509Certificate } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial, type SignedEntity, type Signer } from '@sigstore/verify';
import { throwIfAborted } from '../../abort';
import { TrustLensError } from '../../errors';
import type { BundleJson, BundleVerifier, SignerInfo } from '../types';
import { VerificationError } from '../verificationError';
import { mapSigstoreVerifyError } from './verifyErrors';

export interface SigstoreVerifierOptions {
  /** Expected certificate identity (SAN: email or URI), compared exactly. */
  identity: string;
  /** Expected OIDC issuer (Fulcio issuer extension), compared exactly. */
  issuer: string;
  /** The trusted root, or a loader called once on first use (e.g. TUF refresh). */
  trustedRoot: TrustedRoot | (() => Promise<TrustedRoot>);
  /**
   * Verified timestamps required (RFC 3161 or Rekor integrated time). Default 1, as sigstore-python:
   * a certificate is only valid for 10 minutes, so the signing time must be proven.
   */
  timestampThreshold?: number;
}

/** Result of {@link SigstoreBundleVerifier.verify}. */
export interface SigstoreVerified {
  payload: Uint8Array;
  payloadType: string;
  signer: Extract<SignerInfo, { method: 'sigstore' }>;
  signedAt?: Date;
}

export class SigstoreBundleVerifier implements BundleVerifier {
  readonly method = 'sigstore' as const;
  private root?: Promise<TrustedRoot>;

  constructor(private readonly options: SigstoreVerifierOptions) {
    if (!options.identity) throw new VerificationError('VERIFIER_CONFIG', 'sigstore verification needs an expected identity (--identity)');
    if (!options.issuer) throw new VerificationError('VERIFIER_CONFIG', 'sigstore verification needs an expected OIDC issuer (--identity-provider)');
  }

  async verify(bundleJson: BundleJson, signal?: AbortSignal): Promise<SigstoreVerified> {
    throwIfAborted(signal);
    const bundle = parseSigstoreBundle(bundleJson);
    const trustedRoot = await this.trustedRoot();
    throwIfAborted(signal);

    let entity: SignedEntity;
    try {
      entity = toSignedEntity(bundle);
    } catch (e) {
      throw new VerificationError('BUNDLE_MALFORMED', `sigstore bundle cannot be decoded: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    }
    let signer: Signer;
    try {
      const trust = toTrustMaterial(trustedRoot);
      signer = new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: this.options.timestampThreshold ?? 1 }).verify(entity);
    } catch (e) {
      throw mapSigstoreVerifyError(e);
    }

    const san = signer.identity?.subjectAlternativeName;
    const issuer = signer.identity?.extensions?.issuer;
    if (san !== this.options.identity) {
      throw new VerificationError('IDENTITY_MISMATCH', `signed by identity '${san ?? '(none)'}', expected '${this.options.identity}'`);
    }
    if (issuer !== this.options.issuer) {
      throw new VerificationError('IDENTITY_MISMATCH', `identity was issued by OIDC issuer '${issuer ?? '(none)'}', expected '${this.options.issuer}'`);
    }

    const envelope = (bundle.content as Extract<Bundle['content'], { $case: 'dsseEnvelope' }>).dsseEnvelope;
    const tlog = bundle.verificationMaterial.tlogEntries[0];
    return {
      payload: new Uint8Array(envelope.payload),
      payloadType: envelope.payloadType,
      signer: { method: 'sigstore', identity: san, issuer, logIndex: tlog?.logIndex },
      signedAt: signingTime(entity),
    };
  }

  private trustedRoot(): Promise<TrustedRoot> {
    const source = this.options.trustedRoot;
    this.root ??= (typeof source === 'function' ? source() : Promise.resolve(source)).catch((e: unknown) => {
      this.root = undefined; // let a later call retry (e.g. the network came back)
      const code = e instanceof TrustLensError ? ` [${e.code}]` : '';
      throw new VerificationError('VERIFIER_CONFIG', `no Sigstore trusted root${code}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    });
    return this.root;
  }
}

/**
 * Parses bundle JSON the way sigstore-python would accept it for `verify sigstore`, with coded
 * errors: it must be a Sigstore bundle (v0.1–v0.3) holding a DSSE envelope, a Fulcio
 * certificate (not a bare public key) and at least one transparency log entry.
 */
export function parseSigstoreBundle(json: BundleJson): Bundle {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new VerificationError('BUNDLE_MALFORMED', 'bundle is not a JSON object');
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !/^application\/vnd\.dev\.sigstore\.bundle(\.v0\.[1-3]\+json|\+json;version=0\.[1-3])$/.test(mediaType)) {
    throw new VerificationError('MEDIA_TYPE', `not a Sigstore bundle v0.1-v0.3 (mediaType ${JSON.stringify(mediaType)})`);
  }
  const vm = (json as { verificationMaterial?: { tlogEntries?: unknown; publicKey?: unknown } }).verificationMaterial;
  if (!(json as { dsseEnvelope?: unknown }).dsseEnvelope) {
    throw new VerificationError('BUNDLE_MALFORMED', (json as { messageSignature?: unknown }).messageSignature ? 'bundle holds a message signature, not a DSSE envelope' : 'bundle has no dsseEnvelope');
  }
  if (!vm || typeof vm !== 'object') throw new VerificationError('BUNDLE_MALFORMED', 'bundle has no verificationMaterial');
  if (vm.publicKey !== undefined) {
    throw new VerificationError('UNTRUSTED_SIGNER', 'bundle is signed with a plain public key, not a Sigstore (Fulcio) certificate: verify it with the key method');
  }
  if (!Array.isArray(vm.tlogEntries) || vm.tlogEntries.length === 0) {
    throw new VerificationError('TLOG_INVALID', 'bundle has no transparency log entry (Sigstore keyless bundles need one Rekor entry)');
  }
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (e) {
    const fields = (e as { fields?: unknown }).fields;
    const detail = Array.isArray(fields) && fields.length ? `invalid fields: ${fields.join(', ')}` : ((e as Error)?.message ?? String(e));
    throw new VerificationError('BUNDLE_MALFORMED', `sigstore bundle is malformed (${detail})`, { cause: e });
  }
  for (const der of certificatesOf(bundle)) assertStrictDer(der);
  return bundle;
}

function certificatesOf(bundle: Bundle): Buffer[] {
  const c = bundle.verificationMaterial.content;
  if (c.$case === 'certificate') return [c.certificate.rawBytes];
  if (c.$case === 'x509CertificateChain') return c.x509CertificateChain.certificates.map((x) => x.rawBytes);
  return [];
}

/**
 * The sigstore-js ASN.1 reader is lenient (it ignores the outer tag, for example), so the same
 * certificate could be smuggled in many byte forms. Require strict DER as OpenSSL parses it, with
 * nothing trailing, like sigstore-python (pyca/cryptography) does.
 */
function assertStrictDer(der: Buffer): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (e) {
    throw new VerificationError('BUNDLE_MALFORMED', `bundle certificate is not a valid DER X.509 certificate (${(e as Error).message})`, { cause: e });
  }
  if (!cert.raw.equals(der)) throw new VerificationError('BUNDLE_MALFORMED', 'bundle certificate is not in canonical DER form');
}

/** Earliest verified signing time: an RFC 3161 timestamp, else a Rekor integrated time backed by a promise. */
function signingTime(entity: SignedEntity): Date | undefined {
  const times: number[] = [];
  for (const t of entity.timestamps) {
    if (t.$case === 'timestamp-authority') times.push(t.timestamp.signingTime.getTime());
    else if (t.tlogEntry.inclusionPromise && Number(t.tlogEntry.integratedTime) > 0) times.push(Number(t.tlogEntry.integratedTime) * 1000);
  }
  return times.length ? new Date(Math.min(...times)) : undefined;
}
