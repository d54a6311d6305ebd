import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serializeModel, hashInline, HashPool, type HashJob, type SerializeModelOptions } from '../../../../../src/core/signing/serialization';
import { makeTempDir, writeTree } from '../serialization/helpers';

const FILES: SerializeModelOptions = { method: 'files', hashAlgorithm: 'sha256', ignorePaths: [], ignoreGitPaths: false, allowSymlinks: false };

/** A pool whose hashAll first runs `between` (the window between listing and hashing), then hashes inline. */
function racingPool(between: () => void): HashPool {
  return { liveWorkers: 0, hashAll: (jobs: readonly HashJob[], opts?: object) => (between(), hashInline(jobs, opts)) } as unknown as HashPool;
}

/** Settles with 'timeout' when `p` takes longer than `ms` (a hang), else with p's outcome. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

describe('adversarial: files that change between listing and hashing', function () {
  const posix = process.platform !== 'win32';
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir('tl-adv-')));
  afterEach(() => tmp.cleanup());

  (posix ? it : it.skip)('a file swapped for a FIFO after listing fails fast with NOT_A_FILE instead of hanging', async () => {
    const model = path.join(tmp.dir, 'm');
    writeTree(model, { 'w.bin': 'weights' });
    const fifo = path.join(tmp.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const run = serializeModel(model, { ...FILES, inlineThresholdBytes: 0, pool: racingPool(() => fs.renameSync(fifo, path.join(model, 'w.bin'))) });
    const outcome = await within(run.then(() => 'resolved', (e: { code?: string }) => e.code), 3000);
    if (outcome === 'timeout') {
      // Unblock the libuv thread stuck in open() so the test process can exit.
      fs.closeSync(fs.openSync(path.join(model, 'w.bin'), fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    }
    assert.equal(outcome, 'NOT_A_FILE');
  });

  (posix ? it : it.skip)('the worker-side hasher refuses a FIFO too (a blocked worker would hang the pool)', async () => {
    const fifo = path.join(tmp.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const pool = new HashPool({ size: 1 });
    try {
      const run = pool.hashAll([{ path: fifo, start: 0, end: 0, algorithm: 'sha256', wholeFile: true }]);
      const outcome = await within(run.then(() => 'resolved', (e: { code?: string }) => e.code), 8000);
      if (outcome === 'timeout') fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
      assert.equal(outcome, 'NOT_A_FILE');
    } finally {
      await pool.close();
    }
  });

  (posix ? it : it.skip)('a directory swapped for a symlink after listing (symlinks not allowed) fails with FILE_CHANGED', async () => {
    const model = path.join(tmp.dir, 'm');
    writeTree(model, { 'd/w.bin': 'weights' });
    writeTree(tmp.dir, { 'elsewhere/w.bin': 'weights' }); // same bytes, outside the model
    const run = serializeModel(model, {
      ...FILES,
      inlineThresholdBytes: 0,
      pool: racingPool(() => {
        fs.renameSync(path.join(model, 'd'), path.join(tmp.dir, 'old-d'));
        fs.symlinkSync(path.join(tmp.dir, 'elsewhere'), path.join(model, 'd'));
      }),
    });
    await assert.rejects(run, (e: { code?: string }) => e.code === 'FILE_CHANGED');
  });

  it('shards: a file that grows after listing fails (FILE_CHANGED) instead of verifying its old prefix', async () => {
    const model = path.join(tmp.dir, 'm');
    writeTree(model, { 'w.bin': '0123456789' });
    const run = serializeModel(model, {
      ...FILES,
      method: 'shards',
      shardSize: 4,
      inlineThresholdBytes: 0,
      pool: racingPool(() => fs.appendFileSync(path.join(model, 'w.bin'), 'APPENDED PAYLOAD')),
    });
    await assert.rejects(run, (e: { code?: string }) => e.code === 'FILE_CHANGED');
  });
});
