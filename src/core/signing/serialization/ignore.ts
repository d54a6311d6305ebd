import * as path from 'node:path';
import { SerializationError } from './errors';

/** Paths the reference ignores by default (top level of the model only). */
export const DEFAULT_GIT_IGNORES: readonly string[] = ['.git', '.gitattributes', '.github', '.gitignore'];

/** The effective ignore set of one serialization run. */
export interface IgnoreSet {
  /** Normalized POSIX paths relative to the model root; a path ignores itself and everything under it. */
  readonly paths: ReadonlySet<string>;
  /** What goes into `serialization.ignore_paths`: the same paths, sorted by code unit. */
  readonly recorded: string[];
}

/**
 * Normalizes user ignore paths the way model_signing does (`os.path.relpath(model/p, model)`):
 * `./a//b/` → `a/b`, `a/../b` → `b`. Paths that leave the model (`../x`, absolute paths
 * outside it) are dropped, as the reference drops them. An ignore path naming the model root
 * itself ('.', '') would ignore everything and is rejected with INVALID_PATH.
 * `modelRoot` (absolute) is used to relativize absolute ignore paths that lie inside the model.
 */
export function buildIgnoreSet(userPaths: readonly string[], ignoreGitPaths: boolean, modelRoot: string): IgnoreSet {
  const out = new Set<string>();
  for (const raw of userPaths) {
    if (typeof raw !== 'string') throw new SerializationError('INVALID_PATH', `ignore path is not a string: ${String(raw)}`);
    let p = process.platform === 'win32' ? raw.replace(/\\/g, '/') : raw;
    if (path.isAbsolute(p)) {
      p = path.relative(modelRoot, p);
      if (process.platform === 'win32') p = p.replace(/\\/g, '/');
      if (p === '' || path.isAbsolute(p)) {
        if (p === '') throw new SerializationError('INVALID_PATH', `ignore path '${raw}' is the model itself`, raw);
        continue;
      }
    }
    const n = path.posix.normalize(p).replace(/\/+$/, '');
    if (n === '' || n === '.') throw new SerializationError('INVALID_PATH', `ignore path '${raw}' names the model root, which would ignore everything`, raw);
    if (n === '..' || n.startsWith('../') || n.startsWith('/')) continue;
    out.add(n);
  }
  if (ignoreGitPaths) for (const g of DEFAULT_GIT_IGNORES) out.add(g);
  return { paths: out, recorded: [...out].sort() };
}

/** True when `rel` (a normalized relative POSIX path) is an ignore path or lies under one. */
export function isIgnored(rel: string, ignores: IgnoreSet): boolean {
  if (ignores.paths.size === 0) return false;
  if (ignores.paths.has(rel)) return true;
  for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) {
    if (ignores.paths.has(rel.slice(0, i))) return true;
  }
  return false;
}
