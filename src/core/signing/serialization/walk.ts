import * as fs from 'node:fs';
import * as path from 'node:path';
import { throwIfAborted } from '../../abort';
import type { FileIdentity } from '../digestCache';
import { identityOf } from '../digestCache';
import { SerializationError, fsError } from './errors';
import { type IgnoreSet, buildIgnoreSet, isIgnored } from './ignore';
import { comparePosixPaths } from './order';

/** One regular file that belongs to the model. */
export interface ModelFile {
  /** POSIX path relative to the model root; "." when the model is a single file. */
  name: string;
  /** Absolute path to read (for an allowed symlink: the link, which reading follows). */
  absPath: string;
  /** Size in bytes at listing time (of the symlink target for symlinks). */
  size: number;
  /** stat identity at listing time, used by the digest cache. */
  identity: FileIdentity;
  /** True when `name` is a symlink that was followed (only with allowSymlinks). */
  viaSymlink: boolean;
}

/** The files of a model, sorted in manifest (PurePosixPath) order. */
export interface ModelListing {
  /** Absolute model path (not symlink-resolved). */
  root: string;
  kind: 'file' | 'directory';
  files: ModelFile[];
  ignores: IgnoreSet;
}

/** What decides which files a model consists of. */
export interface ListOptions {
  /** POSIX paths relative to the model root; see buildIgnoreSet. */
  ignorePaths: readonly string[];
  ignoreGitPaths: boolean;
  allowSymlinks: boolean;
  signal?: AbortSignal;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const STAT_CONCURRENCY = 32;
/** With the u flag a paired surrogate is one code point, so this only matches lone surrogates. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function decodeName(raw: Buffer | string, dirRel: string, dirAbs: string): string {
  let name: string;
  if (typeof raw === 'string') name = raw;
  else {
    try {
      name = utf8.decode(raw);
    } catch {
      const shown = path.join(dirAbs, raw.toString('latin1'));
      throw new SerializationError('INVALID_PATH', `The name of '${shown}' is not valid UTF-8; OMS requires UTF-8 file names`, shown);
    }
  }
  if (LONE_SURROGATE.test(name)) {
    const shown = path.join(dirAbs, name);
    throw new SerializationError('INVALID_PATH', `The name of '${shown}' is not well-formed Unicode`, shown);
  }
  if (name.includes('/') && process.platform !== 'win32') {
    throw new SerializationError('INVALID_PATH', `Unexpected '/' in a file name under '${dirRel}'`, dirAbs);
  }
  return name;
}

function symlinkError(p: string): SerializationError {
  return new SerializationError('SYMLINK_NOT_ALLOWED', `Cannot use '${p}' because it is a symlink. Allow symlinks to follow it.`, p);
}

function specialFileError(p: string): SerializationError {
  return new SerializationError('NOT_A_FILE', `Cannot use '${p}': it is neither a regular file nor a directory (fifo, socket or device?)`, p);
}

/** stat() that follows links, mapping a broken link / missing file to NOT_FOUND. */
async function statFollow(p: string): Promise<fs.BigIntStats> {
  try {
    return await fs.promises.stat(p, { bigint: true });
  } catch (e) {
    throw fsError(e, p, 'read');
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      throwIfAborted(signal);
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface Candidate {
  name: string;
  absPath: string;
  isSymlink: boolean;
}

/**
 * Lists the regular files of a model like model_signing's serializers: every file under the
 * root (dotfiles included), minus ignored paths; directories never appear. Symlinks are an
 * error unless allowed; allowed file symlinks are listed under the link name, allowed directory
 * symlinks are not descended into (the reference's glob does not follow them). FIFOs, sockets,
 * devices and broken links are errors. A root that is a file gives the single entry ".".
 */
export async function listModelFiles(modelPath: string, opts: ListOptions): Promise<ModelListing> {
  throwIfAborted(opts.signal);
  if (typeof modelPath !== 'string' || modelPath === '') throw new SerializationError('INVALID_PATH', 'model path is empty');
  const root = path.resolve(modelPath);
  const ignores = buildIgnoreSet(opts.ignorePaths, opts.ignoreGitPaths, root);
  let lst: fs.Stats;
  try {
    lst = await fs.promises.lstat(root);
  } catch (e) {
    throw fsError(e, modelPath, 'use model path');
  }
  if (lst.isSymbolicLink() && !opts.allowSymlinks) throw symlinkError(modelPath);
  const st = await statFollow(root);
  if (st.isFile()) {
    const file: ModelFile = { name: '.', absPath: root, size: Number(st.size), identity: identityOf(st), viaSymlink: lst.isSymbolicLink() };
    return { root, kind: 'file', files: [file], ignores };
  }
  if (!st.isDirectory()) throw specialFileError(modelPath);

  const candidates: Candidate[] = [];
  const stack: { rel: string; abs: string }[] = [{ rel: '', abs: root }];
  while (stack.length > 0) {
    throwIfAborted(opts.signal);
    const dir = stack.pop()!;
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = (await fs.promises.readdir(dir.abs, { withFileTypes: true, encoding: 'buffer' })) as unknown as fs.Dirent<Buffer>[];
    } catch (e) {
      throw fsError(e, dir.abs, 'list directory');
    }
    for (const ent of entries) {
      const name = decodeName(ent.name, dir.rel, dir.abs);
      const rel = dir.rel === '' ? name : `${dir.rel}/${name}`;
      const abs = path.join(dir.abs, name);
      if (isIgnored(rel, ignores)) continue; // ignores apply before the symlink check (#550)
      if (ent.isSymbolicLink()) {
        if (!opts.allowSymlinks) throw symlinkError(abs);
        candidates.push({ name: rel, absPath: abs, isSymlink: true });
      } else if (ent.isDirectory()) {
        stack.push({ rel, abs });
      } else if (ent.isFile()) {
        candidates.push({ name: rel, absPath: abs, isSymlink: false });
      } else if (ent.isFIFO() || ent.isSocket() || ent.isBlockDevice() || ent.isCharacterDevice()) {
        throw specialFileError(abs);
      } else {
        // Unknown d_type (some file systems): decide from lstat.
        const l = await fs.promises.lstat(abs).catch((e) => Promise.reject(fsError(e, abs, 'read')));
        if (l.isSymbolicLink()) {
          if (!opts.allowSymlinks) throw symlinkError(abs);
          candidates.push({ name: rel, absPath: abs, isSymlink: true });
        } else if (l.isDirectory()) stack.push({ rel, abs });
        else if (l.isFile()) candidates.push({ name: rel, absPath: abs, isSymlink: false });
        else throw specialFileError(abs);
      }
    }
  }

  const stats = await mapLimit(candidates, STAT_CONCURRENCY, (c) => statFollow(c.absPath), opts.signal);
  const files: ModelFile[] = [];
  candidates.forEach((c, i) => {
    const s = stats[i];
    if (s.isFile()) files.push({ name: c.name, absPath: c.absPath, size: Number(s.size), identity: identityOf(s), viaSymlink: c.isSymlink });
    else if (s.isDirectory()) {
      if (!c.isSymlink) throw fsError(new Error('changed from file to directory while listing'), c.absPath, 'read');
      // A symlinked directory is not a file: the reference skips it without descending.
    } else throw specialFileError(c.absPath);
  });
  files.sort((a, b) => comparePosixPaths(a.name, b.name));
  return { root, kind: 'directory', files, ignores };
}
