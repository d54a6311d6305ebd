/**
 * Client for the model-safety worker: the same checks as `scanModelFile`/`scanModelFolder`, but
 * run in a worker_threads worker so a large or hostile pickle cannot stall the calling thread
 * (the VS Code extension host). Requests run one at a time in order. An AbortSignal rejects the
 * promise at once with CancellationError (the worker stops at its next check); a request that
 * overruns `timeoutMs` has its worker terminated and replaced, and the file gets an `unknown`
 * verdict (finding SCAN_TIMEOUT) rather than blocking every later check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProgressCallback } from '../abort';
import { CancellationError, TrustLensError } from '../errors';
import { ReportBuilder } from './report';
import type { ModelFolderListing } from './scanFile';
import type { FileSafetyReport, FolderSafetyReport, SafetyLimits } from './types';
import { worstVerdict } from './verdict';
import type { SafetyReply, SafetyRequest, SafetyWorkerInit } from './workerProtocol';

/** Options of createSafetyWorkerClient. */
export interface SafetyWorkerClientOptions {
  /** Worker script; default `safetyWorker.js` next to this bundle, else the .ts source (tests under tsx). */
  workerPath?: string;
  /** A request still running after this many milliseconds is killed with its worker. Default 120 s. */
  timeoutMs?: number;
}

/** Per-call options of the client's scans. */
export interface SafetyWorkerScanOptions {
  signal?: AbortSignal;
  /** Bytes processed out of the total (throttled to a few calls per second). */
  onProgress?: ProgressCallback;
  limits?: Partial<SafetyLimits>;
}

/** Model-file safety checks in a worker thread; results are the in-process scan's plain data. */
export interface SafetyWorkerClient {
  /** Like scanModelFile: a verdict, or TrustLensError (MODELSAFETY_*) for a missing/unreadable path. */
  scanFile(filePath: string, options?: SafetyWorkerScanOptions): Promise<FileSafetyReport>;
  /** Like scanModelFolder: every model file below `dir`, one request per file. */
  scanFolder(dir: string, options?: SafetyWorkerScanOptions): Promise<FolderSafetyReport>;
  /** Terminates the worker; pending and later requests reject with CancellationError. */
  dispose(): Promise<void>;
}

/** Error code of a folder listing that overran the timeout. */
export const SAFETY_WORKER_TIMEOUT = 'MODELSAFETY_TIMEOUT';

type WorkerSpec = { file: string; eval?: boolean };
type Body = { type: 'file'; path: string; limits?: Partial<SafetyLimits> } | { type: 'list'; dir: string };

interface Pending {
  body: Body;
  id: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  resolve(reply: SafetyReply): void;
  reject(e: unknown): void;
  onAbort?: () => void;
}

/** Starts a .ts worker under tsx (mocha runs from sources): register tsx's loader, then require the entry. */
function tsxSpec(source: string): WorkerSpec {
  let loader: string;
  try {
    // Only reached when running from sources, where tsx (a dev dependency) is installed.
    loader = require.resolve('tsx/cjs');
  } catch (e) {
    throw new TrustLensError('WORKER_NOT_FOUND', `cannot start ${source}: tsx is not installed`, { cause: e });
  }
  return { file: `require(${JSON.stringify(loader)});\nrequire(${JSON.stringify(source)});\n`, eval: true };
}

