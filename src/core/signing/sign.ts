/**
 * signModel: serialize a model, build the OMS statement, sign it and write the bundle atomically.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ProgressCallback } from '../abort';
import { throwIfAborted } from '../abort';
import { isCancellation } from '../errors';
import { DEFAULT_SHARD_SIZE, type BundleJson, type Manifest, type ModelSigner, type SerializationOptions } from './types';
import { buildStatement, serializeStatement } from './statement';
import { IN_TOTO_PAYLOAD_TYPE } from './dsse';
import { MAX_BUNDLE_BYTES, serializeBundle } from './bundle';
import { SigningError } from './verificationError';
import { insideModel } from './verify';
import { serializeModel, SerializationError } from './serialization';
import { findBlindSpots } from './blindSpots';

/** Serialization knobs for signing; defaults are model_signing's (files, sha256, git ignores, no symlinks). */
export type SignSerialization = Partial<Pick<SerializationOptions, 'method' | 'hashAlgorithm' | 'shardSize' | 'ignorePaths' | 'ignoreGitPaths' | 'allowSymlinks' | 'useCache'>>;

export interface SignModelOptions {
  /** Model directory or single model file. */
  modelPath: string;
  signer: ModelSigner;
  /** Where to write the bundle (absolute, or relative to the process CWD). Excluded from hashing when inside the model. */
  signaturePath: string;
  serialization?: SignSerialization;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface SignResult {
  manifest: Manifest;
  bundle: BundleJson;
  /** Absolute path of the written signature. */
  signaturePath: string;
  /** The exact DSSE payload that was signed. */
  payload: Buffer;
}

/**
 * Signs a model and writes `signaturePath` atomically (temp file + rename in the same directory):
 * on any failure an existing signature is left untouched. Refuses empty models (OMS spec §6.1).
 * Throws SigningError, SerializationError or CancellationError.
 */
export async function signModel(options: SignModelOptions): Promise<SignResult> {
  const modelPath = path.resolve(options.modelPath);
  const signaturePath = path.resolve(options.signaturePath);
  try {
    await fs.lstat(modelPath);
  } catch {
    throw new SigningError('MODEL_NOT_FOUND', `model '${options.modelPath}' does not exist`);
  }
  const ser = options.serialization ?? {};
  const ignorePaths = [...(ser.ignorePaths ?? [])];
  const sigRel = insideModel(modelPath, signaturePath);
  if (sigRel) ignorePaths.push(sigRel);
  const method = ser.method ?? 'files';
  const manifest = await serializeModel(modelPath, {
    method,
    hashAlgorithm: ser.hashAlgorithm ?? 'sha256',
    shardSize: method === 'shards' ? (ser.shardSize ?? DEFAULT_SHARD_SIZE) : undefined,
    ignorePaths,
    ignoreGitPaths: ser.ignoreGitPaths ?? true,
    allowSymlinks: ser.allowSymlinks ?? false,
    useCache: ser.useCache,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  if (ser.allowSymlinks && (await fs.stat(modelPath)).isDirectory()) {
    // The serializer skips directory symlinks (reference parity): signing would leave their
    // files uncovered while the signature looks complete. Refuse instead.
    const { directoryLinks } = await findBlindSpots(modelPath, manifest.serialization.ignore_paths ?? [], { emptyFiles: false, signal: options.signal });
    if (directoryLinks.length > 0) {
      const link = path.join(modelPath, ...directoryLinks[0].split('/'));
      throw new SerializationError('SYMLINK_NOT_ALLOWED', `Cannot sign '${link}': it is a symlink to a directory, whose files would not be covered by the signature. Ignore it or replace it with the directory.`, link);
    }
  }
  if (manifest.resources.length === 0) {
    throw new SigningError('EMPTY_MODEL', `model '${options.modelPath}' has no file to sign (OMS forbids empty models)`);
  }
  const payload = serializeStatement(buildStatement(manifest));
  throwIfAborted(options.signal);
  const bundle = await options.signer.sign(payload, IN_TOTO_PAYLOAD_TYPE, options.signal);
  throwIfAborted(options.signal);
  await checkSignatureTarget(signaturePath, modelPath);
  await writeFileAtomic(signaturePath, serializeBundle(bundle));
  return { manifest, bundle, signaturePath, payload };
}

/**
 * The signature may only replace nothing, an empty file, or an earlier signature bundle: a
 * mistyped `--signature` (the model file itself, config.json, notes.txt) must not destroy a
 * user file, since the rename at the end would replace it without a trace.
 */
async function checkSignatureTarget(signaturePath: string, modelPath: string): Promise<void> {
  const refuse = (why: string) => new SigningError('SIGNATURE_WRITE', `refusing to write the signature to '${signaturePath}': ${why}`);
  if (signaturePath === modelPath) throw refuse('it is the model itself');
  let st;
  try {
    st = await fs.lstat(signaturePath);
  } catch {
    return; // nothing there yet (or an unreachable directory, which the write reports)
  }
  const real = await fs.realpath(signaturePath).catch(() => signaturePath);
  if (real === (await fs.realpath(modelPath).catch(() => modelPath))) throw refuse('it is the model itself');
  if (st.isSymbolicLink()) return; // the rename replaces the link, never its target
  if (!st.isFile()) throw refuse('it exists and is not a regular file');
  if (st.size === 0) return;
  if (st.size > MAX_BUNDLE_BYTES || !looksLikeBundle(await fs.readFile(signaturePath, 'utf8').catch(() => ''))) {
    throw refuse('the existing file is not a signature bundle; remove it or choose another path');
  }
}

function looksLikeBundle(text: string): boolean {
  try {
    const json = JSON.parse(text) as { mediaType?: unknown };
    return typeof json?.mediaType === 'string' && json.mediaType.startsWith('application/vnd.dev.sigstore.bundle');
  } catch {
    return false;
  }
}

/** Writes via a temp file in the same directory and renames over the target. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await fs.open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    if (isCancellation(e)) throw e;
    throw new SigningError('SIGNATURE_WRITE', `cannot write signature '${target}': ${(e as Error).message}`, { cause: e });
  }
}
