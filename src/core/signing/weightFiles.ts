/**
 * Guard for recorded `ignore_paths`: a signer must not be able to exclude the model's weights from
 * verification by listing them as ignored. Ignored paths that exist on disk are walked (bounded)
 * and any file that looks like model weights makes the signature invalid.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { throwIfAborted } from '../abort';

/** File extensions of serialized model weights / executable model formats. */
export const WEIGHT_EXTENSIONS: ReadonlySet<string> = new Set([
  '.safetensors', '.bin', '.pt', '.pth', '.ckpt', '.gguf', '.ggml', '.onnx', '.h5', '.hdf5', '.keras',
  '.pb', '.tflite', '.msgpack', '.npz', '.npy', '.pkl', '.pickle', '.joblib', '.mlmodel', '.params',
  '.mar', '.engine', '.plan', '.nemo', '.llamafile', '.mlpackage', '.pdparams', '.ot',
]);

/** Walk limits: the check fails closed (reports a hit) when an ignored tree is larger than this. */
const MAX_ENTRIES = 20_000;

/** True when the file name looks like model weights. */
export function looksLikeWeightFile(name: string): boolean {
  return WEIGHT_EXTENSIONS.has(path.posix.extname(name).toLowerCase());
}

/**
 * Returns the first model-relative path under one of `ignorePaths` (relative to `modelRoot`) that
 * looks like a weight file, or undefined. Symlinks are not followed. Unreadable entries are skipped
 * (they cannot be hashed either). Exceeding the walk limit is reported as a hit (fail closed).
 */
export async function findIgnoredWeightFile(modelRoot: string, ignorePaths: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
  let budget = MAX_ENTRIES;
  const visit = async (rel: string): Promise<string | undefined> => {
    throwIfAborted(signal);
    if (--budget < 0) return rel + ' (too many ignored files to check)';
    let st;
    try {
      st = await fs.lstat(path.join(modelRoot, ...rel.split('/')));
    } catch {
      return undefined;
    }
    if (st.isFile() || st.isSymbolicLink()) return looksLikeWeightFile(rel) ? rel : undefined;
    if (!st.isDirectory()) return undefined;
    let names: string[];
    try {
      names = await fs.readdir(path.join(modelRoot, ...rel.split('/')));
    } catch {
      return undefined;
    }
    for (const n of names) {
      const hit = await visit(`${rel}/${n}`);
      if (hit) return hit;
    }
    return undefined;
  };
  for (const p of ignorePaths) {
    const hit = await visit(p);
    if (hit) return hit;
  }
  return undefined;
}
