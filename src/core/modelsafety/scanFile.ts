/**
 * Entry points: check one model file, or every model file below a folder. The file is opened once
 * and read only where a format reader asks, so a multi-GB archive costs its headers and pickles.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { throwIfAborted } from '../abort';
import { isCancellation, TrustLensError } from '../errors';
import { looksLikeGguf } from './formats/gguf';
import { looksLikeHdf5 } from './formats/hdf5';
import { looksLikeNpy } from './formats/numpy';
import { looksLikeProtoPickle } from './formats/zipContainer';
import { fileAccess } from './randomAccess';
import { ReportBuilder } from './report';
import { scanBlob } from './scanBlob';
import type { FileSafetyReport, FolderSafetyReport, ScanOptions } from './types';
import { DEFAULT_LIMITS } from './types';
import { worstVerdict } from './verdict';
import { looksLikeZip } from './zipReader';

/** Error codes thrown by the scan entry points (input problems, not verdicts). */
export type ModelSafetyErrorCode = 'MODELSAFETY_NOT_FOUND' | 'MODELSAFETY_NOT_A_FILE' | 'MODELSAFETY_NOT_A_DIRECTORY' | 'MODELSAFETY_UNREADABLE';

/** Extensions of files the folder scan always checks. */
export const MODEL_FILE_EXTENSIONS = /\.(pkl|pickle|joblib|dill|dat|data|p|pck|pt|pth|ckpt|bin|mar|pyt|npy|npz|keras|h5|hdf5|safetensors|gguf|zip)$/i;

function inputError(code: ModelSafetyErrorCode, message: string, cause?: unknown): TrustLensError<ModelSafetyErrorCode> {
  return new TrustLensError(code, message, { cause });
}

/**
 * Checks whether one model file is safe to load. Never executes or unpickles anything.
 * Malformed content yields a verdict ('unknown'/'dangerous'), not an exception; only a missing or
 * unreadable path throws TrustLensError (MODELSAFETY_*), and an abort throws CancellationError.
 */
export async function scanModelFile(filePath: string, options: ScanOptions = {}): Promise<FileSafetyReport> {
  const started = performance.now();
  throwIfAborted(options.signal);
  let stat;
  try {
    stat = await fsp.stat(filePath);
  } catch (e) {
    throw inputError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'MODELSAFETY_NOT_FOUND' : 'MODELSAFETY_UNREADABLE', `cannot read ${filePath}: ${(e as Error).message}`, e);
  }
  if (!stat.isFile()) throw inputError('MODELSAFETY_NOT_A_FILE', `${filePath} is not a regular file`);
  let fh;
  try {
    fh = await fsp.open(filePath, 'r');
  } catch (e) {
    throw inputError('MODELSAFETY_UNREADABLE', `cannot open ${filePath}: ${(e as Error).message}`, e);
  }
  const report = new ReportBuilder(filePath, stat.size);
  const ra = fileAccess(fh, stat.size);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  try {
    await scanBlob(ra, { report, limits, signal: options.signal, onProgress: options.onProgress, depth: 0, total: stat.size }, path.basename(filePath));
  } catch (e) {
    if (isCancellation(e)) throw e;
    // A reader bug or an I/O error must not hide what was already found, nor pass as safe.
    report.addFinding('unknown', 'SCAN_ERROR', `scan stopped: ${(e as Error)?.message ?? String(e)}`);
  } finally {
    await fh.close();
  }
  report.bytesRead = ra.coveredBytes;
  options.onProgress?.(stat.size, stat.size, filePath);
  return report.build(Math.round(performance.now() - started));
}

/** True when a file should be checked by a folder scan: by extension, or by its first bytes. */
export async function isModelFileCandidate(filePath: string): Promise<boolean> {
  if (MODEL_FILE_EXTENSIONS.test(filePath)) return true;
  let fh;
  try {
    fh = await fsp.open(filePath, 'r');
    const head = Buffer.alloc(16);
    const { bytesRead } = await fh.read(head, 0, 16, 0);
    const h = head.subarray(0, bytesRead);
    return looksLikeZip(h) || looksLikeProtoPickle(h) || looksLikeNpy(h) || looksLikeGguf(h) || looksLikeHdf5(h);
  } catch {
    return false;
  } finally {
    await fh?.close();
  }
}

/** The files a folder check looks at: model files (absolute paths, sizes) and the rest (relative). */
export interface ModelFolderListing {
  candidates: Array<{ path: string; size: number }>;
  /** Paths (relative to the folder, `/`-separated) that are not model files. */
  skipped: string[];
}

/**
 * Lists the model files below `dir` (by extension or first bytes), skipping `.git` and symbolic
 * links, in a stable (sorted) order. Throws MODELSAFETY_* when `dir` is not a readable directory.
 */
export async function listModelFolder(dir: string, signal?: AbortSignal): Promise<ModelFolderListing> {
  let st;
  try {
    st = await fsp.stat(dir);
  } catch (e) {
    throw inputError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'MODELSAFETY_NOT_FOUND' : 'MODELSAFETY_UNREADABLE', `cannot read ${dir}: ${(e as Error).message}`, e);
  }
  if (!st.isDirectory()) throw inputError('MODELSAFETY_NOT_A_DIRECTORY', `${dir} is not a directory`);
  const candidates: Array<{ path: string; size: number }> = [];
  const skipped: string[] = [];
  const walk = async (d: string): Promise<void> => {
    throwIfAborted(signal);
    const entries = await fsp.readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const abs = path.join(d, ent.name);
      const rel = path.relative(dir, abs).split(path.sep).join('/');
      if (ent.isDirectory()) {
        if (ent.name !== '.git') await walk(abs);
      } else if (ent.isFile() && (await isModelFileCandidate(abs))) {
        candidates.push({ path: abs, size: (await fsp.stat(abs)).size });
      } else skipped.push(rel);
    }
  };
  await walk(dir);
  return { candidates, skipped };
}

/**
 * Checks every model file below `dir` (skipping `.git` and symbolic links), one at a time.
 * Progress is reported in bytes over the total size of the files being checked.
 */
export async function scanModelFolder(dir: string, options: ScanOptions = {}): Promise<FolderSafetyReport> {
  const { candidates, skipped } = await listModelFolder(dir, options.signal);
  const total = candidates.reduce((a, c) => a + c.size, 0);
  let done = 0;
  const files = [];
  for (const c of candidates) {
    const base = done;
    files.push(
      await scanModelFile(c.path, {
        ...options,
        onProgress: options.onProgress && ((d, _t, detail) => options.onProgress!(base + d, total, detail ?? c.path)),
      }),
    );
    done += c.size;
  }
  return { root: dir, worst: worstVerdict(...files.map((f) => f.verdict)), files, skipped };
}
