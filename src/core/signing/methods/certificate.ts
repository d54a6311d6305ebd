/**
 * Certificate method: the leaf and its intermediates travel in `x509CertificateChain`; the verifier
 * builds a path to a configured trust anchor with node:crypto, and checks CA flags, validity time
 * and KeyUsage / EKU (OMS-NOTES §3.3).
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import type { BundleJson, BundleVerifier, ModelSigner, SignerInfo } from '../types';
import { buildBundle, parseBundleJson, requireMediaType } from '../bundle';
import { SigningError, VerificationError } from '../verificationError';
import { throwIfAborted } from '../../abort';
import { canonicalSpkiPem, hashForKey, loadPrivateKey, parseCertificatesPem } from './pem';
import { signDsse, verifyDsse } from './ecdsa';
import { certificateConstraints, type CertificateConstraints } from './der';

/** EKU id-kp-codeSigning. */
const EKU_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
/** anyExtendedKeyUsage. */
const EKU_ANY = '2.5.29.37.0';
/** Longest chain we walk (leaf + intermediates) before giving up. */
const MAX_CHAIN_LENGTH = 10;
/**
 * Most certificates a bundle may carry. model_signing embeds every certificate of the signer's
 * --certificate-chain files, which may be a whole CA bundle (~150), so this is generous; it only
 * bounds the signature checks an untrusted bundle can make us do.
 */
const MAX_BUNDLE_CERTIFICATES = 200;

/**
 * At which instant certificate validity is checked:
 * - `'signing-time'` (default, model_signing parity): at the leaf's notBefore. The bundle holds no
 *   trusted time, so the reference assumes signing happened when the leaf became valid; expired
 *   certificates therefore still verify.
 * - `'now'`: strict, every certificate must be valid at verification time.
 * - a `Date`: every certificate must be valid at that instant.
 */
export type CertValidityPolicy = 'signing-time' | 'now' | Date;

export interface CertificateSignerOptions {
  privateKeyPem: string | Buffer;
  passphrase?: string;
  /** PEM of the signing (leaf) certificate; must hold the private key's public key. */
  certificatePem: string | Buffer;
  /** PEM texts of intermediates (each may hold several certificates), in order. */
  chainPems?: (string | Buffer)[];
  /** File names for error messages. */
  sources?: { privateKey?: string; certificate?: string; chain?: string[] };
}

/** Creates a certificate-method signer. Throws SigningError if the key and leaf do not match. */
export function createCertificateSigner(options: CertificateSignerOptions): ModelSigner {
  const src = options.sources ?? {};
  const key = loadPrivateKey(options.privateKeyPem, src.privateKey ?? 'private key', options.passphrase);
  const parse = (pem: string | Buffer, source: string) => {
    try {
      return parseCertificatesPem(pem, source);
    } catch (e) {
      throw new SigningError('CERTIFICATE_INVALID', (e as Error).message);
    }
  };
  const leafSource = src.certificate ?? 'signing certificate';
  const [leaf] = parse(options.certificatePem, leafSource);
  const chain = (options.chainPems ?? []).flatMap((pem, i) => parse(pem, src.chain?.[i] ?? `certificate chain #${i + 1}`));
  if (canonicalSpkiPem(leaf.publicKey) !== canonicalSpkiPem(key)) {
    throw new SigningError('CERTIFICATE_KEY_MISMATCH', `${leafSource}: the certificate's public key does not match the private key`);
  }
  return new CertificateSigner(key, [leaf, ...chain]);
}

class CertificateSigner implements ModelSigner {
  readonly method = 'certificate' as const;
  readonly #key: KeyObject;
  readonly #chain: X509Certificate[];
  constructor(key: KeyObject, chain: X509Certificate[]) {
    this.#key = key;
    this.#chain = chain;
  }
  async sign(payload: Uint8Array, payloadType: string, signal?: AbortSignal): Promise<BundleJson> {
    throwIfAborted(signal);
    const sig = signDsse(this.#key, payload, payloadType);
    const certificates = this.#chain.map((c) => ({ rawBytes: c.raw.toString('base64') }));
    return buildBundle({ x509CertificateChain: { certificates } }, payload, payloadType, sig);
  }
}

export interface CertificateVerifierOptions {
  /** PEM texts of trust anchors (roots, or any certificate you decide to trust). */
  trustAnchorPems: (string | Buffer)[];
  /** Default `'signing-time'` (see {@link CertValidityPolicy}). */
  validity?: CertValidityPolicy;
  sources?: string[];
}

/** Creates a certificate-method verifier. Throws VerificationError VERIFIER_CONFIG on unreadable anchors. */
export function createCertificateVerifier(options: CertificateVerifierOptions): BundleVerifier {
  const anchors = options.trustAnchorPems.flatMap((pem, i) => {
    try {
      return parseCertificatesPem(pem, options.sources?.[i] ?? `trust anchor #${i + 1}`);
    } catch (e) {
      throw new VerificationError('VERIFIER_CONFIG', (e as Error).message);
    }
  });
  return new CertificateVerifier(anchors, options.validity ?? 'signing-time');
}

class CertificateVerifier implements BundleVerifier {
  readonly method = 'certificate' as const;
  constructor(
    private readonly anchors: X509Certificate[],
    private readonly validity: CertValidityPolicy,
  ) {}

