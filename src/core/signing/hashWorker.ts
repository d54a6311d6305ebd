/**
 * Worker-thread entry of the hash pool (bundled by esbuild to dist/hashWorker.js). It receives
 * batches of HashJobs, hashes them one after another with one reused read buffer, and posts
 * progress (bytes) and results back. Cancellation is done by the pool terminating the thread.
 */
import { parentPort } from 'node:worker_threads';
import { hashRangeSync, HashJobFailure } from './hashing/hashRange';
import type { HashBatchRequest, HashJobResult, HashWorkerMessage } from './hashing/job';

/** Post progress at most every this many bytes to keep message traffic low. */
const PROGRESS_STEP = 8 * 1024 * 1024;

let buffer: Buffer | undefined;

async function runBatch(req: HashBatchRequest): Promise<HashJobResult[]> {
  if (!buffer || buffer.length !== req.chunkSize) buffer = Buffer.allocUnsafe(req.chunkSize);
  const results: HashJobResult[] = [];
  let pending = 0;
  const flush = () => {
    if (pending > 0) parentPort!.postMessage({ type: 'progress', id: req.id, bytes: pending } satisfies HashWorkerMessage);
    pending = 0;
  };
  for (const job of req.jobs) {
    try {
      const digest = await hashRangeSync(job, buffer, (n) => {
        pending += n;
        if (pending >= PROGRESS_STEP) flush();
      });
      results.push({ digest });
    } catch (e) {
      const detail = e instanceof HashJobFailure ? e.detail : { code: 'IO_ERROR' as const, message: String(e), path: job.path };
      results.push({ error: detail });
    }
  }
  flush();
  return results;
}

if (parentPort) {
  // Batches arrive one at a time (the pool waits for 'done'), so they never interleave.
  parentPort.on('message', (req: HashBatchRequest) => {
    void runBatch(req).then((results) => parentPort!.postMessage({ type: 'done', id: req.id, results } satisfies HashWorkerMessage));
  });
}
