import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSafetyWorkerClient, ModelSafetyCache, scanModelFile, scanModelFolder, type FileSafetyReport, type SafetyWorkerClient } from '../../../../src/core/modelsafety';
import { CancellationError, TrustLensError } from '../../../../src/core/errors';
import { makeZip, P, pk, reducePickle, tempDir, torchStyleDataPkl } from './fixtures';
import { gguf } from './ggufFixture';

const WORKER_TS = path.resolve(__dirname, '../../../../src/core/modelsafety/safetyWorker.ts');

/** A report without its timing, which differs between two runs. */
const comparable = (r: FileSafetyReport) => ({ ...r, durationMs: 0 });

/** `n` NONE+POP pairs: a valid-looking pickle stream that keeps the scanner busy for a while. */
function longPickle(pairs: number): Buffer {
  const body = Buffer.alloc(pairs * 2);
  for (let i = 0; i < pairs; i++) {
    body[2 * i] = 0x4e;
    body[2 * i + 1] = 0x30;
  }
  return pk(P.proto(2), body, P.none, P.stop);
}

const FIXTURES: Record<string, () => Buffer> = {
  'evil.pkl': () => reducePickle('os', 'system'),
  'benign.pkl': () => pk(P.proto(2), P.emptyDict, P.stop),
  'truncated.pkl': () => reducePickle('builtins', 'eval').subarray(0, 12),
  'model.pt': () =>
    makeZip([
      { name: 'archive/data.pkl', data: torchStyleDataPkl(), method: 8 },
      { name: 'archive/data/0', data: Buffer.alloc(4096, 0x3f) },
      { name: 'archive/version', data: Buffer.from('3\n') },
    ]),
  'hidden.pt': () =>
    makeZip([
      { name: 'archive/data.pkl', data: torchStyleDataPkl() },
      { name: 'archive/extra.pkl', data: reducePickle('subprocess', 'Popen'), hidden: true },
    ]),
  'nested.zip': () => makeZip([{ name: 'inner.zip', data: makeZip([{ name: 'x.pkl', data: reducePickle('builtins', 'exec') }]) }]),
  'tiny.gguf': () => gguf({ tensors: [{ name: 'w', dims: [4], type: 0, offset: 0 }] }),
  'README.md': () => Buffer.from('# not a model\n'),
};