  async verify(bundleJson: BundleJson, signal?: AbortSignal) {
    throwIfAborted(signal);
    const bundle = parseBundleJson(bundleJson);
    requireMediaType(bundle);
    if (bundle.material.kind !== 'x509CertificateChain') {
      throw new VerificationError('UNTRUSTED_SIGNER', 'the bundle carries no x509CertificateChain (was it signed with a key or Sigstore?)');
    }
    // Each extra certificate can cost a signature check per path step: bound the work up front.
    if (bundle.material.certificates.length > MAX_BUNDLE_CERTIFICATES) {
      throw new VerificationError('BUNDLE_MALFORMED', `the bundle carries ${bundle.material.certificates.length} certificates (at most ${MAX_BUNDLE_CERTIFICATES} are accepted)`);
    }
    const chain = bundle.material.certificates.map((der, i) => {
      try {
        return new X509Certificate(der);
      } catch {
        throw new VerificationError('BUNDLE_MALFORMED', `certificate #${i + 1} in the bundle is not a valid X.509 certificate`);
      }
    });
    const leaf = chain[0];
    const at = this.validity === 'signing-time' ? certDate(leaf.validFrom) : this.validity === 'now' ? new Date() : this.validity;
    buildPath(leaf, chain.slice(1), this.anchors, at);
    checkLeafUsage(leaf);
    const key = leaf.publicKey;
    if (!hashForKey(key)) throw new VerificationError('CERT_POLICY', 'the signing certificate does not hold an EC P-256/P-384/P-521 key');
    if (!verifyDsse(key, bundle.payload, bundle.envelope.payloadType, bundle.signature, 'sha256')) {
      throw new VerificationError('SIGNATURE_INVALID', 'the DSSE signature does not verify with the signing certificate');
    }
    const signer: SignerInfo = { method: 'certificate', subject: leaf.subject, issuer: leaf.issuer, fingerprint: leaf.fingerprint256 };
    return { payload: new Uint8Array(bundle.payload), payloadType: bundle.envelope.payloadType, signer };
  }
}

/** Parses node's "May  2 23:36:28 2025 GMT" validity strings. */
function certDate(s: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new VerificationError('BUNDLE_MALFORMED', `unreadable certificate validity date '${s}'`);
  return d;
}

function checkValidAt(cert: X509Certificate, at: Date, role: string): void {
  if (at < certDate(cert.validFrom) || at > certDate(cert.validTo)) {
    throw new VerificationError(
      'CERT_POLICY',
      `${role} certificate '${cert.subject.replace(/\n/g, ', ')}' is not valid at ${at.toISOString()} (valid ${cert.validFrom} to ${cert.validTo})`,
    );
  }
}

/** True when `issuer` issued `cert`: names/key ids match and the signature verifies. */
function issued(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Walks from the leaf through the bundle's intermediates to a trust anchor. A certificate whose
 * subject equals its issuer is NOT treated as self-signed (the test PKI's leaf is like that): an
 * issuer must be a different certificate whose key verifies the signature.
 */
function buildPath(leaf: X509Certificate, intermediates: X509Certificate[], anchors: X509Certificate[], at: Date): void {
  if (anchors.length === 0) throw new VerificationError('UNTRUSTED_SIGNER', 'no trust anchor configured for certificate verification');
  checkValidAt(leaf, at, 'signing');
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  const used = new Set<string>([leaf.fingerprint256]);
  // Issuers above the leaf, in order; the last one is the trust anchor once found.
  const issuers: X509Certificate[] = [];
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    // The certificate itself is trusted (model_signing trusts every given cert).
    if (isAnchor(current)) return checkIssuerConstraints(issuers, true);
    const anchor = anchors.find((a) => a.fingerprint256 !== current.fingerprint256 && issued(current, a));
    if (anchor) {
      if (!anchor.ca) throw new VerificationError('CERT_POLICY', `trust anchor '${anchor.subject}' is not a CA certificate`);
      checkValidAt(anchor, at, 'trust anchor');
      return checkIssuerConstraints([...issuers, anchor], true);
    }
    const next = intermediates.find((c) => !used.has(c.fingerprint256) && issued(current, c));
    if (!next) break;
    if (!next.ca) throw new VerificationError('CERT_POLICY', `intermediate '${next.subject}' is not a CA certificate (basicConstraints/keyUsage)`);
    checkValidAt(next, at, 'intermediate');
    used.add(next.fingerprint256);
    issuers.push(next);
    current = next;
  }
  throw new VerificationError('UNTRUSTED_SIGNER', `the certificate chain of '${leaf.subject.replace(/\n/g, ', ')}' does not lead to a configured trust anchor`);
}

function constraintsOf(cert: X509Certificate, role: string): CertificateConstraints {
  let c: CertificateConstraints;
  try {
    c = certificateConstraints(cert.raw);
  } catch (e) {
    throw new VerificationError('BUNDLE_MALFORMED', `${role} certificate extensions are malformed: ${(e as Error).message}`);
  }
  if (c.unknownCritical.length > 0) {
    throw new VerificationError('CERT_POLICY', `${role} certificate '${cert.subject.replace(/\n/g, ', ')}' has critical extensions TrustLens does not understand (${c.unknownCritical.join(', ')})`);
  }
  return c;
}

/**
 * RFC 5280 checks on the issuing certificates (leaf's issuer first, anchor last), as OpenSSL
 * applies them: KeyUsage (when present) must allow keyCertSign, pathLenConstraint bounds the
 * number of intermediates below, unknown critical extensions are refused (not for the anchor,
 * which the user configured).
 */
function checkIssuerConstraints(issuers: X509Certificate[], lastIsAnchor: boolean): void {
  issuers.forEach((cert, i) => {
    const anchor = lastIsAnchor && i === issuers.length - 1;
    const role = anchor ? 'trust anchor' : 'intermediate';
    const c = anchor ? certificateConstraintsOrMalformed(cert, role) : constraintsOf(cert, role);
    const name = cert.subject.replace(/\n/g, ', ');
    if (c.keyCertSign === false) throw new VerificationError('CERT_POLICY', `${role} '${name}' may not sign certificates (KeyUsage lacks keyCertSign)`);
    if (c.pathLen !== undefined && i > c.pathLen) {
      throw new VerificationError('CERT_POLICY', `${role} '${name}' allows ${c.pathLen} intermediate(s) below it (pathLenConstraint), the chain has ${i}`);
    }
  });
}

function certificateConstraintsOrMalformed(cert: X509Certificate, role: string): CertificateConstraints {
  try {
    return certificateConstraints(cert.raw);
  } catch (e) {
    throw new VerificationError('BUNDLE_MALFORMED', `${role} certificate extensions are malformed: ${(e as Error).message}`);
  }
}

/**
 * The signing certificate must be meant for signing: KeyUsage (when present) must allow
 * digitalSignature and ExtendedKeyUsage (when present) must allow codeSigning (or any), and at
 * least one of the two must be present, as model_signing requires. Stricter than model_signing,
 * which accepts digitalSignature alone: with a web PKI trust store, any TLS server certificate
 * (EKU serverAuth) would otherwise count as a model signer.
 */
function checkLeafUsage(leaf: X509Certificate): void {
  const c = constraintsOf(leaf, 'signing');
  const eku = leaf.keyUsage ?? [];
  const ekuOk = eku.includes(EKU_CODE_SIGNING) || eku.includes(EKU_ANY);
  if (c.digitalSignature === false) throw new VerificationError('CERT_POLICY', 'the signing certificate does not allow KeyUsage digitalSignature');
  if (c.hasExtKeyUsage && !ekuOk) throw new VerificationError('CERT_POLICY', `the signing certificate's ExtendedKeyUsage (${eku.join(', ') || 'none'}) does not include codeSigning`);
  if (c.digitalSignature !== true && !c.hasExtKeyUsage) {
    throw new VerificationError('CERT_POLICY', 'the signing certificate allows neither KeyUsage digitalSignature nor EKU codeSigning');
  }
}
