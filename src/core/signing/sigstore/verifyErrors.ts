/**
 * Maps @sigstore/verify and @sigstore/bundle errors onto TrustLens reason codes, keeping the
 * library's own code in the message (e.g. `[TIMESTAMP_ERROR]`) for diagnosis.
 */
import { VerificationError, type ReasonCode } from '../verificationError';

const CODE_MAP: Record<string, ReasonCode> = {
  TLOG_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROOF_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROMISE_ERROR: 'TLOG_INVALID',
  TLOG_MISSING_INCLUSION_ERROR: 'TLOG_INVALID',
  TLOG_BODY_ERROR: 'TLOG_INVALID',
  TIMESTAMP_ERROR: 'TLOG_INVALID',
  CERTIFICATE_ERROR: 'UNTRUSTED_SIGNER',
  PUBLIC_KEY_ERROR: 'UNTRUSTED_SIGNER',
  SIGNATURE_ERROR: 'SIGNATURE_INVALID',
  UNTRUSTED_SIGNER_ERROR: 'IDENTITY_MISMATCH',
  NOT_IMPLEMENTED_ERROR: 'BUNDLE_MALFORMED',
};

/** Converts anything thrown during Sigstore verification into a VerificationError. Never returns "valid". */
export function mapSigstoreVerifyError(e: unknown): VerificationError {
  if (e instanceof VerificationError) return e;
  const libCode = (e as { code?: unknown })?.code;
  const message = (e as Error)?.message ?? String(e);
  if (typeof libCode === 'string' && CODE_MAP[libCode]) {
    return new VerificationError(CODE_MAP[libCode], `sigstore [${libCode}]: ${message}`, { cause: e });
  }
  // Parse failures deep in certificates / timestamps (ASN.1, X.509) and anything unexpected.
  return new VerificationError('BUNDLE_MALFORMED', `sigstore verification could not process the bundle: ${message}`, { cause: e });
}
