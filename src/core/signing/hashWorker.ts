/**
 * Worker-thread entry of the hash pool (bundled by esbuild to dist/hashWorker.js). It receives
 * batches of HashJobs, hashes them one after another with two reused read buffers, and posts
 * progress (bytes) and results back. Cancellation is done by the pool terminating the thread.
 *
 When the pool asks for it, big ranges overlap reading and hashing (double buffering): page-cache
 * reads run at ~14 GB/s against ~2 GB/s for SHA-256 here, so reads are ~13% of a sequential
 * read+hash loop, which a free core can take over. Measured on this 2-core machine (loaded by
 * other jobs, 6 alternating runs of the 2 GB bench model): files mode was faster with overlap in
 * 6 of 6 runs (best 0.86 s vs 1.04 s), shards mode - where every core already hashes - slower in
 * 4 of 6 (best 1.06 s vs 0.71 s). So the pool enables it only when jobs leave cores idle.
 */
import { parentPort } from 'node:worker_threads';
import { hashRangeOverlapped, hashRangeSync, HashJobFailure } from './hashing/hashRange';
import { OVERLAP_MIN_BYTES, type HashBatchRequest, type HashJobResult, type HashWorkerMessage } from './hashing/job';

/** Post progress at most every this many bytes to keep message traffic low. */
const PROGRESS_STEP = 8 * 1024 * 1024;

let buffers: [Buffer, Buffer] | undefined;

async function runBatch(req: HashBatchRequest): Promise<HashJobResult[]> {
  if (!buffers || buffers[0].length !== req.chunkSize) buffers = [Buffer.allocUnsafe(req.chunkSize), Buffer.allocUnsafe(req.chunkSize)];
  const results: HashJobResult[] = [];
  let pending = 0;
  const flush = () => {
    if (pending > 0) parentPort!.postMessage({ type: 'progress', id: req.id, bytes: pending } satisfies HashWorkerMessage);
    pending = 0;
  };
  for (const job of req.jobs) {
    try {
      const onBytes = (n: number) => {
        pending += n;
        if (pending >= PROGRESS_STEP) flush();
      };
      const digest =
        req.overlap && job.end - job.start >= OVERLAP_MIN_BYTES
          ? await hashRangeOverlapped(job, buffers, onBytes)
          : await hashRangeSync(job, buffers[0], onBytes);
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
