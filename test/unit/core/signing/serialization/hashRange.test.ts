import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashRangeAsync, hashRangeOverlapped, hashRangeSync, HashJobFailure } from '../../../../../src/core/signing/hashing/hashRange';
import type { HashJob } from '../../../../../src/core/signing/hashing/job';
import { makeTempDir } from './helpers';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('range hashers (sync, async, double-buffered)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  const content = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7 + (i >> 8)) & 255));
  before(() => {
    tmp = makeTempDir();
    file = path.join(tmp.dir, 'f');
    fs.writeFileSync(file, content);
  });
  after(() => tmp.cleanup());

  const variants = {
    sync: (job: HashJob, onBytes: (n: number) => void) => hashRangeSync(job, Buffer.alloc(1000), onBytes),
    async: (job: HashJob, onBytes: (n: number) => void) => hashRangeAsync(job, Buffer.alloc(1000), onBytes),
    overlapped: (job: HashJob, onBytes: (n: number) => void) => hashRangeOverlapped(job, [Buffer.alloc(1000), Buffer.alloc(1000)], onBytes),
  };

  for (const [name, run] of Object.entries(variants)) {
    it(`${name}: hashes exact ranges across buffer boundaries and reports every byte`, async () => {
      for (const [start, end] of [[0, 10_000], [0, 1000], [999, 1001], [1, 9_999], [5000, 5000], [3, 2500]]) {
        let bytes = 0;
        const digest = await run({ path: file, start, end, algorithm: 'sha256', wholeFile: start === 0 && end === 10_000 }, (n) => (bytes += n));
        assert.equal(digest, sha256(content.subarray(start, end)), `[${start}, ${end})`);
        assert.equal(bytes, end - start);
      }
    });

    it(`${name}: FILE_CHANGED when the file is shorter than the range or longer than a whole-file job`, async () => {
      const short = { path: file, start: 0, end: 12_000, algorithm: 'sha256' as const, wholeFile: false };
      await assert.rejects(run(short, () => {}), (e: unknown) => e instanceof HashJobFailure && e.detail.code === 'FILE_CHANGED');
      const grown = { path: file, start: 0, end: 9_000, algorithm: 'sha256' as const, wholeFile: true };
      await assert.rejects(run(grown, () => {}), (e: unknown) => e instanceof HashJobFailure && e.detail.code === 'FILE_CHANGED');
      const grownLastShard = { path: file, start: 8_000, end: 9_000, algorithm: 'sha256' as const, wholeFile: false, lastRange: true };
      await assert.rejects(run(grownLastShard, () => {}), (e: unknown) => e instanceof HashJobFailure && e.detail.code === 'FILE_CHANGED');
      const middleShard = { ...grownLastShard, lastRange: false };
      assert.equal(await run(middleShard, () => {}), sha256(content.subarray(8_000, 9_000)));
    });

    (process.platform === 'win32' ? it.skip : it)(`${name}: refuses a FIFO (NOT_A_FILE) without blocking in open()`, async () => {
      const fifo = path.join(tmp.dir, `fifo-${name}`);
      execFileSync('mkfifo', [fifo]);
      await assert.rejects(
        run({ path: fifo, start: 0, end: 4_000_000, algorithm: 'sha256', wholeFile: true }, () => {}),
        (e: unknown) => e instanceof HashJobFailure && e.detail.code === 'NOT_A_FILE',
      );
    });

    it(`${name}: NOT_FOUND for a missing file`, async () => {
      await assert.rejects(
        run({ path: path.join(tmp.dir, 'nope'), start: 0, end: 1, algorithm: 'sha256', wholeFile: true }, () => {}),
        (e: unknown) => e instanceof HashJobFailure && e.detail.code === 'NOT_FOUND',
      );
    });
  }
});
