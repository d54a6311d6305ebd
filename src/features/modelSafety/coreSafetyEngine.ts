import { createSafetyWorkerClient, MODEL_FILE_EXTENSIONS as CORE_MODEL_FILE, ModelSafetyCache } from '../../core/modelsafety';
import type { SafetyEngine } from './safetyEngine';

/**
 * The model-safety core as the editor's engine. Checks run in a worker thread (dist/safetyWorker.js)
 * so a large or hostile pickle never stalls the extension host; verdicts are cached here, on the
 * host, by file identity (size, mtime, ctime, inode), and only misses go to the worker.
 */
export function createCoreSafetyEngine(): SafetyEngine {
  const client = createSafetyWorkerClient();
  const cache = new ModelSafetyCache(10_000, (p, o) => client.scanFile(p, o));
  return {
    isModelFile: (name) => CORE_MODEL_FILE.test(name),
    scanFile: (fsPath, options) => cache.get(fsPath, { signal: options.signal }),
    // Before signing: always a fresh check of every file, never a cached verdict.
    scanFolder: async (fsPath, options) => (await client.scanFolder(fsPath, { signal: options.signal })).files,
    dispose: () => void client.dispose(),
  };
}
