/**
 * Compares the manifest a signature lists with the one computed from the model on disk, and
 * explains the difference per file (changed / missing / extra), never as a bare "mismatch".
 */
import * as path from 'node:path';
import type { ResourceDescriptor, SerializationParams } from './types';
import { parseShardName } from './resourceNames';

/** Per-file differences between the signed and the local manifest (model-relative POSIX paths). */
export interface ManifestDiff {
  /** Files present on both sides whose digest (or algorithm, or shard layout) differs. */
  changed: string[];
  /** Files the signature lists that the model no longer has. */
  missing: string[];
  /** Files in the model the signature does not cover. */
  extra: string[];
}

/** True when the diff holds no difference. */
export function isEmptyDiff(d: ManifestDiff): boolean {
  return d.changed.length === 0 && d.missing.length === 0 && d.extra.length === 0;
}

interface Entry {
  file: string;
  /** Comparison key: the file path, or "path:start:end" for a shard. */
  key: string;
  value: string;
}

/**
 * Normalizes a manifest into comparable entries. The algorithm is part of the value (model_signing
 * compares Digest(algorithm, bytes)); for shards `X` and `X-sharded-N` are the same algorithm
 * (spec vs reference spelling). A single-file model may be named "." (reference) or by its
 * basename (spec): both map to ".".
 */
function entries(resources: readonly ResourceDescriptor[], s: SerializationParams, singleFileBase?: string): Entry[] {
  const fileOf = (p: string) => (singleFileBase !== undefined && p === singleFileBase && resources.length > 0 ? '.' : p);
  if (s.method === 'shards') {
    const sharded = `${s.hash_type}-sharded-${s.shard_size}`;
    return resources.map((r) => {
      const sh = parseShardName(r.name);
      const file = fileOf(sh ? sh.path : r.name);
      const algo = r.algorithm === s.hash_type ? sharded : r.algorithm;
      return { file, key: sh ? `${file}:${sh.start}:${sh.end}` : r.name, value: `${algo}:${r.digest}` };
    });
  }
  return resources.map((r) => {
    const file = fileOf(r.name);
    return { file, key: file, value: `${r.algorithm}:${r.digest}` };
  });
}

/**
 * Diffs `signed` against `local` (both with the same serialization). `modelPath` is used to accept
 * the basename spelling for single-file models. With `ignoreUnsigned`, local files the signature
 * does not list are not reported as extra.
 */
export function diffManifests(
  signed: readonly ResourceDescriptor[],
  local: readonly ResourceDescriptor[],
  serialization: SerializationParams,
  options: { modelPath: string; singleFile: boolean; ignoreUnsigned: boolean },
): ManifestDiff {
  const base = options.singleFile ? path.basename(options.modelPath) : undefined;
  // Only a signature listing exactly one file may use the basename spelling.
  const signedFiles = new Set(entries(signed, serialization).map((e) => e.file));
  const e1 = entries(signed, serialization, signedFiles.size === 1 ? base : undefined);
  const e2 = entries(local, serialization);
  const byFile = (es: Entry[]) => {
    const m = new Map<string, Map<string, string>>();
    for (const e of es) {
      let inner = m.get(e.file);
      if (!inner) m.set(e.file, (inner = new Map()));
      inner.set(e.key, e.value);
    }
    return m;
  };
  const want = byFile(e1);
  const have = byFile(e2);
  const diff: ManifestDiff = { changed: [], missing: [], extra: [] };
  for (const [file, shards] of want) {
    const got = have.get(file);
    if (!got) diff.missing.push(file);
    else if (got.size !== shards.size || [...shards].some(([k, v]) => got.get(k) !== v)) diff.changed.push(file);
  }
  if (!options.ignoreUnsigned) for (const file of have.keys()) if (!want.has(file)) diff.extra.push(file);
  return diff;
}
