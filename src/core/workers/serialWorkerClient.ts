/**
 * The machinery shared by worker-backed clients (scan worker, model-safety worker): one lazily
 * started worker_threads worker serving one request at a time from a FIFO queue.
 *
 * - An AbortSignal rejects its request at once with CancellationError: a queued request is
 *   dropped; the active one is cancelled by writing its id into a shared Int32Array slot that the
 *   worker polls (it cannot read messages mid-task), and the next request is sent right away.
 * - A request still running after its `timeoutMs` has its worker terminated (the next request
 *   gets a fresh one) and settles with what its `onTimeout` returns or throws.
 * - Events from a worker already replaced are ignored; a late reply to a cancelled request too.
 * - The worker is unref'd (never keeps a process alive); `dispose` terminates it and rejects
 *   pending and later requests with CancellationError.
 *
 * Protocol: each request is posted as `{ ...body, id }`; the worker answers with messages that
 * carry the same `id`: any number of `progress` messages, then one final reply or an `error`.
 */
import type { Worker } from 'node:worker_threads';
import type { ProgressCallback } from '../abort';
import { CancellationError, TrustLensError } from '../errors';

/** A worker's failure reply; `cancelled` when it stopped because the request was cancelled. */
export type WorkerErrorReply = { type: 'error'; id: number; code: string; message: string; cancelled: boolean };
/** A worker's progress report for request `id`. */
export type WorkerProgressReply = { type: 'progress'; id: number; done: number; total: number; detail?: string };
/** Any message a worker sends back. */
export type WorkerReply = { type: string; id: number };
/** The replies that settle a request (neither progress nor error). */
export type FinalReply<R extends WorkerReply> = Exclude<R, WorkerErrorReply | WorkerProgressReply>;

/** Options of createSerialWorkerClient. */
export interface SerialWorkerClientOptions {
  /** Used in error messages, e.g. "scan worker" ("scan worker exited"). */
  name: string;
  /**
   * Starts a fresh worker; `cancel` is the shared buffer whose Int32 slot 0 receives the id of
   * the request to cancel. Called lazily, again after a kill; may throw (the request rejects).
   */
  spawn(cancel: SharedArrayBuffer): Worker;
}

/** Per-request options. */
export interface SerialRequestOptions<F> {
  signal?: AbortSignal;
  /** Receives the worker's `progress` messages for this request. */
  onProgress?: ProgressCallback;
  /** Milliseconds from when the request is sent until its worker is killed. */
  timeoutMs: number;
  /** Outcome of a request killed on timeout: a reply (or its promise) to resolve with, or a throw. */
  onTimeout(): F | Promise<F>;
}

/** A serial worker client; see the module comment. */
export interface SerialWorkerClient<B, F> {
  /** Queues `body`; resolves with the worker's final reply, rejects on error, abort or dispose. */
  request(body: B, options: SerialRequestOptions<F>): Promise<F>;
  /** Terminates the worker; pending and later requests reject with CancellationError. */
  dispose(): Promise<void>;
}

interface Pending<B, F> {
  id: number;
  body: B;
  opts: SerialRequestOptions<F>;
  resolve(r: F | Promise<F>): void;
  reject(e: unknown): void;
  onAbort?: () => void;
}

/** Creates a client for request bodies `B` and worker replies `R`; the worker starts on the first request. */
export function createSerialWorkerClient<B extends object, R extends WorkerReply>(options: SerialWorkerClientOptions): SerialWorkerClient<B, FinalReply<R>> {
  type F = FinalReply<R>;
  const { name } = options;
  const cancelBuf = new SharedArrayBuffer(4);
  const cancelSlot = new Int32Array(cancelBuf);
  let worker: Worker | undefined;
  let nextId = 1;
  const queue: Pending<B, F>[] = [];
  let active: Pending<B, F> | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let disposed = false;

  function start(): Worker {
    const wk = options.spawn(cancelBuf);
    wk.on('message', (reply: R) => {
      const p = active;
      if (!p || reply.id !== p.id) return; // a late answer to a cancelled request
      if (reply.type === 'progress') {
        const r = reply as unknown as WorkerProgressReply;
        return p.opts.onProgress?.(r.done, r.total, r.detail);
      }
      finish();
      if (reply.type !== 'error') p.resolve(reply as F);
      else {
        const r = reply as unknown as WorkerErrorReply;
        p.reject(r.cancelled ? new CancellationError() : new TrustLensError(r.code, r.message));
      }
      pump();
    });
    // Events from a worker already replaced (killed on timeout) must not touch the new request.
    wk.on('error', (e) => {
      if (worker === wk) failActive(new TrustLensError('WORKER_FAILED', `${name} failed: ${e.message}`, { cause: e }));
    });
    wk.on('exit', () => {
      if (worker !== wk) return;
      worker = undefined;
      failActive(new TrustLensError('WORKER_FAILED', `${name} exited`));
    });
    wk.unref();
    return wk;
  }

  function finish(): void {
    if (killTimer) clearTimeout(killTimer);
    killTimer = undefined;
    if (active?.onAbort) active.opts.signal?.removeEventListener('abort', active.onAbort);
    active = undefined;
  }

  function failActive(e: unknown): void {
    const p = active;
    if (!p) return;
    finish();
    p.reject(e);
    pump();
  }

  function pump(): void {
    if (active || disposed) return;
    const p = queue.shift();
    if (!p) return;
    if (p.opts.signal?.aborted) {
      p.reject(new CancellationError());
      return pump();
    }
    active = p;
    let wk: Worker;
    try {
      wk = worker ??= start();
    } catch (e) {
      return failActive(e);
    }
    killTimer = setTimeout(() => {
      if (active !== p) return;
      // Stuck (a pathological input): kill the worker; the next request gets a fresh one.
      void wk.terminate();
      if (worker === wk) worker = undefined;
      finish();
      try {
        p.resolve(p.opts.onTimeout());
      } catch (e) {
        p.reject(e);
      }
      pump();
    }, p.opts.timeoutMs);
    wk.postMessage({ ...p.body, id: p.id });
  }

  return {
    request(body, opts) {
      if (disposed) return Promise.reject(new CancellationError(`${name} disposed`));
      if (opts.signal?.aborted) return Promise.reject(new CancellationError());
      return new Promise<F>((resolve, reject) => {
        const p: Pending<B, F> = { id: nextId++, body, opts, resolve, reject };
        if (opts.signal) {
          p.onAbort = () => {
            if (active === p) {
              Atomics.store(cancelSlot, 0, p.id);
              finish();
              reject(new CancellationError());
              pump();
            } else {
              const i = queue.indexOf(p);
              if (i >= 0) queue.splice(i, 1);
              reject(new CancellationError());
            }
          };
          opts.signal.addEventListener('abort', p.onAbort, { once: true });
        }
        queue.push(p);
        pump();
      });
    },
    async dispose() {
      disposed = true;
      for (const p of queue.splice(0)) p.reject(new CancellationError(`${name} disposed`));
      failActive(new CancellationError(`${name} disposed`));
      const wk = worker;
      worker = undefined;
      if (wk) await wk.terminate();
    },
  };
}