describe('modelsafety worker client', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let client: SafetyWorkerClient;

  before(() => {
    tmp = tempDir();
    fs.mkdirSync(path.join(tmp.dir, 'sub'));
    for (const [name, build] of Object.entries(FIXTURES)) fs.writeFileSync(path.join(tmp.dir, name === 'tiny.gguf' ? `sub/${name}` : name), build());
    client = createSafetyWorkerClient();
  });
  after(async () => {
    await client.dispose();
    tmp.cleanup();
  });

  it('returns the same reports as the in-process scan, file by file', async () => {
    const names = Object.keys(FIXTURES).filter((n) => n !== 'README.md');
    const verdicts = new Set<string>();
    for (const name of names) {
      const file = path.join(tmp.dir, name === 'tiny.gguf' ? `sub/${name}` : name);
      const [inWorker, inProcess] = [await client.scanFile(file), await scanModelFile(file)];
      assert.deepEqual(comparable(inWorker), comparable(inProcess), name);
      verdicts.add(inWorker.verdict);
    }
    // The fixtures really exercise different outcomes, not one verdict repeated.
    assert.ok(verdicts.has('dangerous') && verdicts.has('safe') && verdicts.size >= 3, [...verdicts].join(','));
  });

  it('returns the same folder report as scanModelFolder and reports progress up to the total', async () => {
    const calls: Array<[number, number]> = [];
    const inWorker = await client.scanFolder(tmp.dir, { onProgress: (d, t) => calls.push([d, t]) });
    const inProcess = await scanModelFolder(tmp.dir);
    assert.deepEqual({ ...inWorker, files: inWorker.files.map(comparable) }, { ...inProcess, files: inProcess.files.map(comparable) });
    assert.equal(inWorker.worst, 'dangerous');
    assert.deepEqual(inWorker.skipped, ['README.md']);
    const total = inProcess.files.reduce((a, f) => a + f.size, 0);
    assert.ok(calls.length > 0);
    assert.deepEqual(calls[calls.length - 1], [total, total]);
    for (let i = 1; i < calls.length; i++) assert.ok(calls[i][0] >= calls[i - 1][0], 'progress never goes backwards');
  });

  it('rejects a missing path with the same coded error as the in-process scan', async () => {
    const missing = path.join(tmp.dir, 'nope.pkl');
    const inProcess = await scanModelFile(missing).catch((e: unknown) => e);
    const inWorker = await client.scanFile(missing).catch((e: unknown) => e);
    assert.ok(TrustLensError.is(inWorker, 'MODELSAFETY_NOT_FOUND'), String(inWorker));
    assert.equal((inWorker as TrustLensError).code, (inProcess as TrustLensError).code);
    await assert.rejects(client.scanFolder(path.join(tmp.dir, 'evil.pkl')), (e) => TrustLensError.is(e, 'MODELSAFETY_NOT_A_DIRECTORY'));
  });

  it('rejects with CancellationError on abort (before and during a scan) and stays usable', async () => {
    const big = path.join(tmp.dir, 'long.pkl');
    fs.writeFileSync(big, longPickle(8_000_000));
    await client.scanFile(path.join(tmp.dir, 'benign.pkl')); // worker started
    await assert.rejects(client.scanFile(big, { signal: AbortSignal.abort() }), CancellationError);
    const ctrl = new AbortController();
    const pending = client.scanFile(big, { signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 20);
    await assert.rejects(pending, CancellationError);
    // A queued request is dropped on abort too, without disturbing the one ahead of it.
    const ctrl2 = new AbortController();
    const first = client.scanFile(path.join(tmp.dir, 'evil.pkl'));
    const queued = client.scanFile(big, { signal: ctrl2.signal });
    ctrl2.abort();
    await assert.rejects(queued, CancellationError);
    assert.equal((await first).verdict, 'dangerous');
    fs.rmSync(big);
  });

  it('kills a stuck worker after the timeout, reports unknown (never safe), and replaces it', async () => {
    // A worker whose first message listener spins forever on a path containing HANG, before the
    // real worker's listener can run: exactly what a pathological scan looks like from outside.
    const wrapper = path.join(tmp.dir, 'hangingWorker.js');
    fs.writeFileSync(
      wrapper,
      [
        "const { parentPort } = require('node:worker_threads');",
        "parentPort.on('message', (m) => { if (String(m.path).includes('HANG')) for (;;) {} });",
        `require(${JSON.stringify(require.resolve('tsx/cjs'))});`,
        `require(${JSON.stringify(WORKER_TS)});`,
      ].join('\n'),
    );
    const hang = path.join(tmp.dir, 'HANG.pkl');
    fs.writeFileSync(hang, pk(P.proto(2), P.emptyDict, P.stop));
    const c = createSafetyWorkerClient({ workerPath: wrapper, timeoutMs: 3000 });
    try {
      assert.equal((await c.scanFile(path.join(tmp.dir, 'evil.pkl'))).verdict, 'dangerous');
      const queuedBehind = c.scanFile(path.join(tmp.dir, 'evil.pkl'));
      const started = Date.now();
      const r = await c.scanFile(hang);
      assert.ok(Date.now() - started >= 2900, `timed out after ${Date.now() - started} ms`);
      assert.equal(r.verdict, 'unknown');
      assert.equal(r.path, hang);
      assert.ok(r.findings.some((f) => f.code === 'SCAN_TIMEOUT'));
      // The request queued behind the stuck one ran on a fresh worker.
      assert.equal((await queuedBehind).verdict, 'dangerous');
      assert.equal((await c.scanFile(path.join(tmp.dir, 'benign.pkl'))).verdict, 'safe');
    } finally {
      await c.dispose();
    }
  });

  it('runs through the bundled dist/safetyWorker.js (what the extension loads)', async function () {
    const bundled = path.resolve(__dirname, '../../../../dist/safetyWorker.js');
    if (!fs.existsSync(bundled)) this.skip(); // unit runs without `npm run build`
    const c = createSafetyWorkerClient({ workerPath: bundled });
    try {
      const file = path.join(tmp.dir, 'model.pt');
      assert.deepEqual(comparable(await c.scanFile(file)), comparable(await scanModelFile(file)));
    } finally {
      await c.dispose();
    }
  });

  it('dispose rejects pending and later requests with CancellationError', async () => {
    const c = createSafetyWorkerClient();
    const big = path.join(tmp.dir, 'long2.pkl');
    fs.writeFileSync(big, longPickle(4_000_000));
    const running = c.scanFile(big).catch((e: unknown) => e);
    const queued = c.scanFolder(tmp.dir).catch((e: unknown) => e);
    await c.dispose();
    assert.ok((await running) instanceof CancellationError, String(await running));
    assert.ok((await queued) instanceof CancellationError, String(await queued));
    await assert.rejects(c.scanFile(path.join(tmp.dir, 'evil.pkl')), CancellationError);
    fs.rmSync(big);
  });

  it('serves unchanged files from a host-side ModelSafetyCache and sends misses to the worker', async () => {
    let misses = 0;
    const cache = new ModelSafetyCache(100, (p, o) => (misses++, client.scanFile(p, o)));
    const file = path.join(tmp.dir, 'cached.pkl');
    fs.writeFileSync(file, reducePickle('os', 'system'));
    assert.equal((await cache.get(file)).verdict, 'dangerous');
    assert.equal((await cache.get(file)).verdict, 'dangerous');
    assert.equal(misses, 1);
    fs.writeFileSync(file, pk(P.proto(2), P.emptyList, P.stop, Buffer.alloc(0)));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000)); // a new identity even on coarse clocks
    assert.equal((await cache.get(file)).verdict, 'safe');
    assert.equal(misses, 2);
  });
});
