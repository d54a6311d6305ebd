import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { CancellationError } from '../../../../../src/core/errors';
import { HashPool, resolveWorkerSource, serializeModel, sharedHashPool, type HashJob, type SerializeModelOptions } from '../../../../../src/core/signing/serialization';
import { planBatches } from '../../../../../src/core/signing/hashing/pool';
import * as os from 'node:os';
import { REPO_ROOT, makeTempDir, writeTree } from './helpers';

const run = promisify(execFile);
const files: SerializeModelOptions = { method: 'files', hashAlgorithm: 'sha256', ignorePaths: [], ignoreGitPaths: true, allowSymlinks: false };
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function sparseFile(p: string, size: number): void {
  fs.writeFileSync(p, '');
  fs.truncateSync(p, size);
}

describe('hash pool', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  it('runs from TypeScript sources through an inline tsx worker', () => {
    const src = resolveWorkerSource(path.join(REPO_ROOT, 'src/core/signing/hashing'));
    assert.equal(src?.kind, 'eval');
  });

  it('aborting mid-hash rejects promptly with CancellationError and kills the busy workers', async () => {
    const big = path.join(tmp.dir, 'big');
    sparseFile(big, 768 * 1024 * 1024);
    const pool = new HashPool({ size: 2 });
    const ac = new AbortController();
    let progressAfterAbort = 0;
    let abortedAt = 0;
    const started = Date.now();
    const p = serializeModel(tmp.dir, {
      ...files,
      method: 'shards',
      shardSize: 64 * 1024 * 1024,
      pool,
      signal: ac.signal,
      onProgress: (done) => {
        if (ac.signal.aborted) progressAfterAbort++;
        else if (done > 0) {
          abortedAt = Date.now();
          ac.abort();
        }
      },
    });
    await assert.rejects(p, (e: unknown) => e instanceof CancellationError && (e as CancellationError).code === 'CANCELLED');
    const latency = Date.now() - abortedAt;
    assert.ok(abortedAt > 0, 'progress was reported before the abort');
    assert.ok(latency < 200, `rejected ${latency} ms after abort`);
    assert.ok(Date.now() - started < 5000);
    assert.equal(pool.liveWorkers, 0, 'busy workers were terminated');
    assert.equal(progressAfterAbort, 0);
    // The pool recovers: new workers are spawned for the next operation.
    writeTree(tmp.dir, { 'small/a': Buffer.alloc(3 * 1024 * 1024, 1) });
    const ok = await pool.hashAll([{ path: path.join(tmp.dir, 'small/a'), start: 0, end: 3 * 1024 * 1024, algorithm: 'sha256', wholeFile: true }]);
    assert.deepEqual(ok, [sha256(Buffer.alloc(3 * 1024 * 1024, 1))]);
    await pool.close();
  });

  it('plans big jobs first, one per batch, and groups small jobs', () => {
    const job = (size: number): HashJob => ({ path: `f${size}`, start: 0, end: size, algorithm: 'sha256', wholeFile: true });
    const jobs = [job(10), job(50_000_000), job(20), job(9_000_000), ...Array.from({ length: 300 }, () => job(1000))];
    const batches = planBatches(jobs);
    assert.deepEqual(batches[0], [1]);
    assert.deepEqual(batches[1], [3]);
    assert.ok(batches.slice(2).every((b) => b.length <= 256));
    assert.deepEqual(batches.flat().sort((a, b) => a - b), jobs.map((_, i) => i));
    assert.equal(batches.length, 4); // 302 small jobs → 2 batches
  });

  it('hashes the shards of one big file on several workers at once', async () => {
    const big = Buffer.alloc(32 * 1024 * 1024, 9);
    writeTree(tmp.dir, { big });
    const pool = new HashPool({ size: 2 });
    const man = await serializeModel(tmp.dir, { ...files, method: 'shards', shardSize: 16 * 1024 * 1024, pool, inlineThresholdBytes: 0 });
    assert.equal(pool.liveWorkers, 2);
    assert.deepEqual(man.resources.map((r) => r.digest), [sha256(big.subarray(0, 16 << 20)), sha256(big.subarray(16 << 20))]);
    await pool.close();
  });

  it('sizes the shared pool to the available cores', () => {
    assert.equal(sharedHashPool().size, os.availableParallelism());
    assert.equal(new HashPool({ size: 3 }).size, 3);
    assert.throws(() => new HashPool({ size: 0 }), { code: 'INVALID_OPTIONS' });
  });

  it('rejects at once when the signal is already aborted', async () => {
    writeTree(tmp.dir, { f: 'x' });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(serializeModel(tmp.dir, { ...files, signal: ac.signal }), CancellationError);
  });

  it('reports monotonic progress that reaches the total byte count', async () => {
    const sizes = { a: 9 * 1024 * 1024 + 1, b: 5 * 1024 * 1024, c: 100, d: 0 };
    writeTree(tmp.dir, Object.fromEntries(Object.entries(sizes).map(([k, n]) => [k, Buffer.alloc(n, 7)])));
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    for (const method of ['files', 'shards'] as const) {
      const calls: [number, number][] = [];
      await serializeModel(tmp.dir, { ...files, method, shardSize: 2 * 1024 * 1024, inlineThresholdBytes: 0, onProgress: (d, t) => calls.push([d, t]) });
      assert.ok(calls.length >= 2);
      for (let i = 1; i < calls.length; i++) assert.ok(calls[i][0] >= calls[i - 1][0], `monotonic at ${i}`);
      assert.ok(calls.every(([d, t]) => t === total && d <= t));
      assert.deepEqual(calls[calls.length - 1], [total, total]);
    }
  });

  it('maps a read failure to a coded SerializationError', async () => {
    const pool = new HashPool({ size: 1 });
    const job: HashJob = { path: path.join(tmp.dir, 'missing'), start: 0, end: 10, algorithm: 'sha256', wholeFile: true };
    await assert.rejects(pool.hashAll([job]), { name: 'SerializationError', code: 'NOT_FOUND' });
    writeTree(tmp.dir, { short: 'abc' });
    await assert.rejects(pool.hashAll([{ ...job, path: path.join(tmp.dir, 'short') }]), { code: 'FILE_CHANGED' });
    await assert.rejects(pool.hashAll([{ ...job, path: path.join(tmp.dir, 'short'), end: 2 }]), { code: 'FILE_CHANGED' });
    await pool.close();
  });

  it('turns a crashing worker into IO_ERROR instead of hanging', async () => {
    writeTree(tmp.dir, { f: 'x' });
    const pool = new HashPool({ size: 1, workerSource: { kind: 'eval', file: '<test>', code: 'throw new Error("boom")' } });
    await assert.rejects(pool.hashAll([{ path: path.join(tmp.dir, 'f'), start: 0, end: 1, algorithm: 'sha256', wholeFile: true }]), (e: unknown) => (e as { code?: string }).code === 'IO_ERROR' && /boom/.test(String(e)));
    await pool.close();
  });

  it('hashes on the calling thread when no worker is available', async () => {
    writeTree(tmp.dir, { f: 'hello' });
    const pool = new HashPool({ workerSource: null });
    assert.equal(pool.usesWorkers, false);
    const man = await serializeModel(tmp.dir, { ...files, pool, inlineThresholdBytes: 0 });
    assert.equal(man.resources[0].digest, sha256('hello'));
  });

  describe('bundled worker (dist layout)', function () {
    let out: string;
    let outDir: ReturnType<typeof makeTempDir>;
    before(async function () {
      this.timeout(60_000);
      outDir = makeTempDir('tl-bundle-');
      out = outDir.dir;
      const entry = path.join(out, 'entry.ts');
      const index = path.join(REPO_ROOT, 'src/core/signing/serialization/index.ts');
      fs.writeFileSync(
        entry,
        `import { serializeModel, resolveWorkerSource } from ${JSON.stringify(index)};\n` +
          `serializeModel(process.argv[2], { method: 'shards', shardSize: 1000000, hashAlgorithm: 'sha256', ignorePaths: [], ignoreGitPaths: true, allowSymlinks: false, inlineThresholdBytes: 0 })\n` +
          `  .then((m) => console.log(JSON.stringify({ source: resolveWorkerSource()?.kind, m })), (e) => { console.error(e); process.exit(1); });\n`,
      );
      await esbuild.build({
        entryPoints: { app: entry, hashWorker: path.join(REPO_ROOT, 'src/core/signing/hashWorker.ts') },
        outdir: path.join(out, 'dist'),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        logLevel: 'error',
      });
    });
    after(() => outDir?.cleanup());

    it('finds dist/hashWorker.js next to the bundle and hashes through it', async () => {
      const content = Buffer.alloc(3_500_000);
      for (let i = 0; i < content.length; i++) content[i] = i % 251;
      writeTree(tmp.dir, { w: content, 'd/x': 'x' });
      const { stdout } = await run(process.execPath, [path.join(out, 'dist', 'app.js'), tmp.dir]);
      const { source, m } = JSON.parse(stdout) as { source: string; m: { resources: { name: string; digest: string }[] } };
      assert.equal(source, 'file');
      assert.deepEqual(
        m.resources.map((r) => `${r.name}=${r.digest}`),
        ['d/x:0:1=' + sha256('x'), ...[[0, 1e6], [1e6, 2e6], [2e6, 3e6], [3e6, 3.5e6]].map(([s, e]) => `w:${s}:${e}=${sha256(content.subarray(s, e))}`)],
      );
    });

    it('a HashPool given the bundled worker file hashes correctly', async () => {
      const src = resolveWorkerSource(path.join(out, 'dist'));
      assert.equal(src?.kind, 'file');
      writeTree(tmp.dir, { f: 'abc' });
      const pool = new HashPool({ size: 1, workerSource: src });
      assert.deepEqual(await pool.hashAll([{ path: path.join(tmp.dir, 'f'), start: 0, end: 3, algorithm: 'sha256', wholeFile: true }]), [sha256('abc')]);
      await pool.close();
    });
  });
});
