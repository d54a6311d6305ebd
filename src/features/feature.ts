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
}
