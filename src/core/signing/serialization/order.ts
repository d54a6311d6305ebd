/**
 * Manifest ordering of the reference implementation: `sorted()` over CPython `PurePosixPath`
 * keys, i.e. a component-wise comparison where each component is compared by Unicode code
 * point; shards compare as the tuple (path, start, end) with numeric offsets. This is not a
 * plain string sort: `a/b` < `a b` < `a-c` < `a.txt` because '/' splits components.
 */
import type { SerializationMethod } from '../types';

/** Code-point comparison of two strings (JS `<` compares UTF-16 code units, which differs for astral characters). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) encode code points above FFFF, so they must sort after E000-FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** The components PurePosixPath would see: empty and '.' parts dropped, a leading '/' kept as a part. */
export function posixParts(p: string): string[] {
  const parts = p.split('/').filter((c) => c !== '' && c !== '.');
  return p.startsWith('/') ? ['/', ...parts] : parts;
}

/** Compares two POSIX relative paths the way CPython orders PurePosixPath objects. */
export function comparePosixPaths(a: string, b: string): number {
  if (a === b) return 0;
  const pa = posixParts(a);
  const pb = posixParts(b);
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const c = compareCodePoints(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

/** A manifest key: a file, or a byte range [start, end) of a file. */
export interface ManifestKey {
  path: string;
  start?: number;
  end?: number;
}

/** Orders manifest keys: path first (PurePosixPath order), then start and end numerically. */
export function compareManifestKeys(a: ManifestKey, b: ManifestKey): number {
  return comparePosixPaths(a.path, b.path) || (a.start ?? 0) - (b.start ?? 0) || (a.end ?? 0) - (b.end ?? 0);
}

const SHARD_NAME = /^(.*):(\d+):(\d+)$/s;

/**
 * Splits a shard resource name `path:start:end` (the byte range is the last two colon-separated
 * decimal integers, as the spec says). Returns undefined when the name has no such suffix.
 */
export function parseShardName(name: string): Required<ManifestKey> | undefined {
  const m = SHARD_NAME.exec(name);
  if (!m) return undefined;
  const start = Number(m[2]);
  const end = Number(m[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return undefined;
  return { path: m[1], start, end };
}

/** Formats a shard resource name. */
export function shardName(path: string, start: number, end: number): string {
  return `${path}:${start}:${end}`;
}

/**
 * Compares two resource names in manifest order. In 'shards' mode names are parsed as
 * `path:start:end` (offsets compared numerically); names without that suffix compare as paths.
 */
export function compareManifestPaths(a: string, b: string, method: SerializationMethod = 'files'): number {
  if (method === 'shards') {
    const ka = parseShardName(a);
    const kb = parseShardName(b);
    if (ka && kb) return compareManifestKeys(ka, kb);
  }
  return comparePosixPaths(a, b);
}
