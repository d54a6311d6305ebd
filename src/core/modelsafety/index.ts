/**
 * Model-file safety: is a model file safe to load? Static checks of pickle-based formats
 * (PyTorch, joblib, dill, NumPy object arrays), Keras configs and safetensors/GGUF headers.
 * Nothing is ever unpickled or executed.
 */
export type {
  FileSafetyReport,
  FolderSafetyReport,
  ImportedGlobal,
  ModelFormat,
  SafetyFinding,
  SafetyLimits,
  SafetyLocation,
  SafetyVerdict,
  ScanOptions,
} from './types';
export { DEFAULT_LIMITS } from './types';
export { scanModelFile, scanModelFolder, listModelFolder, isModelFileCandidate, MODEL_FILE_EXTENSIONS, type ModelFolderListing, type ModelSafetyErrorCode } from './scanFile';
export {
  createSafetyWorkerClient,
  SAFETY_WORKER_TIMEOUT,
  type SafetyWorkerClient,
  type SafetyWorkerClientOptions,
  type SafetyWorkerScanOptions,
} from './workerClient';
export { scanModelBytes } from './scanBytes';
export { ModelSafetyCache, type SafetyScanFn } from './safetyCache';
export { classifyGlobal, type GlobalVerdict } from './policy';
export { filesAtLeast, verdictRank, worstVerdict } from './verdict';
