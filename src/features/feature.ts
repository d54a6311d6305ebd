import type * as vscode from 'vscode';

/**
 * One user-facing capability of the extension (model explorer, code findings, …).
 * `activate` registers everything it needs and returns a disposable that releases it all.
 * It must not await slow work: activation stays fast and lazy.
 */
export interface Feature {
  readonly id: string;
  activate(context: vscode.ExtensionContext, services: Services): vscode.Disposable;
}

/** Shared services handed to every feature by `extension.ts`. */
export interface Services {
  readonly log: vscode.LogOutputChannel;
  /**
   * What `activate()` returns as the extension's exports. Features may add members here for the
   * real-host e2e tests (test/e2e/integration), e.g. `services.api.models = {...}`. Not a public API.
   */
  readonly api: Record<string, unknown>;
}
