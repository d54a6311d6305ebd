import { MODEL_FILE_EXTENSIONS as CORE_MODEL_FILE, scanModelFile, scanModelFolder } from '../../core/modelsafety';
import type { SafetyEngine } from './safetyEngine';

/** The model-safety core as the editor's engine. */
export function createCoreSafetyEngine(): SafetyEngine {
  return {
    isModelFile: (name) => CORE_MODEL_FILE.test(name),
    scanFile: (fsPath, options) => scanModelFile(fsPath, { signal: options.signal }),
    scanFolder: async (fsPath, options) => (await scanModelFolder(fsPath, { signal: options.signal })).files,
  };
}
