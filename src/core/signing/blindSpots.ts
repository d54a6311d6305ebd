/**
 * What the OMS serializers silently leave out of a manifest, so that verification can report it
 * instead of calling a model "valid" that holds unsigned content:
 * - symlinks to directories (with allow_symlinks the reference neither fails nor descends), and
 * - empty files in shards mode (a zero-length file has no shard, spec §6.3.2);
 * and the file symlinks pointing outside the model, which the spec says verifiers must warn about.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { throwIfAborted } from '../abort';
import { buildIgnoreSet, isIgnored } from './serialization';

/** Model-relative POSIX paths the manifest cannot cover. */
export interface BlindSpots {
  /** Symlinks (not ignored) whose target is a directory. */
  directoryLinks: string[];
  /** Zero-length regular files (not ignored); only collected when asked. */
  emptyFiles: string[];
  /** File symlinks whose target lies outside the model (spec §6.1.1: verifiers must warn). */
  outsideLinks: string[];
}

/**
 * Walks `modelRoot` (a directory) without following symlinks and returns its blind spots.
 * `ignorePaths` are applied like the serializer does. Unreadable entries are skipped: the
 * serializer has already reported or hashed everything it could read.
 */
export async function findBlindSpots(modelRoot: string, ignorePaths: readonly string[], opts: { emptyFiles: boolean; signal?: AbortSignal }): Promise<BlindSpots> {
  // buildIgnoreSet refuses paths naming the root; they never reach here from sign/verify anyway.
  const usable = ignorePaths.filter((p) => !['', '.'].includes(path.posix.normalize(p).replace(/\/+$/, '')));
  const ignores = buildIgnoreSet(usable, false, path.resolve(modelRoot));
  const out: BlindSpots = { directoryLinks: [], emptyFiles: [], outsideLinks: [] };
  const realRoot = await fs.realpath(modelRoot).catch(() => path.resolve(modelRoot));
  const walk = async (rel: string): Promise<void> => {
    throwIfAborted(opts.signal);
    const abs = rel ? path.join(modelRoot, ...rel.split('/')) : modelRoot;
    const entries = await fs.readdir(abs, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (isIgnored(p, ignores)) continue;
      if (e.isDirectory()) await walk(p);
      else if (e.isSymbolicLink()) {
        const st = await fs.stat(path.join(abs, e.name)).catch(() => undefined);
        if (st?.isDirectory()) out.directoryLinks.push(p);
        else if (st?.isFile()) {
          if (opts.emptyFiles && st.size === 0) out.emptyFiles.push(p);
          const target = await fs.realpath(path.join(abs, e.name)).catch(() => undefined);
          const rel = target === undefined ? '..' : path.relative(realRoot, target);
          if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) out.outsideLinks.push(p);
        }
      } else if (opts.emptyFiles && e.isFile()) {
        const st = await fs.stat(path.join(abs, e.name)).catch(() => undefined);
        if (st?.size === 0) out.emptyFiles.push(p);
      }
    }
  };
  await walk('');
  return out;
}
