import * as fs from 'node:fs';
import { throwIfAborted } from '../../abort';
import { openDigestCache, type DigestCache, sameIdentity, identityOf } from '../digestCache';
import { hashInline, sharedHashPool, type HashPool } from '../hashing/pool';
import type { HashJob } from '../hashing/job';
import { HASH_ALGORITHMS } from '../hashing/streamHasher';
import { DEFAULT_SHARD_SIZE, type Manifest, type ResourceDescriptor, type SerializationOptions, type SerializationParams } from '../types';
import { SerializationError } from './errors';
import { compareManifestKeys, shardName, type ManifestKey } from './order';
import { modelNameOf } from './modelName';
import { computeRootDigest } from './rootDigest';
import { listModelFiles, type ModelFile } from './walk';

/** SerializationOptions plus run-time knobs that are not part of the signed parameters. */
export interface SerializeModelOptions extends SerializationOptions {
  /** Directory of the digest cache (default defaultCacheDir()); used when useCache or refreshCache. */
  cacheDir?: string;
  /**
   * Store freshly computed digests in the cache even when useCache is false, so that a later
   * quick verification of the same unchanged files is instant (e.g. after signing).
   */
  refreshCache?: boolean;
  /** Hash pool to use (default: the shared pool, one worker per core). */
  pool?: HashPool;
  /**
   * Total bytes up to which hashing runs on the calling thread instead of the pool. Default:
   * INLINE_HASH_BYTES when the pool's workers are running, COLD_INLINE_HASH_BYTES when they
   * would have to be started first.
   */
  inlineThresholdBytes?: number;
}

/*
 * Inline-vs-pool thresholds, measured with the bundled worker (2-core EPYC, warm page cache,
 * best of 5): one file of 64 KiB / 1 MiB / 4 MiB / 16 MiB took 0.20 / 0.93 / 3.2 / 9.6 ms inline
 * (async reads), 0.23 / 0.67 / 2.2 / 8.9 ms through warm workers, and 14-23 ms when the workers
 * had to be started first. So a warm pool costs nothing worth avoiding except for tiny inputs,
 * while a cold start only pays off above ~16 MiB.
 */
/** Default inline threshold when the pool's workers are already running. */
export const INLINE_HASH_BYTES = 256 * 1024;
/** Default inline threshold when the pool has no live worker (a start costs ~14 ms). */
export const COLD_INLINE_HASH_BYTES = 16 * 1024 * 1024;

interface Unit {
  file: ModelFile;
  key: ManifestKey;
  name: string;
  job: HashJob;
  digest?: string;
}

function validate(opts: SerializeModelOptions): void {
  if (opts.method !== 'files' && opts.method !== 'shards') throw new SerializationError('INVALID_OPTIONS', `unknown serialization method ${JSON.stringify(opts.method)}`);
  if (!HASH_ALGORITHMS.includes(opts.hashAlgorithm)) throw new SerializationError('INVALID_OPTIONS', `unknown hash algorithm ${JSON.stringify(opts.hashAlgorithm)}`);
  if (opts.shardSize !== undefined && !(Number.isSafeInteger(opts.shardSize) && opts.shardSize > 0)) {
    throw new SerializationError('INVALID_OPTIONS', `shard size must be a positive integer, got ${opts.shardSize}`);
  }
  if (!Array.isArray(opts.ignorePaths)) throw new SerializationError('INVALID_OPTIONS', 'ignorePaths must be an array');
}

/** The shard byte ranges of a file of `size` bytes: ends at S, 2S, ... and `size`; none for an empty file. */
export function shardRanges(size: number, shardSize: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < size; start += shardSize) out.push([start, Math.min(start + shardSize, size)]);
  return out;
}

/**
 * Most manifest entries one serialization may produce. A signature bundle is at most 16 MiB
 * (~100k resources), so a larger manifest can never be verified; refusing up front keeps a tiny
 * recorded shard_size on a big file (1 byte on 1 GB = 10^9 shards) from exhausting memory.
 */
export const MAX_MANIFEST_ENTRIES = 1_000_000;

const idOf = (f: ModelFile) => ({ ino: f.identity.ino, dev: f.identity.dev });

function planUnits(files: readonly ModelFile[], method: 'files' | 'shards', opts: SerializeModelOptions, shardSize: number): Unit[] {
  const count = method === 'files' ? files.length : files.reduce((n, f) => n + Math.ceil(f.size / shardSize), 0);
  if (count > MAX_MANIFEST_ENTRIES) {
    throw new SerializationError('INVALID_OPTIONS', `the model would have ${count} manifest entries (more than ${MAX_MANIFEST_ENTRIES}); use a larger shard size or the files method`);
  }
  const units: Unit[] = [];
  for (const file of files) {
    if (method === 'files') {
      units.push({ file, key: { path: file.name }, name: file.name, job: { path: file.absPath, start: 0, end: file.size, algorithm: opts.hashAlgorithm, wholeFile: true, identity: idOf(file) } });
    } else {
      for (const [start, end] of shardRanges(file.size, shardSize)) {
        units.push({
          file,
          key: { path: file.name, start, end },
          name: shardName(file.name, start, end),
          job: { path: file.absPath, start, end, algorithm: opts.hashAlgorithm, wholeFile: false, lastRange: end === file.size, identity: idOf(file) },
        });
      }
    }
  }
  return units;
}

