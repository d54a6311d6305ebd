import type { FileSafetyReport } from '../../core/modelsafety';

/** What the editor needs from the model-safety core. */
export interface SafetyEngine {
  /** True for file names the checker handles (by extension). */
  isModelFile(fileName: string): boolean;
  /** Checks one file; never executes or unpickles anything. */
  scanFile(fsPath: string, options: { signal?: AbortSignal }): Promise<FileSafetyReport>;
  /** Checks every model file below a folder (by extension or content), one at a time. */
  scanFolder(fsPath: string, options: { signal?: AbortSignal }): Promise<FileSafetyReport[]>;
  /** Stops the engine's worker, if any. */
  dispose?(): void;
}

/**
 * Extensions the workspace discovery and the watcher look for. Narrower than the core's list
 * (which also takes .zip/.dat/.p…, fine for an explicit folder check before signing, too noisy
 * for a whole workspace).
 */
export const MODEL_FILE_EXTENSIONS = ['pkl', 'pickle', 'joblib', 'dill', 'pt', 'pth', 'ckpt', 'bin', 'npy', 'npz', 'keras', 'h5', 'hdf5', 'safetensors', 'gguf'] as const;
export const MODEL_FILE_GLOB = `**/*.{${MODEL_FILE_EXTENSIONS.join(',')}}`;
