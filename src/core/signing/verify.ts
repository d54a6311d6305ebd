/**
 * verifyModel: the whole OMS verification pipeline, returning a typed verdict instead of throwing.
 * bundle → signature + trust (BundleVerifier) → statement → re-serialize the model with the
 * RECORDED serialization → per-file comparison.
 */
import { constants as fsConstants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ProgressCallback } from '../abort';
import { throwIfAborted } from '../abort';
import { isCancellation, TrustLensError } from '../errors';
import type { BundleJson, BundleVerifier, Manifest, SerializationOptions, SignerInfo, SigningMethod } from './types';
import { MAX_BUNDLE_BYTES, parseBundleJson, parseBundleText } from './bundle';
import { parseStatement, printable } from './statement';
import { VerificationError, REASON_CODES, type ReasonCode } from './verificationError';
import { diffManifests, isEmptyDiff, type ManifestDiff } from './manifestDiff';
import { findIgnoredWeightFile } from './weightFiles';
import { parseShardName, pathCovers } from './resourceNames';
import { serializeModel, DEFAULT_GIT_IGNORES } from './serialization';
import { unsignedEntries } from './unsignedPaths';
import { findBlindSpots, type BlindSpots } from './blindSpots';

/** The model matches a trusted signature. */
export interface ValidResult {
  verdict: 'valid';
  method: SigningMethod;
  signer: SignerInfo;
  /** Trusted signing time when the method provides one (Sigstore); absent for key/certificate. */
  signedAt?: Date;
  /** The signed manifest (resources in signed order). */
  manifest: Manifest;
  /** predicateType of the signed statement. */
  predicateType: string;
  /** Non-fatal remarks (legacy format, ignored unsigned files …). */
  warnings: string[];
}

/** The signature or the model is not acceptable. */
export interface InvalidResult {
  verdict: 'invalid';
  reason: ReasonCode;
  /** One sentence naming the file and the reason. */
  message: string;
  method: SigningMethod;
  /** Known when the signature itself verified and the failure is about the model. */
  signer?: SignerInfo;
  signedAt?: Date;
  /** Present for CONTENT_MISMATCH. */
  diff?: ManifestDiff;
}

/** Result of {@link verifyModel}: a discriminated union on `verdict`. */
export type VerificationResult = ValidResult | InvalidResult;

