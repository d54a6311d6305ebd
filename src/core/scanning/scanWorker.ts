/**
 * worker_threads entry (bundled to dist/scanWorker.js): runs scans off the caller's thread.
 * Cancellation arrives through a shared Int32Array the client writes while a scan runs (the
 * worker cannot read messages mid-scan); the scanner polls it like an AbortSignal.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorReply, sharedCancelSignal } from '../workers/workerSide';
import { createScanner } from './index';
import type { ScanReply, ScanRequest, WorkerInit } from './workerProtocol';

const init = workerData as WorkerInit;
const cancelSlot = new Int32Array(init.cancel);
const scanner = createScanner({ wasmDir: init.wasmDir });

parentPort?.on('message', (req: ScanRequest) => {
  if (req.type !== 'scan') return;
  scanner
    .scan(req.text, req.languageId, { signal: sharedCancelSignal(cancelSlot, req.id), timeBudgetMs: req.timeBudgetMs, minSeverity: req.minSeverity })
    .then(
      (result): ScanReply => ({ type: 'result', id: req.id, result }),
      (e: unknown): ScanReply => errorReply(req.id, e),
    )
    .then((reply) => parentPort?.postMessage(reply));
});
