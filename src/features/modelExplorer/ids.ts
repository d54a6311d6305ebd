/** Command, view and context-key ids of the model explorer: one source for code and tests. */
export const CommandId = {
  sign: 'trustlens.signModel',
  verify: 'trustlens.verifyModel',
  verifyAll: 'trustlens.verifyAllModels',
  details: 'trustlens.showSignatureDetails',
  refresh: 'trustlens.refreshModels',
  trustSigner: 'trustlens.trustSigner',
  forgetPassphrases: 'trustlens.forgetKeyPassphrase',
} as const;

export const ViewId = {
  models: 'trustlens.models',
  details: 'trustlens.signatureDetails',
} as const;

export const ContextKey = {
  /** Folder paths (fsPath) of discovered model folders that hold a signature: drives `when` clauses. */
  signedFolders: 'trustlens:signedModelFolders',
  /** Folder paths of every discovered model folder. */
  modelFolders: 'trustlens:modelFolders',
  discovered: 'trustlens:modelsDiscovered',
} as const;
