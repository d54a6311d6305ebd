/**
 * Client for the model-safety worker: the same checks as `scanModelFile`/`scanModelFolder`, but
 * run in a worker_threads worker so a large or hostile pickle cannot stall the calling thread
 * (the VS Code extension host). Requests run one at a time in order. An AbortSignal rejects the
 * promise at once with CancellationError (the worker stops at its next check); a request that
 * overruns `timeoutMs` has its worker terminated and replaced, and the file gets an `unknown`
 * verdict (finding SCAN_TIMEOUT) rather than blocking every later check. The queue/cancel/kill
 * machinery is the shared serial worker client.
 */
import * as fs from 'node:fs';
import type { ProgressCallback } from '../abort';
import { TrustLensError } from '../errors';
import { createSerialWorkerClient } from '../workers/serialWorkerClient';
import { requireWorkerSource, startWorker } from '../workers/workerLocation';
import { ReportBuilder } from './report';
import type { ModelFolderListing } from './scanFile';
import type { FileSafetyReport, FolderSafetyReport, SafetyLimits } from './types';
import { worstVerdict } from './verdict';
import type { SafetyReply, SafetyWorkerInit } from './workerProtocol';

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

type Body = { type: 'file'; path: string; limits?: Partial<SafetyLimits> } | { type: 'list'; dir: string };

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
  const client = createSerialWorkerClient<Body, SafetyReply>({
    name: 'model-safety worker',
    spawn: (cancel) => startWorker(requireWorkerSource('safetyWorker', __dirname, options.workerPath), { workerData: { cancel } satisfies SafetyWorkerInit }),
  });

  function request(body: Body, opts: SafetyWorkerScanOptions) {
    return client.request(body, {
      signal: opts.signal,
      onProgress: opts.onProgress,
      timeoutMs,
      // Stuck (e.g. a pathological pickle): the worker was killed; a file is `unknown`, never `safe`.
      onTimeout: async () => {
        if (body.type === 'file') return { type: 'file', id: 0, report: await timeoutReport(body.path, timeoutMs) };
        throw new TrustLensError(SAFETY_WORKER_TIMEOUT, `listing ${body.dir} did not finish within ${timeoutMs} ms`);
      },
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
    dispose: () => client.dispose(),
  };
}
