/**
 * Client for the scan worker: same `scan()` shape as the in-thread scanner, but the work runs in
 * a worker_threads worker. Requests are queued one at a time; an AbortSignal cancels (the promise
 * rejects at once and the worker stops at its next check); a worker that overruns its budget by
 * `hardTimeoutMs` is terminated and replaced, so a pathological document can never wedge scans.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CancellationError, TrustLensError } from '../errors';
import type { ScanOptions, ScanResult } from './scanner';
import type { ScanReply, ScanRequest, WorkerInit } from './workerProtocol';

export interface ScanWorkerClientOptions {
  /** Passed to the worker's scanner (dir with the wasm files). */
  wasmDir?: string;
  /** Worker script; default: `scanWorker.js` next to this bundle, else the .ts source (tests under tsx). */
  workerPath?: string;
  /** Extra time beyond a request's budget before the worker is killed. Default 2000 ms. */
  hardTimeoutMs?: number;
}

export interface ScanWorkerClient {
  scan(text: string, languageId: string, options?: ScanOptions): Promise<ScanResult>;
  /** Terminates the worker; pending scans reject with CancellationError. */
  dispose(): Promise<void>;
}

interface Pending {
  req: ScanRequest;
  signal?: AbortSignal;
  resolve(r: ScanResult): void;
  reject(e: unknown): void;
  onAbort?: () => void;
}

function defaultWorkerPath(): { file: string; execArgv?: string[] } {
  const bundled = path.join(__dirname, 'scanWorker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  const source = path.join(__dirname, 'scanWorker.ts');
  if (fs.existsSync(source)) return { file: source, execArgv: ['--require', 'tsx/cjs'] };
  throw new TrustLensError('WORKER_NOT_FOUND', `scanWorker.js not found next to ${__dirname}`);
}

/** Starts a scan worker client. The worker starts lazily on the first scan. */
export function createScanWorkerClient(options: ScanWorkerClientOptions = {}): ScanWorkerClient {
  const hardTimeoutMs = options.hardTimeoutMs ?? 2000;
  const cancelBuf = new SharedArrayBuffer(4);
  const cancelSlot = new Int32Array(cancelBuf);
  let worker: Worker | undefined;
  let nextId = 1;
  const queue: Pending[] = [];
  let active: Pending | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let disposed = false;

  function start(): Worker {
    const w = options.workerPath ? { file: options.workerPath, execArgv: options.workerPath.endsWith('.ts') ? ['--require', 'tsx/cjs'] : undefined } : defaultWorkerPath();
    const init: WorkerInit = { wasmDir: options.wasmDir, cancel: cancelBuf };
    const wk = new Worker(w.file, { workerData: init, execArgv: w.execArgv });
    wk.on('message', (reply: ScanReply) => {
      const p = active;
      if (!p || reply.id !== p.req.id) return;
      finish();
      if (reply.type === 'result') p.resolve(reply.result);
      else if (reply.cancelled) p.reject(new CancellationError());
      else p.reject(new TrustLensError(reply.code, reply.message));
      pump();
    });
    // Events from a worker we already replaced (killed on overrun) must not touch the new request.
    wk.on('error', (e) => {
      if (worker === wk) failActive(new TrustLensError('WORKER_FAILED', `scan worker failed: ${e.message}`, { cause: e }));
    });
    wk.on('exit', () => {
      if (worker !== wk) return;
      worker = undefined;
      failActive(new TrustLensError('WORKER_FAILED', 'scan worker exited'));
    });
    wk.unref();
    return wk;
  }

  function finish(): void {
    if (killTimer) clearTimeout(killTimer);
    killTimer = undefined;
    if (active?.onAbort) active.signal?.removeEventListener('abort', active.onAbort);
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
    if (p.signal?.aborted) {
      p.reject(new CancellationError());
      pump();
      return;
    }
    active = p;
    worker ??= start();
    const wk = worker;
    const budget = p.req.timeBudgetMs ?? 2000;
    killTimer = setTimeout(() => {
      // The worker did not answer within budget + grace: kill it, report a truncated scan.
      if (active !== p) return;
      void wk.terminate();
      if (worker === wk) worker = undefined;
      finish();
      p.resolve({ findings: [], truncated: true, elapsedMs: budget + hardTimeoutMs, parseMs: 0, hasSyntaxErrors: false });
      pump();
    }, budget + hardTimeoutMs);
    wk.postMessage(p.req);
  }

  return {
    scan(text, languageId, opts = {}) {
      if (disposed) return Promise.reject(new CancellationError('scan worker disposed'));
      if (opts.signal?.aborted) return Promise.reject(new CancellationError());
      return new Promise<ScanResult>((resolve, reject) => {
        const req: ScanRequest = { type: 'scan', id: nextId++, text, languageId, timeBudgetMs: opts.timeBudgetMs, minSeverity: opts.minSeverity };
        const p: Pending = { req, signal: opts.signal, resolve, reject };
        if (opts.signal) {
          p.onAbort = () => {
            if (active === p) {
              Atomics.store(cancelSlot, 0, req.id);
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
      for (const p of queue.splice(0)) p.reject(new CancellationError('scan worker disposed'));
      failActive(new CancellationError('scan worker disposed'));
      const wk = worker;
      worker = undefined;
      if (wk) await wk.terminate();
    },
  };
}
