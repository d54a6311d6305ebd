/**
 * Client for the scan worker: same `scan()` shape as the in-thread scanner, but the work runs in
 * a worker_threads worker. Requests are queued one at a time; an AbortSignal cancels (the promise
 * rejects at once and the worker stops at its next check); a worker that overruns its budget by
 * `hardTimeoutMs` is terminated and replaced, so a pathological document can never wedge scans.
 * The queue/cancel/kill machinery is the shared serial worker client.
 */
import { createSerialWorkerClient } from '../workers/serialWorkerClient';
import { requireWorkerSource, startWorker } from '../workers/workerLocation';
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

/** Starts a scan worker client. The worker starts lazily on the first scan. */
export function createScanWorkerClient(options: ScanWorkerClientOptions = {}): ScanWorkerClient {
  const hardTimeoutMs = options.hardTimeoutMs ?? 2000;
  const client = createSerialWorkerClient<Omit<ScanRequest, 'id'>, ScanReply>({
    name: 'scan worker',
    spawn: (cancel) => startWorker(requireWorkerSource('scanWorker', __dirname, options.workerPath), { workerData: { wasmDir: options.wasmDir, cancel } satisfies WorkerInit }),
  });
  return {
    async scan(text, languageId, opts = {}) {
      const budget = opts.timeBudgetMs ?? 2000;
      const reply = await client.request(
        { type: 'scan', text, languageId, timeBudgetMs: opts.timeBudgetMs, minSeverity: opts.minSeverity },
        {
          signal: opts.signal,
          timeoutMs: budget + hardTimeoutMs,
          // The worker did not answer within budget + grace: it was killed; report a truncated scan.
          onTimeout: () => ({ type: 'result', id: 0, result: { findings: [], truncated: true, elapsedMs: budget + hardTimeoutMs, parseMs: 0, hasSyntaxErrors: false } }),
        },
      );
      return reply.result;
    },
    dispose: () => client.dispose(),
  };
}
