import type { Feature } from './feature';
import { modelExplorerFeature } from './modelExplorer';
import { codeFindingsFeature } from './codeFindings/feature';
import { modelSafetyFeature } from './modelSafety/feature';

/** Every feature the extension activates, in order. Add a line to register a new one. */
export const FEATURES: Feature[] = [
  modelExplorerFeature,
  codeFindingsFeature,
  modelSafetyFeature,
];
