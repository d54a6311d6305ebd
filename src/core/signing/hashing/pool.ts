/**
 * A pool of worker threads that hash byte ranges of files in parallel.
 *
 * Jobs are sorted biggest first and small jobs are grouped into batches, so one message
 * round-trip covers many tiny files while big files/shards are spread over all workers. Each
 * worker keeps one reused read buffer. Aborting an operation drops its queued batches and
 * terminates the workers busy with it (they are respawned lazily), so cancellation is prompt
 * even in the middle of a multi-GB file. Idle workers are unref'd (never keep a CLI alive) and
 * exit after an idle timeout.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancellationError } from '../../errors';
import { throwIfAborted } from '../../abort';
import { SerializationError } from '../serialization/errors';
import { hashRangeAsync, HashJobFailure } from './hashRange';
import { DEFAULT_CHUNK_SIZE, OVERLAP_MIN_BYTES, type HashBatchRequest, type HashJob, type HashJobResult, type HashWorkerMessage } from './job';
import { startWorker } from '../../workers/workerLocation';
import { resolveWorkerSource, type WorkerSource } from './workerSource';

/** Options of a HashPool. */
export interface HashPoolOptions {
  /** Worker count; default os.availableParallelism(). */
  size?: number;
  /** Where the worker script is; default resolveWorkerSource(); null = no threads (hash on the calling thread). */
  workerSource?: WorkerSource | null;
  /** Read buffer size per worker in bytes (default 4 MiB). */
  chunkSize?: number;
  /** Idle workers exit after this many milliseconds (default 30 s). */
  idleTimeoutMs?: number;
}

/** Per-call options of HashPool.hashAll. */
export interface HashRunOptions {
  signal?: AbortSignal;
  /** Called with the number of bytes just hashed (a delta). */
  onBytes?: (n: number) => void;
}

/** Jobs of at least this many bytes get a batch of their own. */
const BATCH_BYTES = 8 * 1024 * 1024;
/** Upper bound of jobs per batch, so progress and cancellation stay responsive. */
const BATCH_JOBS = 256;

interface Operation {
  results: string[];
  pendingBatches: number;
  settled: boolean;
  onBytes?: (n: number) => void;
  resolve: (r: string[]) => void;
  reject: (e: unknown) => void;
}

interface Batch {
  op: Operation;
  overlap: boolean;
  jobs: HashJob[];
  indices: number[];
}

interface Slot {
  worker?: Worker;
  batch?: Batch;
  idleTimer?: NodeJS.Timeout;
}

let nextBatchId = 1;

/** Splits jobs (biggest first) into batches: big jobs alone, small ones grouped. */
export function planBatches(jobs: readonly HashJob[]): number[][] {
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b].end - jobs[b].start - (jobs[a].end - jobs[a].start));
  const batches: number[][] = [];
  let cur: number[] = [];
  let curBytes = 0;
  for (const i of order) {
    const bytes = jobs[i].end - jobs[i].start;
    if (bytes >= BATCH_BYTES) {
      batches.push([i]);
      continue;
    }
    cur.push(i);
    curBytes += bytes;
    if (curBytes >= BATCH_BYTES || cur.length >= BATCH_JOBS) {
      batches.push(cur);
      cur = [];
      curBytes = 0;
    }
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}

function toError(r: Extract<HashJobResult, { error: unknown }>): SerializationError {
  return new SerializationError(r.error.code, r.error.message, r.error.path);
}

/** Hashes jobs sequentially on the calling thread (async reads). Used for tiny inputs and as a fallback. */
export async function hashInline(jobs: readonly HashJob[], opts: HashRunOptions & { chunkSize?: number } = {}): Promise<string[]> {
  const buf = Buffer.allocUnsafe(Math.min(opts.chunkSize ?? DEFAULT_CHUNK_SIZE, Math.max(1, ...jobs.map((j) => j.end - j.start))));
  const out: string[] = [];
  for (const job of jobs) {
    throwIfAborted(opts.signal);
    try {
      out.push(await hashRangeAsync(job, buf, (n) => opts.onBytes?.(n), opts.signal));
    } catch (e) {
      if (e instanceof HashJobFailure) throw new SerializationError(e.detail.code, e.detail.message, e.detail.path);
      throw e;
    }
  }
  throwIfAborted(opts.signal);
  return out;
}

/** A worker_threads pool hashing HashJobs. See the module comment. */
export class HashPool {
  /** Number of worker threads. */
  readonly size: number;
  private readonly source: WorkerSource | undefined;
  private readonly chunkSize: number;
  private readonly idleTimeoutMs: number;
  private readonly slots: Slot[];
  private readonly queue: Batch[] = [];
  private closed = false;

  constructor(opts: HashPoolOptions = {}) {
    const size = opts.size ?? os.availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new SerializationError('INVALID_OPTIONS', `hash pool size must be a positive integer, got ${size}`);
    this.size = size;
    this.source = opts.workerSource === undefined ? resolveWorkerSource() : (opts.workerSource ?? undefined);
    this.chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
    this.slots = Array.from({ length: size }, () => ({}));
  }

  /** True when worker threads can be used; false means hashAll falls back to the calling thread. */
  get usesWorkers(): boolean {
    return this.source !== undefined;
  }

