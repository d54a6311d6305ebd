/**
 * Finds the hash worker script: dist/hashWorker.js next to the bundle (the pool code lives in
 * dist/extension.js or dist/cli.js), or src/core/signing/hashWorker.ts under tsx from sources.
 */
import * as path from 'node:path';
import { locateWorker, type WorkerSource } from '../../workers/workerLocation';

export type { WorkerSource } from '../../workers/workerLocation';

/** File name of the bundled worker (esbuild entry `hashWorker`). */
export const BUNDLED_WORKER_NAME = 'hashWorker.js';

/**
 * Locates the worker relative to `moduleDir` (default: this module's directory at run time).
 * Returns undefined when neither a bundled worker nor runnable sources are found.
 */
export function resolveWorkerSource(moduleDir: string = __dirname): WorkerSource | undefined {
  return locateWorker(path.basename(BUNDLED_WORKER_NAME, '.js'), moduleDir, path.join(moduleDir, '..'));
}
