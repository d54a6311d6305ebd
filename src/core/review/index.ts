/** Public surface of the review core: fingerprints, the decision store, severity policy, snippets, settings. */
export * from './fingerprint';
export * from './store';
export * from './severity';
export * from './snippets';
export * from './settings';
export * from './report';
export * from './assistants';
export * from './guidance';
export * from './safetyPresentation';
