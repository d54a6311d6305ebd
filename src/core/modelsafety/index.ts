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
export { scanModelFile, scanModelFolder, isModelFileCandidate, MODEL_FILE_EXTENSIONS, type ModelSafetyErrorCode } from './scanFile';
export { scanModelBytes } from './scanBytes';
export { ModelSafetyCache } from './safetyCache';
export { classifyGlobal, type GlobalVerdict } from './policy';
export { filesAtLeast, verdictRank, worstVerdict } from './verdict';