/**
 * Files modified this recently are not cached ("racily clean" in git's terms): on file systems
 * with coarse timestamps (1-2 s) a write right after our stat could keep the same mtime and
 * size, and a cached digest would then hide the change.
 */
export const RACY_WINDOW_NS = 3_000_000_000n;

async function statIdentity(p: string) {
  return identityOf(await fs.promises.stat(p, { bigint: true }));
}

/**
 * Serializes a model (a directory or a single file) into an OMS manifest, byte-compatible with
 * model_signing 1.1.x: the same files, resource names, algorithm strings, digests, order and root
 * digest. Notes on reference parity:
 * - shards + blake3 falls back to the files method (recorded as method "files"), as the reference does;
 * - empty files produce no resource in shards mode;
 * - `serialization.ignore_paths` lists the effective ignores (user + git defaults), sorted, only if non-empty;
 * - `shard_size` is written as an integer.
 * Rejects with SerializationError (see its codes) or CancellationError.
 */
export async function serializeModel(modelPath: string, opts: SerializeModelOptions): Promise<Manifest> {
  validate(opts);
  const { signal } = opts;
  throwIfAborted(signal);
  const method = opts.method === 'shards' && opts.hashAlgorithm !== 'blake3' ? 'shards' : 'files';
  const shardSize = opts.shardSize ?? DEFAULT_SHARD_SIZE;
  const listedAtNs = BigInt(Date.now()) * 1_000_000n;
  const [listing, modelName] = await Promise.all([
    listModelFiles(modelPath, { ignorePaths: opts.ignorePaths, ignoreGitPaths: opts.ignoreGitPaths, allowSymlinks: opts.allowSymlinks, signal }),
    modelNameOf(modelPath),
  ]);
  const units = planUnits(listing.files, method, opts, shardSize);
  const algorithm = method === 'shards' ? `${opts.hashAlgorithm}-sharded-${shardSize}` : opts.hashAlgorithm;

  const cache: DigestCache | undefined = opts.useCache || opts.refreshCache ? await openDigestCache(opts.cacheDir) : undefined;
  const total = units.reduce((n, u) => n + (u.job.end - u.job.start), 0);
  let done = 0;
  if (opts.useCache && cache) {
    for (const u of units) {
      u.digest = cache.get(u.file.absPath, u.file.identity, algorithm, u.job.start, u.job.end);
      if (u.digest !== undefined) done += u.job.end - u.job.start;
    }
  }
  opts.onProgress?.(done, total);

  const todo = units.filter((u) => u.digest === undefined);
  if (todo.length > 0) {
    const jobs = todo.map((u) => u.job);
    const todoBytes = jobs.reduce((n, j) => n + (j.end - j.start), 0);
    let lastReport = 0;
    const onBytes = (n: number) => {
      done = Math.min(total, done + n);
      const now = Date.now();
      if (now - lastReport >= 16) {
        lastReport = now;
        opts.onProgress?.(done, total);
      }
    };
    const pool = opts.pool ?? sharedHashPool();
    const limit = opts.inlineThresholdBytes ?? (pool.liveWorkers > 0 ? INLINE_HASH_BYTES : COLD_INLINE_HASH_BYTES);
    const digests = todoBytes <= limit ? await hashInline(jobs, { signal, onBytes }) : await pool.hashAll(jobs, { signal, onBytes });
    todo.forEach((u, i) => (u.digest = digests[i]));
    if (cache) {
      // Only cache a digest if the file is provably the one that was listed (unchanged identity)
      // and was not modified so recently that a same-tick rewrite could go unnoticed.
      const files = [...new Set(todo.map((u) => u.file))];
      const unchanged = new Set<ModelFile>();
      await Promise.all(
        files.map(async (f) => {
          const now = await statIdentity(f.absPath).catch(() => undefined);
          if (now && sameIdentity(now, f.identity) && f.identity.mtimeNs + RACY_WINDOW_NS < listedAtNs) unchanged.add(f);
        }),
      );
      for (const u of todo) if (unchanged.has(u.file)) cache.set(u.file.absPath, u.file.identity, algorithm, u.job.start, u.job.end, u.digest!);
    }
  }
  if (cache) await cache.save();
  throwIfAborted(signal);
  done = total;
  opts.onProgress?.(done, total);

  units.sort((a, b) => compareManifestKeys(a.key, b.key));
  const resources: ResourceDescriptor[] = units.map((u) => ({ name: u.name, algorithm, digest: u.digest! }));
  const serialization: SerializationParams = { method, hash_type: opts.hashAlgorithm, allow_symlinks: opts.allowSymlinks };
  if (method === 'shards') serialization.shard_size = shardSize;
  if (listing.ignores.recorded.length > 0) serialization.ignore_paths = listing.ignores.recorded;
  return { modelName, resources, serialization, rootDigest: computeRootDigest(resources) };
}
