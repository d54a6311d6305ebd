/**
 * worker_threads entry (bundled to dist/scanWorker.js): runs scans off the caller's thread.
 * Cancellation arrives through a shared Int32Array the client writes while a scan runs (the
 * worker cannot read messages mid-scan); the scanner polls it like an AbortSignal.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCancellation, TrustLensError } from '../errors';
import { createScanner } from './index';
import type { ScanReply, ScanRequest, WorkerInit } from './workerProtocol';

const init = workerData as WorkerInit;
const cancelSlot = new Int32Array(init.cancel);
const scanner = createScanner({ wasmDir: init.wasmDir });

/** An AbortSignal-shaped view of "the client cancelled request `id`". */
function sharedSignal(id: number): AbortSignal {
  return {
    get aborted() {
      return Atomics.load(cancelSlot, 0) === id;
    },
  } as AbortSignal;
}

parentPort?.on('message', (req: ScanRequest) => {
  if (req.type !== 'scan') return;
  scanner
    .scan(req.text, req.languageId, { signal: sharedSignal(req.id), timeBudgetMs: req.timeBudgetMs, minSeverity: req.minSeverity })
    .then(
      (result): ScanReply => ({ type: 'result', id: req.id, result }),
      (e: unknown): ScanReply => ({
        type: 'error',
        id: req.id,
        code: TrustLensError.is(e) ? e.code : 'INTERNAL',
        message: e instanceof Error ? e.message : String(e),
        cancelled: isCancellation(e),
      }),
    )
    .then((reply) => parentPort?.postMessage(reply));
});