export interface VerifyModelOptions {
  /** Model directory or single model file. */
  modelPath: string;
  /** The bundle itself (parsed JSON or its text/bytes); otherwise `signaturePath` is read. */
  bundle?: BundleJson | string | Uint8Array;
  /** Path of the signature file (absolute, or relative to the process CWD). */
  signaturePath?: string;
  /** Checks signature and trust for one method (key, certificate, Sigstore). */
  verifier: BundleVerifier;
  /** Do not report model files the signature does not list (model_signing --ignore-unsigned-files). */
  ignoreUnsignedFiles?: boolean;
  /** Extra local ignores, POSIX paths relative to the model root. Never hide a signed file. */
  ignorePaths?: string[];
  /** Also ignore .git, .gitattributes, .github, .gitignore at top level (default true, like the reference). */
  ignoreGitPaths?: boolean;
  /** Overrides the recorded allow_symlinks policy; by default the recorded policy applies (spec §6.1.1). */
  allowSymlinks?: boolean;
  /** Reuse cached digests of unchanged files (quick mode; trusts file metadata, see digestCache.ts). */
  useCache?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/**
 * Verifies a model against its OMS signature. Never throws for bad input: every failure is an
 * `invalid` result with a reason code. Only cancellation (CancellationError) is thrown.
 */
export async function verifyModel(options: VerifyModelOptions): Promise<VerificationResult> {
  const method = options.verifier.method;
  let signer: SignerInfo | undefined;
  let signedAt: Date | undefined;
  try {
    throwIfAborted(options.signal);
    const bundle = await loadBundle(options);
    const verified = await options.verifier.verify(bundle, options.signal);
    signer = verified.signer;
    signedAt = verified.signedAt;
    const statement = parseStatement(verified.payload, verified.payloadType);
    const signed = statement.manifest;
    if (signed.resources.length === 0) {
      throw new VerificationError('EMPTY_MODEL', 'the signature covers no file (OMS forbids empty models)');
    }
    const local = await serializeLocal(options, signed);
    const diff = diffManifests(signed.resources, local.manifest.resources, signed.serialization, {
      modelPath: options.modelPath,
      singleFile: local.singleFile,
      ignoreUnsigned: options.ignoreUnsignedFiles === true,
    });
    // A directory symlink is content the manifest cannot cover (the serializer skips it).
    if (!options.ignoreUnsignedFiles) diff.extra.push(...local.blindSpots.directoryLinks);
    if (!isEmptyDiff(diff)) {
      return { verdict: 'invalid', reason: 'CONTENT_MISMATCH', message: describeDiff(options.modelPath, diff), method, signer, signedAt, diff };
    }
    const warnings: string[] = [];
    if (statement.legacy) warnings.push('legacy v0.1 Digests statement (model_signing 0.2.x); signed without a root digest');
    const outside = local.blindSpots.outsideLinks;
    if (outside.length > 0) {
      warnings.push(`${outside.length} signed symlink(s) point outside the model, whose content can change without touching the model folder: ${outside.slice(0, 5).map((f) => printable(f)).join(', ')}${outside.length > 5 ? ', …' : ''}`);
    }
    const empty = local.blindSpots.emptyFiles;
    if (empty.length > 0) {
      warnings.push(`${empty.length} empty file(s) not covered by the signature (the shards method cannot sign empty files): ${empty.slice(0, 5).map((f) => printable(f)).join(', ')}${empty.length > 5 ? ', …' : ''}`);
    }
    return { verdict: 'valid', method, signer, signedAt, manifest: signed, predicateType: statement.predicateType, warnings };
  } catch (e) {
    if (isCancellation(e)) throw e;
    const reason = reasonOf(e);
    const message = e instanceof Error ? e.message : String(e);
    return { verdict: 'invalid', reason, message, method, signer, signedAt };
  }
}

async function loadBundle(options: VerifyModelOptions): Promise<BundleJson> {
  if (options.bundle !== undefined) {
    const b = options.bundle;
    return typeof b === 'string' || b instanceof Uint8Array ? parseBundleText(b).json : parseBundleJson(b).json;
  }
  if (!options.signaturePath) throw new VerificationError('SIGNATURE_NOT_FOUND', 'no signature given');
  const bytes = await readSignatureFile(options.signaturePath);
  try {
    return parseBundleText(bytes).json;
  } catch (e) {
    if (e instanceof VerificationError) throw new VerificationError(e.code, `${options.signaturePath}: ${e.message}`);
    throw e;
  }
}

/**
 * Reads a signature file of at most MAX_BUNDLE_BYTES. Opened non-blocking and checked with fstat
 * first: `/dev/zero`, a FIFO or a multi-GB file must fail at once, not hang or fill memory.
 */
async function readSignatureFile(file: string): Promise<Buffer> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    const st = await fh.stat();
    if (!st.isFile()) throw new VerificationError('SIGNATURE_NOT_FOUND', `signature '${file}' is not a regular file`);
    if (st.size > MAX_BUNDLE_BYTES) throw new VerificationError('BUNDLE_MALFORMED', `${file}: signature file is too large (${st.size} bytes)`);
    const buf = Buffer.alloc(st.size + 1); // one more byte shows whether it grew since fstat
    let n = 0;
    for (let r; n < buf.length && (r = await fh.read(buf, n, buf.length - n, n)).bytesRead > 0; ) n += r.bytesRead;
    if (n > st.size) throw new VerificationError('BUNDLE_MALFORMED', `${file}: signature file changed while it was read`);
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof VerificationError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new VerificationError('SIGNATURE_NOT_FOUND', `cannot read signature '${file}': ${code === 'ENOENT' ? 'no such file' : code ?? 'error'}`);
  } finally {
    await fh?.close();
  }
}

