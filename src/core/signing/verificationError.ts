import { TrustLensError } from '../errors';

/**
 * Why a verification failed. Every distinct way a signature or model can be wrong has its own
 * code, so callers (CLI exit text, VS Code badges, tests) never have to parse messages.
 */
export const REASON_CODES = [
  /** The signature file does not exist or cannot be read. */
  'SIGNATURE_NOT_FOUND',
  /** The bundle is empty, not JSON, truncated, or misses a required field. */
  'BUNDLE_MALFORMED',
  /** The bundle mediaType is not the one the signing method requires. */
  'MEDIA_TYPE',
  /** The DSSE signature does not verify over the payload. */
  'SIGNATURE_INVALID',
  /** The bundle names a different public key (hint) than the one supplied. */
  'KEY_MISMATCH',
  /** No trust anchor configured, or the certificate chain does not lead to one. */
  'UNTRUSTED_SIGNER',
  /** The certificate chain exists but breaks a policy: validity time, KeyUsage/EKU, CA flags. */
  'CERT_POLICY',
  /** Sigstore: the certificate identity / issuer is not the expected one. */
  'IDENTITY_MISMATCH',
  /** Sigstore: transparency log or timestamp evidence missing or invalid. */
  'TLOG_INVALID',
  /** The DSSE payload type is not in-toto, or the statement is not valid JSON / schema. */
  'PAYLOAD_MALFORMED',
  /** The statement's predicateType is not an OMS predicate. */
  'PREDICATE_TYPE',
  /** subject[0].digest.sha256 differs from the hash of the listed resource digests. */
  'ROOT_DIGEST_MISMATCH',
  /** A resource name is absolute, has `..`, empty or `.` segments, NUL, or a bad shard range. */
  'RESOURCE_NAME_INVALID',
  /** Two resources have the same name. */
  'DUPLICATE_RESOURCE',
  /** A recorded ignore path is malformed or would hide a signed or weight file. */
  'IGNORE_PATHS_INVALID',
  /** The recorded serialization (method, hash type, shard size) is unknown or unsupported. */
  'SERIALIZATION_UNSUPPORTED',
  /** The signature covers no file at all (the spec forbids empty models). */
  'EMPTY_MODEL',
  /** Files changed, missing or extra compared to the signature (see `diff`). */
  'CONTENT_MISMATCH',
  /** The model holds a symlink and symlinks are not allowed. */
  'SYMLINK',
  /** The model path does not exist. */
  'MODEL_NOT_FOUND',
  /** The model could not be read (permissions, special files, I/O error). */
  'MODEL_UNREADABLE',
  /** The verifier was misconfigured (no public key, unreadable trust anchors …). */
  'VERIFIER_CONFIG',
] as const;

/** A verification failure reason. See {@link REASON_CODES}. */
export type ReasonCode = (typeof REASON_CODES)[number];

/**
 * Thrown inside the verification pipeline (bundle / statement parsing, BundleVerifier
 * implementations); `verifyModel` turns it into an `invalid` result with the same code.
 */
export class VerificationError extends TrustLensError<ReasonCode> {
  override readonly name = 'VerificationError';
  constructor(code: ReasonCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }

  /** True when `e` is a VerificationError, optionally with the given code. */
  static isVerificationError(e: unknown, code?: ReasonCode): e is VerificationError {
    return e instanceof VerificationError && (code === undefined || e.code === code);
  }
}

/** Error thrown while signing (bad key, passphrase, certificate, empty model, write failure). */
export type SigningErrorCode =
  | 'KEY_INVALID'
  | 'KEY_UNSUPPORTED'
  | 'KEY_PASSPHRASE'
  | 'CERTIFICATE_INVALID'
  | 'CERTIFICATE_KEY_MISMATCH'
  | 'EMPTY_MODEL'
  | 'MODEL_NOT_FOUND'
  | 'SIGNATURE_WRITE';

/** Coded signing failure; message names the file and the reason, never key material. */
export class SigningError extends TrustLensError<SigningErrorCode> {
  override readonly name = 'SigningError';
  constructor(code: SigningErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
