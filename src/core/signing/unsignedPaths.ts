/**
 * For --ignore-unsigned-files: the model entries the signature does not cover, so they can be
 * ignored outright (never hashed, never able to fail the run), as model_signing reads only the
 * signed files. Directories holding no signed file are returned whole.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { throwIfAborted } from '../abort';
import { pathCovers } from './resourceNames';

/** Model-relative POSIX paths under `modelRoot` that are not signed and not already ignored. */
export async function unsignedEntries(modelRoot: string, signedPaths: readonly string[], ignored: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const signed = new Set(signedPaths);
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
      if (ignored.some((i) => pathCovers(i, p))) continue;
      if (e.isDirectory()) {
        if (signedPaths.some((s) => s.startsWith(p + '/'))) await walk(p);
        else out.push(p);
      } else if (!signed.has(p)) out.push(p);
    }
  };
  await walk('');
  return out;
}
