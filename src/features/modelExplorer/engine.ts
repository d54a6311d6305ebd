/**
 * The model explorer's only door into the signing core. Turns settings into verifiers/signers,
 * and core results into ModelState. Host-free apart from types, so the mapping is unit-testable.
 */
import type { ModelState, SignerSummary } from './modelState';

export interface TrustConfig {
  publicKeys: string[];
  certificateRoots: string[];
  sigstoreIdentities: { identity: string; issuer: string }[];
  sigstoreInstance: 'public-good' | 'staging';
  /** Where Sigstore's TUF metadata is cached (the extension's global storage). */
  tufCachePath?: string;
}

export type SignRequest =
  | { method: 'key'; privateKeyPath: string; passphrase?: string }
  | { method: 'certificate'; privateKeyPath: string; certificatePath: string; chainPaths: string[]; passphrase?: string }
  | { method: 'sigstore'; identityToken: string; instance: 'public-good' | 'staging'; tufCachePath?: string };

export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, detail?: string) => void;
}

/** Verification outcome: the state to show plus, when known, the signed resources. */
export interface VerifyOutcome {
  state: Extract<ModelState, { kind: 'verified' | 'invalid' | 'modified' | 'untrusted' | 'error' }>;
}

/** Decoded signature, for the Signature details view. */
export interface SignatureDetails {
  signaturePath: string;
  mediaType?: string;
  method: 'key' | 'certificate' | 'sigstore' | 'unknown';
  keyHint?: string;
  certificates: { subject: string; issuer: string; notBefore?: string; notAfter?: string; fingerprint: string }[];
  tlogEntries: { logIndex?: string; integratedTime?: string; logId?: string; kind?: string }[];
  modelName?: string;
  rootDigest?: string;
  serialization?: Record<string, unknown>;
  resources: { name: string; algorithm: string; recorded: string; current?: string }[];
  predicateType?: string;
}

export interface ModelEngine {
  /** `useCache`: reuse digests of files whose stat is unchanged (automatic runs); explicit runs re-hash. */
  verify(folder: string, signaturePath: string, trust: TrustConfig, options: OperationOptions & { useCache?: boolean }): Promise<VerifyOutcome>;
  sign(folder: string, signaturePath: string, request: SignRequest, options: OperationOptions & { hashAlgorithm: 'sha256' | 'blake2b' }): Promise<void>;
  details(folder: string, signaturePath: string, options: OperationOptions & { withCurrentDigests: boolean }): Promise<SignatureDetails>;
}

/** Text shown for "cannot verify": what to configure so that this signer is trusted. */
export function trustHint(signer: SignerSummary | undefined): string {
  switch (signer?.method) {
    case 'sigstore':
      return `Add \`{ "identity": "${signer.label}", "issuer": "${signer.issuer ?? ''}" }\` to \`trustlens.trust.sigstoreIdentities\`, or use **Trust This Signer…**.`;
    case 'certificate':
      return 'Add the root CA certificate (PEM file) of this signer to `trustlens.trust.certificateRoots`, or use **Trust This Signer…**.';
    case 'key':
      return 'Add the signer\'s public key (PEM file) to `trustlens.trust.publicKeys`, or use **Trust This Signer…**.';
    default:
      return 'Configure `trustlens.trust.publicKeys`, `trustlens.trust.certificateRoots` or `trustlens.trust.sigstoreIdentities`.';
  }
}