function workerSpec(workerPath?: string): WorkerSpec {
  if (workerPath) return workerPath.endsWith('.ts') ? tsxSpec(workerPath) : { file: workerPath };
  const bundled = path.join(__dirname, 'safetyWorker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  const source = path.join(__dirname, 'safetyWorker.ts');
  if (fs.existsSync(source)) return tsxSpec(source);
  throw new TrustLensError('WORKER_NOT_FOUND', `safetyWorker.js not found next to ${__dirname}`);
}

/** The report of a file whose check was killed on timeout: `unknown`, never `safe`. */
async function timeoutReport(filePath: string, timeoutMs: number): Promise<FileSafetyReport> {
  const size = await fs.promises.stat(filePath).then(
    (s) => s.size,
    () => 0,
  );
  const b = new ReportBuilder(filePath, size);
  b.addFinding('unknown', 'SCAN_TIMEOUT', `the check did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`);
  return b.build(timeoutMs);
}

/** Creates a client; the worker starts lazily on the first request. */
export function createSafetyWorkerClient(options: SafetyWorkerClientOptions = {}): SafetyWorkerClient {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const cancelBuf = new SharedArrayBuffer(4);
  const cancelSlot = new Int32Array(cancelBuf);
  let worker: Worker | undefined;
  let nextId = 1;
  const queue: Pending[] = [];
  let active: Pending | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let disposed = false;

  function start(): Worker {
    const spec = workerSpec(options.workerPath);
    const init: SafetyWorkerInit = { cancel: cancelBuf };
    const wk = new Worker(spec.file, { workerData: init, eval: spec.eval });
    wk.on('message', (reply: SafetyReply) => {
      const p = active;
      if (!p || reply.id !== p.id) return; // a late answer to a cancelled request
      if (reply.type === 'progress') return p.onProgress?.(reply.done, reply.total, reply.detail);
      finish();
      if (reply.type !== 'error') p.resolve(reply);
      else if (reply.cancelled) p.reject(new CancellationError());
      else p.reject(new TrustLensError(reply.code, reply.message));
      pump();
    });
    // Events from a worker already replaced (killed on timeout) must not touch the new request.
    wk.on('error', (e) => {
      if (worker === wk) failActive(new TrustLensError('WORKER_FAILED', `model-safety worker failed: ${e.message}`, { cause: e }));
    });
    wk.on('exit', () => {
      if (worker !== wk) return;
      worker = undefined;
      failActive(new TrustLensError('WORKER_FAILED', 'model-safety worker exited'));
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
      // Stuck (e.g. a pathological pickle): kill the worker; the next request gets a fresh one.
      void wk.terminate();
      if (worker === wk) worker = undefined;
      finish();
      if (p.body.type === 'file') void timeoutReport(p.body.path, timeoutMs).then((report) => p.resolve({ type: 'file', id: p.id, report }));
      else p.reject(new TrustLensError(SAFETY_WORKER_TIMEOUT, `listing ${p.body.dir} did not finish within ${timeoutMs} ms`));
      pump();
    }, timeoutMs);
    wk.postMessage({ ...p.body, id: p.id } as SafetyRequest);
  }

  function request(body: Body, opts: SafetyWorkerScanOptions): Promise<SafetyReply> {
    if (disposed) return Promise.reject(new CancellationError('model-safety worker disposed'));
    if (opts.signal?.aborted) return Promise.reject(new CancellationError());
    return new Promise<SafetyReply>((resolve, reject) => {
      const p: Pending = { body, id: nextId++, signal: opts.signal, onProgress: opts.onProgress, resolve, reject };
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
  }

  async function scanFile(filePath: string, opts: SafetyWorkerScanOptions = {}): Promise<FileSafetyReport> {
    const reply = await request({ type: 'file', path: filePath, limits: opts.limits }, opts);
    if (reply.type !== 'file') throw new TrustLensError('INTERNAL', `unexpected ${reply.type} reply from the model-safety worker`);
    return reply.report;
  }

  return {
    scanFile,
    async scanFolder(dir, opts = {}) {
      const reply = await request({ type: 'list', dir }, opts);
      if (reply.type !== 'list') throw new TrustLensError('INTERNAL', `unexpected ${reply.type} reply from the model-safety worker`);
      const { candidates, skipped }: ModelFolderListing = reply.listing;
      const total = candidates.reduce((a, c) => a + c.size, 0);
      const files: FileSafetyReport[] = [];
      let done = 0;
      for (const c of candidates) {
        const base = done;
        const onProgress: ProgressCallback | undefined = opts.onProgress && ((d, _t, detail) => opts.onProgress!(base + d, total, detail ?? c.path));
        files.push(await scanFile(c.path, { ...opts, onProgress }));
        done += c.size;
      }
      return { root: dir, worst: worstVerdict(...files.map((f) => f.verdict)), files, skipped };
    },
    async dispose() {
      disposed = true;
      for (const p of queue.splice(0)) p.reject(new CancellationError('model-safety worker disposed'));
      failActive(new CancellationError('model-safety worker disposed'));
      const wk = worker;
      worker = undefined;
      if (wk) await wk.terminate();
    },
  };
}
