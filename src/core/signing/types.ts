/**
 * Contracts between the parts of the signing core. Serialization (walking + hashing a model)
 * produces a Manifest; the statement/bundle layer turns a Manifest into a signed bundle and
 * back; signing methods (key, certificate, Sigstore) sit behind ModelSigner / BundleVerifier.
 */
import type { ProgressCallback } from '../abort';

/** Content hash algorithms OMS allows. The root digest is always SHA-256. */
export type HashAlgorithm = 'sha256' | 'blake2b' | 'blake3';
export type SerializationMethod = 'files' | 'shards';

/** Default shard size of the reference implementation (bytes). */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

/** How a model is turned into a manifest. Mirrors `predicate.serialization` plus run-time knobs. */
export interface SerializationOptions {
  method: SerializationMethod;
  hashAlgorithm: HashAlgorithm;
  /** Only for method 'shards'. */
  shardSize?: number;
  /** POSIX paths relative to the model root (already resolved by the caller). */
  ignorePaths: string[];
  /** Adds .git, .gitattributes, .github, .gitignore (top level) to the ignores. */
  ignoreGitPaths: boolean;
  allowSymlinks: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Reuse digests of files whose (path, size, mtime, inode) did not change. */
  useCache?: boolean;
}

/** One entry of `predicate.resources`. */
export interface ResourceDescriptor {
  /** POSIX path relative to the model root, "." for a single-file model, or "path:start:end" for shards. */
  name: string;
  /** "sha256" | "blake2b" | "blake3" for files; "<hash>-sharded-<size>" for shards. */
  algorithm: string;
  /** Lowercase hex. */
  digest: string;
}

/** `predicate.serialization` exactly as written to / read from the payload. */
export interface SerializationParams {
  method: SerializationMethod;
  hash_type: HashAlgorithm;
  allow_symlinks: boolean;
  shard_size?: number;
  ignore_paths?: string[];
}

/** The result of serializing a model: resources in manifest (PurePosixPath) order. */
export interface Manifest {
  /** subject[0].name: basename of the model path. */
  modelName: string;
  resources: ResourceDescriptor[];
  serialization: SerializationParams;
  /** SHA-256 over the raw digest bytes of `resources`, in order; lowercase hex. */
  rootDigest: string;
}

export type SigningMethod = 'key' | 'certificate' | 'sigstore';

/** Who signed, as far as the verifier could establish it. */
export type SignerInfo =
  | { method: 'key'; keyHint?: string }
  | { method: 'certificate'; subject: string; issuer: string; fingerprint: string }
  | { method: 'sigstore'; identity: string; issuer: string; logIndex?: string };

/** A Sigstore bundle as plain JSON (what model.sig holds). */
export type BundleJson = Record<string, unknown>;

/** Signs a DSSE payload and returns a complete Sigstore bundle v0.3 (JSON). */
export interface ModelSigner {
  readonly method: SigningMethod;
  sign(payload: Uint8Array, payloadType: string, signal?: AbortSignal): Promise<BundleJson>;
}

/**
 * Checks a bundle's signature and trust (not the model contents). Returns the verified DSSE
 * payload bytes and the signer, or throws a VerificationError with a reason code.
 */
export interface BundleVerifier {
  readonly method: SigningMethod;
  verify(bundle: BundleJson, signal?: AbortSignal): Promise<{ payload: Uint8Array; payloadType: string; signer: SignerInfo; signedAt?: Date }>;
}
