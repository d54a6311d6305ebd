/**
 * Public surface of the signing core: the only module adapters (CLI, VS Code) import.
 *
 *   signModel({ modelPath, signer, signaturePath, serialization? })      → SignResult (writes the bundle)
 *   verifyModel({ modelPath, signaturePath | bundle, verifier, … })       → VerificationResult (never throws
 *                                                                            except CancellationError)
 *   create{Key,Certificate,Sigstore}{Signer,Verifier}(…)                 → ModelSigner / BundleVerifier
 *   serializeModel(modelPath, options)                                   → Manifest (for `digest`)
 */
export * from './types';
export { signModel, writeFileAtomic } from './sign';
export type { SignModelOptions, SignResult, SignSerialization } from './sign';
export { verifyModel, insideModel } from './verify';
export type { VerifyModelOptions, VerificationResult, ValidResult, InvalidResult } from './verify';
export type { ManifestDiff } from './manifestDiff';
export { VerificationError, SigningError, REASON_CODES } from './verificationError';
export type { ReasonCode, SigningErrorCode } from './verificationError';
export { createKeySigner, createKeyVerifier } from './methods/key';
export type { KeySignerOptions, KeyVerifierOptions } from './methods/key';
export { createCertificateSigner, createCertificateVerifier } from './methods/certificate';
export type { CertificateSignerOptions, CertificateVerifierOptions, CertValidityPolicy } from './methods/certificate';
export { publicKeyHint } from './methods/pem';
export { parseBundleText, parseBundleJson, serializeBundle, BUNDLE_MEDIA_TYPE_V03 } from './bundle';
export type { ParsedBundle } from './bundle';
export { buildStatement, serializeStatement, parseStatement, printable, PREDICATE_TYPE_V1, PREDICATE_TYPE_LEGACY_DIGESTS, IN_TOTO_STATEMENT_TYPE } from './statement';
export type { InTotoStatement, ParsedStatement } from './statement';
export { pae, IN_TOTO_PAYLOAD_TYPE } from './dsse';
export { serializeModel, computeRootDigest, SerializationError } from './serialization';
export type { SerializationErrorCode } from './serialization';
export { createSigstoreSigner, createSigstoreVerifier } from './sigstore';
export type { SigstoreSignerFactoryOptions, SigstoreVerifierFactoryOptions } from './sigstore';
