/**
 * Streams a byte range of one file through a hasher with reused buffers: never a whole-file
 * buffer. Workers use the double-buffered variant for big ranges and the synchronous one for
 * small ranges (fewest round-trips); the async variant runs on the main thread for tiny inputs.
 */
import * as fs from 'node:fs';
import { throwIfAborted } from '../../abort';
import type { HashJob, HashJobError } from './job';
import { createStreamHasher } from './streamHasher';

/** Thrown by the range hashers; carries a serializable HashJobError. */
export class HashJobFailure extends Error {
  constructor(readonly detail: HashJobError) {
    super(detail.message);
  }
}

function ioFailure(e: unknown, job: HashJob): HashJobFailure {
  if (e instanceof HashJobFailure) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ENOENT') return new HashJobFailure({ code: 'NOT_FOUND', message: `Cannot read '${job.path}': it no longer exists`, path: job.path });
  if (code === 'EISDIR') return new HashJobFailure({ code: 'NOT_A_FILE', message: `Cannot read '${job.path}': it is a directory`, path: job.path });
  return new HashJobFailure({ code: 'IO_ERROR', message: `Cannot read '${job.path}': ${message}`, path: job.path });
}

/**
 * Non-blocking open: the path was a regular file when listed, but it may have been swapped for a
 * FIFO since, and a blocking open() of a FIFO waits forever for a writer. (No-op on Windows.)
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function notAFile(job: HashJob): HashJobFailure {
  return new HashJobFailure({ code: 'NOT_A_FILE', message: `Cannot read '${job.path}': it is no longer a regular file`, path: job.path });
}

/** The opened file must be a regular file, and the very file that was listed. */
function checkOpened(job: HashJob, st: fs.BigIntStats): void {
  if (!st.isFile()) throw notAFile(job);
  if (job.identity && (st.ino !== job.identity.ino || st.dev !== job.identity.dev)) throw changed(job, 'it was replaced by another file');
}

/** The job's range ends the file, so the file must end exactly there (it must not have grown). */
function endsFile(job: HashJob): boolean {
  return job.wholeFile || job.lastRange === true;
}

function changed(job: HashJob, got: string): HashJobFailure {
  return new HashJobFailure({ code: 'FILE_CHANGED', message: `'${job.path}' changed while it was being hashed (${got})`, path: job.path });
}

/**
 * Hashes [job.start, job.end) synchronously, calling `onBytes(n)` after each read.
 * Throws HashJobFailure.
 */
export async function hashRangeSync(job: HashJob, buf: Buffer, onBytes: (n: number) => void): Promise<string> {
  const hasher = await createStreamHasher(job.algorithm);
  let fd: number | undefined;
  try {
    fd = fs.openSync(job.path, OPEN_FLAGS);
    checkOpened(job, fs.fstatSync(fd, { bigint: true }));
    let pos = job.start;
    while (pos < job.end) {
      const want = Math.min(buf.length, job.end - pos);
      const n = fs.readSync(fd, buf, 0, want, pos);
      if (n === 0) throw changed(job, `expected ${job.end} bytes, file ends at ${pos}`);
      hasher.update(n === buf.length ? buf : buf.subarray(0, n));
      pos += n;
      onBytes(n);
    }
    if (endsFile(job) && fs.readSync(fd, buf, 0, 1, pos) !== 0) throw changed(job, `grew beyond ${job.end} bytes`);
    return hasher.digestHex();
  } catch (e) {
    throw ioFailure(e, job);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function readAt(fd: number, buf: Buffer, length: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, 0, length, pos, (err, n) => (err ? reject(err) : resolve(n))));
}

/**
 * Like hashRangeSync, but overlaps I/O with hashing: while one buffer is hashed on this thread,
 * the next chunk is read into the other buffer by libuv's thread pool. Used by the workers;
 * `bufs` are two equally sized buffers owned by the caller.
 */
export async function hashRangeOverlapped(job: HashJob, bufs: [Buffer, Buffer], onBytes: (n: number) => void): Promise<string> {
  const hasher = await createStreamHasher(job.algorithm);
  let fd: number | undefined;
  let pending: Promise<number> | undefined;
  try {
    fd = fs.openSync(job.path, OPEN_FLAGS);
    checkOpened(job, fs.fstatSync(fd, { bigint: true }));
    let [cur, next] = bufs;
    let pos = job.start;
    const want = (p: number) => Math.min(cur.length, job.end - p);
    pending = pos < job.end ? readAt(fd, cur, want(pos), pos) : undefined;
    while (pending) {
      const n = await pending;
      pending = undefined;
      if (n === 0) throw changed(job, `expected ${job.end} bytes, file ends at ${pos}`);
      pos += n;
      if (pos < job.end) pending = readAt(fd, next, want(pos), pos);
      hasher.update(n === cur.length ? cur : cur.subarray(0, n));
      onBytes(n);
      [cur, next] = [next, cur];
    }
    if (endsFile(job) && fs.readSync(fd, cur, 0, 1, pos) !== 0) throw changed(job, `grew beyond ${job.end} bytes`);
    return hasher.digestHex();
  } catch (e) {
    throw ioFailure(e, job);
  } finally {
    // Never close the fd under an in-flight read.
    if (pending) await pending.catch(() => undefined);
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Async twin of hashRangeSync for the main thread; checks `signal` between reads. */
export async function hashRangeAsync(job: HashJob, buf: Buffer, onBytes: (n: number) => void, signal?: AbortSignal): Promise<string> {
  const hasher = await createStreamHasher(job.algorithm);
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(job.path, OPEN_FLAGS);
    checkOpened(job, await fh.stat({ bigint: true }));
    let pos = job.start;
    while (pos < job.end) {
      throwIfAborted(signal);
      const want = Math.min(buf.length, job.end - pos);
      const { bytesRead: n } = await fh.read(buf, 0, want, pos);
      if (n === 0) throw changed(job, `expected ${job.end} bytes, file ends at ${pos}`);
      hasher.update(n === buf.length ? buf : buf.subarray(0, n));
      pos += n;
      onBytes(n);
    }
    if (endsFile(job) && (await fh.read(buf, 0, 1, pos)).bytesRead !== 0) throw changed(job, `grew beyond ${job.end} bytes`);
    return hasher.digestHex();
  } catch (e) {
    if (signal?.aborted) throw e;
    throw ioFailure(e, job);
  } finally {
    await fh?.close();
  }
}
