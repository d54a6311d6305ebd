/**
 * Finds model folders under a workspace folder: folders that hold a signature file, weight files,
 * or a Hugging Face `config.json` next to weights. Bounded (maxEntries), cancellable (signal),
 * and it never descends into dependency or VCS folders. Host-free (Node fs only).
 */
import { opendir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { throwIfAborted } from '../../core/abort';
import { globToRegExp, matchesAny } from './glob';

/** File extensions that mark a folder as holding a model. */
export const MODEL_EXTENSIONS = [
  '.safetensors', '.bin', '.pt', '.pth', '.ckpt', '.onnx', '.gguf', '.ggml', '.h5', '.hdf5', '.keras', '.pb',
  '.tflite', '.pkl', '.pickle', '.joblib', '.npz', '.npy', '.msgpack', '.mlmodel', '.pdparams', '.params', '.model',
] as const;

/** Folder names never searched: dependencies, VCS metadata, caches, virtual environments. */
export const SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '.tox', '.nox', '__pycache__', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', 'site-packages', '.cache', '.idea', '.vscode-test', '.conda',
]);

export interface DiscoveryOptions {
  signatureFileName: string;
  /** Extra globs: a file matching one makes its folder a model folder. */
  include: readonly string[];
  /** Globs of folders or files to ignore. */
  exclude: readonly string[];
  /** Maximum number of directory entries read before stopping (the result is then `truncated`). */
  maxEntries: number;
  signal?: AbortSignal;
}

export interface DiscoveredModel {
  /** Absolute path of the model folder. */
  folder: string;
  /** True when the folder holds the signature file. */
  signed: boolean;
}

export interface DiscoveryResult {
  models: DiscoveredModel[];
  truncated: boolean;
  entriesRead: number;
}

/**
 * Walks `root` breadth-first. A folder that qualifies as a model is reported and not descended
 * into further (its sub-folders belong to the model). Throws CancellationError on abort.
 */
export async function discoverModels(root: string, opts: DiscoveryOptions): Promise<DiscoveryResult> {
  const include = opts.include.map(globToRegExp);
  const exclude = opts.exclude.map(globToRegExp);
  const models: DiscoveredModel[] = [];
  const queue: string[] = [root];
  let entriesRead = 0;
  let truncated = false;
  while (queue.length > 0) {
    throwIfAborted(opts.signal);
    const dir = queue.shift()!;
    const subdirs: string[] = [];
    let signed = false;
    let hasWeights = false;
    let dirHandle;
    try {
      dirHandle = await opendir(dir);
    } catch {
      continue; // unreadable folder: skip, discovery is best effort
    }
    for await (const entry of dirHandle) {
      if (++entriesRead > opts.maxEntries) {
        truncated = true;
        break;
      }
      const abs = path.join(dir, entry.name);
      const rel = toPosix(path.relative(root, abs));
      if (matchesAny(rel, exclude)) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !(await isVirtualEnv(abs))) subdirs.push(abs);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (entry.name === opts.signatureFileName) signed = true;
        else if (isModelFileName(entry.name) || matchesAny(rel, include)) hasWeights = true;
      }
    }
    if (truncated) break;
    if (signed || hasWeights) {
      models.push({ folder: dir, signed });
      continue;
    }
    queue.push(...subdirs.sort());
  }
  models.sort((a, b) => a.folder.localeCompare(b.folder));
  return { models, truncated, entriesRead };
}

/** True for names with a model weight/config extension. */
export function isModelFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return MODEL_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

async function isVirtualEnv(dir: string): Promise<boolean> {
  try {
    return (await stat(path.join(dir, 'pyvenv.cfg'))).isFile();
  } catch {
    return false;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** One file of a model folder, for the tree's children. */
export interface ModelFileEntry {
  /** POSIX path relative to the model folder. */
  relPath: string;
  size: number;
}

/**
 * Lists the files of a model folder (recursively, skipping VCS folders), sorted by path,
 * at most `limit` entries.
 */
export async function listModelFiles(folder: string, limit = 2000, signal?: AbortSignal): Promise<{ files: ModelFileEntry[]; truncated: boolean }> {
  const files: ModelFileEntry[] = [];
  const stack = [''];
  while (stack.length) {
    throwIfAborted(signal);
    const rel = stack.pop()!;
    let handle;
    try {
      handle = await opendir(path.join(folder, rel));
    } catch {
      continue;
    }
    for await (const entry of handle) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && !SKIPPED_DIRS.has(entry.name)) stack.push(childRel);
      } else {
        if (files.length >= limit) return { files: sortFiles(files), truncated: true };
        let size = 0;
        try {
          size = (await stat(path.join(folder, childRel))).size;
        } catch {
          // vanished or broken link: still listed, size unknown
        }
        files.push({ relPath: childRel, size });
      }
    }
  }
  return { files: sortFiles(files), truncated: false };
}

function sortFiles(files: ModelFileEntry[]): ModelFileEntry[] {
  return files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}
