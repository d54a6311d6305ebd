/** Messages between the scan worker client and `scanWorker.ts`. */
import type { Severity } from './finding';
import type { ScanResult } from './scanner';
import type { WorkerErrorReply } from '../workers/serialWorkerClient';

export interface ScanRequest {
  type: 'scan';
  id: number;
  text: string;
  languageId: string;
  timeBudgetMs?: number;
  minSeverity?: Severity;
}

export interface WorkerInit {
  wasmDir?: string;
  /** Int32Array over a SharedArrayBuffer: slot 0 holds the id of the request to cancel. */
  cancel: SharedArrayBuffer;
}

export type ScanReply = { type: 'result'; id: number; result: ScanResult } | WorkerErrorReply;