  /** Worker threads currently alive (idle or busy). */
  get liveWorkers(): number {
    return this.slots.filter((s) => s.worker).length;
  }

  /**
   * Hashes every job and returns the lowercase hex digests in job order. Rejects with
   * CancellationError when `signal` fires, or with SerializationError on a read failure.
   */
  hashAll(jobs: readonly HashJob[], opts: HashRunOptions = {}): Promise<string[]> {
    throwIfAborted(opts.signal);
    if (this.closed) return Promise.reject(new SerializationError('IO_ERROR', 'hash pool is closed'));
    if (jobs.length === 0) return Promise.resolve([]);
    if (!this.source) return hashInline(jobs, { ...opts, chunkSize: this.chunkSize });
    return new Promise<string[]>((resolve, reject) => {
      const onAbort = () => this.fail(op, new CancellationError());
      const op: Operation = {
        results: new Array<string>(jobs.length),
        pendingBatches: 0,
        settled: false,
        onBytes: opts.onBytes,
        resolve: (r) => {
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          opts.signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      // Double-buffered reads only help when some core would otherwise idle (see hashWorker.ts).
      const overlap = jobs.filter((j) => j.end - j.start >= OVERLAP_MIN_BYTES).length < this.size;
      for (const indices of planBatches(jobs)) {
        this.queue.push({ op, overlap, indices, jobs: indices.map((i) => jobs[i]) });
        op.pendingBatches++;
      }
      this.dispatch();
    });
  }

  /** Terminates all workers; pending operations reject with IO_ERROR. */
  async close(): Promise<void> {
    this.closed = true;
    for (const b of this.queue.splice(0)) this.fail(b.op, new SerializationError('IO_ERROR', 'hash pool closed'));
    await Promise.all(this.slots.map((s) => this.stopWorker(s)));
  }

  private fail(op: Operation, err: unknown): void {
    if (op.settled) return;
    op.settled = true;
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].op === op) this.queue.splice(i, 1);
    for (const s of this.slots) {
      if (s.batch?.op === op) {
        s.batch = undefined;
        void this.stopWorker(s); // the thread may be deep in a big read: kill it
      }
    }
    op.reject(err);
    this.dispatch();
  }

  private async stopWorker(slot: Slot): Promise<void> {
    const w = slot.worker;
    slot.worker = undefined;
    slot.batch = undefined;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    if (w) await w.terminate().catch(() => undefined);
  }

  private spawn(slot: Slot): Worker {
    const src = this.source!;
    const w = startWorker(src);
    slot.worker = w;
    w.on('message', (m: HashWorkerMessage) => {
      if (slot.worker !== w) return;
      this.onMessage(slot, m);
    });
    w.on('error', (e) => {
      if (slot.worker !== w) return;
      this.onCrash(slot, e);
    });
    w.on('exit', (code) => {
      if (slot.worker !== w) return;
      this.onCrash(slot, new Error(`hash worker exited with code ${code}`));
    });
    return w;
  }

  private onCrash(slot: Slot, e: unknown): void {
    const batch = slot.batch;
    slot.worker = undefined;
    slot.batch = undefined;
    const msg = e instanceof Error ? e.message : String(e);
    if (batch) this.fail(batch.op, new SerializationError('IO_ERROR', `hash worker failed: ${msg}`, undefined, { cause: e }));
    else this.dispatch();
  }

  private onMessage(slot: Slot, m: HashWorkerMessage): void {
    const batch = slot.batch;
    if (!batch) return;
    if (m.type === 'progress') {
      if (!batch.op.settled) batch.op.onBytes?.(m.bytes);
      return;
    }
    slot.batch = undefined;
    const op = batch.op;
    if (!op.settled) {
      const bad = m.results.find((r): r is Extract<HashJobResult, { error: unknown }> => 'error' in r);
      if (bad) this.fail(op, toError(bad));
      else {
        m.results.forEach((r, k) => (op.results[batch.indices[k]] = (r as { digest: string }).digest));
        if (--op.pendingBatches === 0) {
          op.settled = true;
          op.resolve(op.results);
        }
      }
    }
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.batch) continue;
      let batch: Batch | undefined;
      while ((batch = this.queue.shift()) && batch.op.settled);
      if (!batch) {
        this.markIdle(slot);
        continue;
      }
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      let w = slot.worker;
      try {
        w ??= this.spawn(slot);
      } catch (e) {
        this.fail(batch.op, new SerializationError('IO_ERROR', `cannot start hash worker: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e }));
        continue;
      }
      slot.batch = batch;
      w.ref(); // a busy worker keeps the process alive until the result arrives
      w.postMessage({ id: nextBatchId++, jobs: batch.jobs, chunkSize: this.chunkSize, overlap: batch.overlap } satisfies HashBatchRequest);
    }
  }

  private markIdle(slot: Slot): void {
    const w = slot.worker;
    if (!w || slot.idleTimer) return;
    w.unref();
    slot.idleTimer = setTimeout(() => {
      if (slot.worker === w && !slot.batch) void this.stopWorker(slot);
    }, this.idleTimeoutMs);
    slot.idleTimer.unref();
  }
}

let shared: HashPool | undefined;

/** The process-wide pool (size = available cores), created on first use. */
export function sharedHashPool(): HashPool {
  shared ??= new HashPool();
  return shared;
}
