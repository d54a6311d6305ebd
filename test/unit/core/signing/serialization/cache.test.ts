import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DIGEST_CACHE_FILE,
  HashPool,
  openDigestCache,
  serializeModel,
  type HashJob,
  type SerializeModelOptions,
} from '../../../../../src/core/signing/serialization';
import { makeTempDir, writeTree } from './helpers';

/** A pool that records what it was asked to hash (and delegates to a real inline pool). */
class CountingPool extends HashPool {
  hashed: string[] = [];
  constructor() {
    super({ workerSource: null });
  }
  override hashAll(jobs: readonly HashJob[], opts = {}): Promise<string[]> {
    this.hashed.push(...jobs.map((j) => `${path.basename(j.path)}:${j.start}:${j.end}`));
    return super.hashAll(jobs, opts);
  }
}

function ageFile(p: string, seconds = 3600): void {
  const t = new Date(Date.now() - seconds * 1000);
  fs.utimesSync(p, t, t);
}

describe('digest cache', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let model: string;
  let cacheDir: string;
  let base: SerializeModelOptions;
  beforeEach(() => {
    tmp = makeTempDir();
    model = path.join(tmp.dir, 'model');
    cacheDir = path.join(tmp.dir, 'cache');
    writeTree(model, { a: 'alpha', 'sub/b': Buffer.alloc(2000, 2), c: 'gamma' });
    // Files written just now are "racy" and deliberately not cached; age them.
    for (const f of ['a', 'sub/b', 'c']) ageFile(path.join(model, f));
    base = { method: 'files', hashAlgorithm: 'sha256', ignorePaths: [], ignoreGitPaths: true, allowSymlinks: false, cacheDir, inlineThresholdBytes: 0 };
  });
  afterEach(() => tmp.cleanup());

  it('is not read or written unless asked', async () => {
    const pool = new CountingPool();
    await serializeModel(model, { ...base, pool });
    assert.equal(fs.existsSync(path.join(cacheDir, DIGEST_CACHE_FILE)), false);
  });

  it('hits for unchanged files and gives the same manifest without hashing', async () => {
    const first = new CountingPool();
    const full = await serializeModel(model, { ...base, pool: first, refreshCache: true });
    assert.equal(first.hashed.length, 3);
    assert.ok(fs.existsSync(path.join(cacheDir, DIGEST_CACHE_FILE)));
    const second = new CountingPool();
    const progress: number[][] = [];
    const quick = await serializeModel(model, { ...base, pool: second, useCache: true, onProgress: (d, t) => progress.push([d, t]) });
    assert.deepEqual(second.hashed, []);
    assert.deepEqual(quick, full);
    assert.deepEqual(progress[0], [2010, 2010]);
  });

  it('keys entries by algorithm and shard range', async () => {
    await serializeModel(model, { ...base, useCache: true });
    const pool = new CountingPool();
    await serializeModel(model, { ...base, pool, useCache: true, method: 'shards', shardSize: 1000 });
    assert.deepEqual(pool.hashed.sort(), ['a:0:5', 'b:0:1000', 'b:1000:2000', 'c:0:5']);
    const again = new CountingPool();
    await serializeModel(model, { ...base, pool: again, useCache: true, hashAlgorithm: 'blake2b' });
    assert.equal(again.hashed.length, 3);
  });

  it('does not cache files modified in the last seconds (racy timestamps)', async () => {
    fs.writeFileSync(path.join(model, 'a'), 'fresh');
    await serializeModel(model, { ...base, useCache: true });
    const pool = new CountingPool();
    await serializeModel(model, { ...base, pool, useCache: true });
    assert.deepEqual(pool.hashed, ['a:0:5']);
  });

  it('misses after the content and size change', async () => {
    await serializeModel(model, { ...base, useCache: true });
    fs.writeFileSync(path.join(model, 'a'), 'alpha, longer');
    ageFile(path.join(model, 'a'), 60);
    const pool = new CountingPool();
    const m = await serializeModel(model, { ...base, pool, useCache: true });
    assert.deepEqual(pool.hashed, ['a:0:13']);
    const fresh = await serializeModel(model, { ...base, pool: new CountingPool() });
    assert.deepEqual(m, fresh);
  });

  it('misses after a same-size rewrite with the old mtime restored (ctime/mtime change)', async () => {
    await serializeModel(model, { ...base, useCache: true });
    const p = path.join(model, 'c');
    const before = fs.statSync(p);
    fs.writeFileSync(p, 'GAMMA'); // same size
    fs.utimesSync(p, before.atime, before.mtime); // forge mtime back; ctime still moves (ctime is checked too)
    const pool = new CountingPool();
    const m = await serializeModel(model, { ...base, pool, useCache: true });
    assert.deepEqual(pool.hashed, ['c:0:5']);
    assert.equal(m.resources.find((r) => r.name === 'c')!.digest, (await serializeModel(model, base)).resources.find((r) => r.name === 'c')!.digest);
  });

  it('misses after only the mtime changes', async () => {
    await serializeModel(model, { ...base, useCache: true });
    ageFile(path.join(model, 'a'), 7200);
    const pool = new CountingPool();
    await serializeModel(model, { ...base, pool, useCache: true });
    assert.deepEqual(pool.hashed, ['a:0:5']);
  });

  it('a full (useCache=false) run re-hashes everything even with a warm cache', async () => {
    await serializeModel(model, { ...base, useCache: true });
    const pool = new CountingPool();
    await serializeModel(model, { ...base, pool });
    assert.equal(pool.hashed.length, 3);
  });

  for (const [label, content] of [
    ['garbage', '{not json'],
    ['wrong version', JSON.stringify({ version: 99, entries: {} })],
    ['malformed entries', JSON.stringify({ version: 1, entries: { k: ['x'], j: 5 } })],
    ['empty file', ''],
  ] as const) {
    it(`ignores a corrupt cache file (${label}) and rewrites it`, async () => {
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.writeFileSync(path.join(cacheDir, DIGEST_CACHE_FILE), content);
      const pool = new CountingPool();
      const m = await serializeModel(model, { ...base, pool, useCache: true });
      assert.equal(pool.hashed.length, 3);
      assert.equal(m.resources.length, 3);
      const parsed = JSON.parse(fs.readFileSync(path.join(cacheDir, DIGEST_CACHE_FILE), 'utf8')) as { version: number; entries: object };
      assert.equal(parsed.version, 1);
      assert.equal(Object.keys(parsed.entries).length, 3);
    });
  }

  it('does not trust a forged entry whose digest belongs to a different identity', async () => {
    await serializeModel(model, { ...base, useCache: true });
    const cache = await openDigestCache(cacheDir);
    assert.equal(cache.size, 3);
    const file = path.join(cacheDir, DIGEST_CACHE_FILE);
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, string[]> };
    for (const v of Object.values(json.entries)) v[0] = String(Number(v[0]) + 1); // wrong size
    fs.writeFileSync(file, JSON.stringify(json));
    const pool = new CountingPool();
    await serializeModel(model, { ...base, pool, useCache: true });
    assert.equal(pool.hashed.length, 3);
  });

  it('survives an unwritable cache directory', async () => {
    fs.writeFileSync(path.join(tmp.dir, 'blocker'), 'x');
    const m = await serializeModel(model, { ...base, useCache: true, cacheDir: path.join(tmp.dir, 'blocker', 'sub') });
    assert.equal(m.resources.length, 3);
  });
});