/** Re-serializes the local model with the recorded serialization and the effective ignores. */
async function serializeLocal(options: VerifyModelOptions, signed: Manifest): Promise<{ manifest: Manifest; singleFile: boolean; blindSpots: BlindSpots }> {
  const modelPath = path.resolve(options.modelPath);
  let st;
  try {
    // Follow a symlinked root: it is a directory model (the serializer refuses the link itself
    // unless symlinks are allowed), which needs the directory ignores below.
    st = await fs.stat(modelPath);
  } catch {
    throw new VerificationError('MODEL_NOT_FOUND', `model '${options.modelPath}' does not exist`);
  }
  const s = signed.serialization;
  const signedPaths = signed.resources.map((r) => (s.method === 'shards' ? (parseShardName(r.name)?.path ?? r.name) : r.name));
  const recorded = s.ignore_paths ?? [];
  const ignorePaths: string[] = [];
  if (st.isDirectory()) {
    // Local ignores (defaults, user) never hide a file the signature lists: model_signing's
    // "Missing files" pitfall for models signed with --no-ignore-git-paths.
    const local = [...(options.ignorePaths ?? []), ...(options.ignoreGitPaths === false ? [] : DEFAULT_GIT_IGNORES)];
    for (const raw of local) {
      const p = normalizeLocalIgnore(raw, modelPath);
      if (p !== undefined && !signedPaths.some((sp) => pathCovers(p, sp))) ignorePaths.push(p);
    }
    const sigRel = options.signaturePath ? insideModel(modelPath, options.signaturePath) : undefined;
    if (sigRel) ignorePaths.push(sigRel);
    // Recorded ignores were checked against the signed names; also refuse hiding weight files.
    const suspicious = recorded.filter((p) => !DEFAULT_GIT_IGNORES.includes(p) && p !== sigRel);
    const weight = await findIgnoredWeightFile(modelPath, suspicious, options.signal);
    if (weight !== undefined) {
      throw new VerificationError('IGNORE_PATHS_INVALID', `the signature's ignore_paths hide '${printable(weight)}', which looks like model weights`);
    }
    ignorePaths.push(...recorded);
    if (options.ignoreUnsignedFiles) {
      // Like model_signing, only the signed files are read: unsigned ones are neither hashed nor
      // able to fail the run (an unsigned symlink or socket).
      ignorePaths.push(...(await unsignedEntries(modelPath, signedPaths, ignorePaths, options.signal)));
    }
  }
  const serOptions: SerializationOptions = {
    method: s.method,
    hashAlgorithm: s.hash_type,
    shardSize: s.shard_size,
    ignorePaths: [...new Set(ignorePaths)],
    ignoreGitPaths: false,
    allowSymlinks: options.allowSymlinks ?? s.allow_symlinks,
    signal: options.signal,
    onProgress: options.onProgress,
    useCache: options.useCache,
  };
  try {
    const manifest = await serializeModel(modelPath, serOptions);
    // Only walk again when there can be blind spots: directory links need allowed symlinks
    // (otherwise the serializer already failed on them), empty files need the shards method.
    const emptyFiles = s.method === 'shards' && !options.ignoreUnsignedFiles;
    const blindSpots: BlindSpots =
      st.isDirectory() && (serOptions.allowSymlinks || emptyFiles)
        ? await findBlindSpots(modelPath, serOptions.ignorePaths, { emptyFiles, signal: options.signal })
        : { directoryLinks: [], emptyFiles: [], outsideLinks: [] };
    return { manifest, singleFile: !st.isDirectory(), blindSpots };
  } catch (e) {
    if (isCancellation(e)) throw e;
    throw serializationFailure(e, options.modelPath);
  }
}

/** Model-relative POSIX path of `file` when it lies inside `modelRoot`, else undefined. */
export function insideModel(modelRoot: string, file: string): string | undefined {
  const rel = path.relative(path.resolve(modelRoot), path.resolve(file));
  // '..sig' is a file inside the model; only a whole '..' component leaves it.
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/**
 * A local ignore path in the serializer's normal form ('./a//b/' → 'a/b'), so the "never hide a
 * signed file" check sees what will actually be ignored; undefined for paths naming the root or
 * leaving the model (they cannot be ignores).
 */
function normalizeLocalIgnore(raw: string, modelRoot: string): string | undefined {
  const rel = path.isAbsolute(raw) ? path.relative(modelRoot, raw) : raw;
  const p = path.posix.normalize(process.platform === 'win32' ? rel.replace(/\\/g, '/') : rel).replace(/\/+$/, '');
  if (p === '' || p === '.' || p === '..' || p.startsWith('../') || p.startsWith('/')) return undefined;
  return p;
}

function serializationFailure(e: unknown, modelPath: string): VerificationError {
  const code = TrustLensError.is(e) ? e.code : '';
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'SYMLINK_NOT_ALLOWED') return new VerificationError('SYMLINK', msg, { cause: e });
  if (code === 'INVALID_OPTIONS') return new VerificationError('SERIALIZATION_UNSUPPORTED', msg, { cause: e });
  return new VerificationError('MODEL_UNREADABLE', `cannot read model '${modelPath}': ${msg}`, { cause: e });
}

function reasonOf(e: unknown): ReasonCode {
  if (e instanceof VerificationError) return e.code;
  const code = TrustLensError.is(e) ? e.code : undefined;
  if (code && (REASON_CODES as readonly string[]).includes(code)) return code as ReasonCode;
  // An unexpected failure inside a verifier is still a failed verification (fail closed).
  return 'SIGNATURE_INVALID';
}

function describeDiff(modelPath: string, d: ManifestDiff): string {
  const part = (label: string, xs: string[]) =>
    xs.length ? `${label}: ${xs.slice(0, 5).map((x) => printable(x)).join(', ')}${xs.length > 5 ? ` (+${xs.length - 5} more)` : ''}` : undefined;
  const parts = [part('changed', d.changed), part('missing', d.missing), part('extra', d.extra)].filter(Boolean);
  return `model '${modelPath}' does not match its signature; ${parts.join('; ')}`;
}
