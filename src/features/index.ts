import type { Feature } from './feature';

/** Every feature the extension activates, in order. Add a line to register a new one. */
export const FEATURES: Feature[] = [];
