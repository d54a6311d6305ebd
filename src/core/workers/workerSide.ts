/**
 * Helpers for a worker entry served by a serial worker client (see serialWorkerClient.ts): the
 * worker cannot read messages while a task runs, so cancellation arrives through a shared
 * Int32Array slot, and every failure goes back as one coded error reply.
 */
import { isCancellation, TrustLensError } from '../errors';
import type { WorkerErrorReply } from './serialWorkerClient';

/** An AbortSignal-shaped view of "the client cancelled request `id`" (the tasks only read `aborted`). */
export function sharedCancelSignal(cancelSlot: Int32Array, id: number): AbortSignal {
  return {
    get aborted() {
      return Atomics.load(cancelSlot, 0) === id;
    },
  } as AbortSignal;
}

/** The reply for request `id` failing with `e`: its TrustLensError code (else INTERNAL), and whether it was a cancellation. */
export function errorReply(id: number, e: unknown): WorkerErrorReply {
  return {
    type: 'error',
    id,
    code: TrustLensError.is(e) ? e.code : 'INTERNAL',
    message: e instanceof Error ? e.message : String(e),
    cancelled: isCancellation(e),
  };
}
