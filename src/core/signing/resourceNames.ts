/**
 * Validation of the paths a signed statement carries (resource names, ignore_paths). TrustLens
 * never opens a file by a signed name (it re-walks the model), but a name that could not have
 * come from a real walk is a forged or corrupted statement, so it is rejected (fail closed).
 */

/** Why a path string is not a clean relative POSIX path, or undefined when it is. */
export function relativePathProblem(p: string): string | undefined {
  if (p.length === 0) return 'is empty';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p)) return 'is an absolute path';
  const segments = p.split('/');
  for (const s of segments) {
    if (s === '') return 'has an empty path segment';
    if (s === '.') return "has a '.' path segment";
    if (s === '..' || s.split('\\').includes('..')) return "has a '..' path segment";
  }
  return undefined;
}

/** A shard name `path:start:end` split into its parts (the last two colon fields are the range). */
export interface ShardName {
  path: string;
  start: number;
  end: number;
}

/** Parses `path:start:end`; undefined when the suffix is not two canonical decimal integers. */
export function parseShardName(name: string): ShardName | undefined {
  const m = /^(.*):(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/s.exec(name);
  if (!m) return undefined;
  const start = Number(m[2]);
  const end = Number(m[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return undefined;
  return { path: m[1], start, end };
}

/** True when `prefix` equals `p` or is a whole-component ancestor of it (`a` covers `a/b`, not `ab`). */
export function pathCovers(prefix: string, p: string): boolean {
  return p === prefix || p.startsWith(prefix + '/');
}
