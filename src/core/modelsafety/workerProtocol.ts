/** Messages between the model-safety worker client and `safetyWorker.ts` (all structured-clone safe). */
import type { WorkerErrorReply, WorkerProgressReply } from '../workers/serialWorkerClient';
import type { ModelFolderListing } from './scanFile';
import type { FileSafetyReport, SafetyLimits } from './types';

export type SafetyRequest = { type: 'file'; id: number; path: string; limits?: Partial<SafetyLimits> } | { type: 'list'; id: number; dir: string };

export interface SafetyWorkerInit {
  /** Int32Array over a SharedArrayBuffer: slot 0 holds the id of the request to cancel. */
  cancel: SharedArrayBuffer;
}

export type SafetyReply =
  | WorkerProgressReply
  | { type: 'file'; id: number; report: FileSafetyReport }
  | { type: 'list'; id: number; listing: ModelFolderListing }
  | WorkerErrorReply;
