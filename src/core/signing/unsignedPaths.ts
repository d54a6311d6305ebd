/**
 * For --ignore-unsigned-files: the model entries the signature does not cover, so they can be
 * ignored outright (never hashed, never able to fail the run), as model_signing reads only the
 * signed files. Directories holding no signed file are returned whole.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { throwIfAborted } from '../abort';

/** Model-relative POSIX paths under `modelRoot` that are not signed and not already ignored. */
export async function unsignedEntries(modelRoot: string, signedPaths: readonly string[], ignored: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const signed = new Set(signedPaths);
  // Directories holding a signed file, and the ignore paths as a set: lookups stay O(depth) per
  // entry instead of scanning every signed path / ignore path (models with 100k files).
  const signedDirs = new Set<string>();
  for (const s of signedPaths) for (let i = s.lastIndexOf('/'); i > 0; i = s.lastIndexOf('/', i - 1)) signedDirs.add(s.slice(0, i));
  const ignoredSet = new Set(ignored);
  const isIgnored = (p: string) => {
    for (let i = p.length; i > 0; i = p.lastIndexOf('/', i - 1)) if (ignoredSet.has(p.slice(0, i))) return true;
    return false;
  };
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    throwIfAborted(signal);
    let entries;
    try {
      entries = await fs.readdir(rel ? path.join(modelRoot, ...rel.split('/')) : modelRoot, { withFileTypes: true });
    } catch {
      return; // the serializer reports unreadable directories
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (isIgnored(p)) continue;
      if (e.isDirectory()) {
        if (signedDirs.has(p)) await walk(p);
        else out.push(p);
      } else if (!signed.has(p)) out.push(p);
    }
  };
  await walk('');
  return out;
}
