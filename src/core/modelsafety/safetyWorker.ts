/**
 * worker_threads entry (bundled to dist/safetyWorker.js): runs model-file safety checks off the
 * caller's thread, so a large or hostile pickle never stalls the VS Code extension host.
 * Cancellation arrives through a shared Int32Array the client writes while a scan runs (the
 * worker cannot read messages while the pickle scanner is busy); the scanners poll it like an
 * AbortSignal.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorReply, sharedCancelSignal } from '../workers/workerSide';
import { listModelFolder, scanModelFile } from './scanFile';
import type { SafetyReply, SafetyRequest, SafetyWorkerInit } from './workerProtocol';

const init = workerData as SafetyWorkerInit;
const cancelSlot = new Int32Array(init.cancel);
/** Progress messages are throttled to this interval: enough for a progress bar, no flood. */
const PROGRESS_INTERVAL_MS = 100;

function progressSender(id: number): (done: number, total: number, detail?: string) => void {
  let last = 0;
  return (done, total, detail) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS && done < total) return;
    last = now;
    parentPort?.postMessage({ type: 'progress', id, done, total, detail } satisfies SafetyReply);
  };
}

async function handle(req: SafetyRequest): Promise<SafetyReply> {
  const signal = sharedCancelSignal(cancelSlot, req.id);
  if (req.type === 'list') return { type: 'list', id: req.id, listing: await listModelFolder(req.dir, signal) };
  return { type: 'file', id: req.id, report: await scanModelFile(req.path, { signal, onProgress: progressSender(req.id), limits: req.limits }) };
}

parentPort?.on('message', (req: SafetyRequest) => {
  if (req.type !== 'file' && req.type !== 'list') return;
  handle(req)
    .catch((e: unknown): SafetyReply => errorReply(req.id, e))
    .then((reply) => parentPort?.postMessage(reply));
});
