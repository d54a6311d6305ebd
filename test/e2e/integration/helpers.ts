/**
 * Helpers for integration tests that run inside the real extension host. Tests drive the
 * extension through its commands and its exports (never by importing src/: that would load a
 * second copy of the code).
 */
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelsTestApi } from '../../../src/features/modelExplorer';
import type { ModelState } from '../../../src/features/modelExplorer/modelState';

export const EXTENSION_ID = 'trustlens.trustlens';

/** Activates the extension (as opening its view would) and returns its exports. */
export async function activate(): Promise<Record<string, unknown>> {
  const ext = vscode.extensions.getExtension<Record<string, unknown>>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return ext.isActive ? ext.exports : await ext.activate();
}

export async function modelsApi(): Promise<ModelsTestApi> {
  const api = (await activate()).models as ModelsTestApi | undefined;
  if (!api) throw new Error('the extension exports no models API');
  return api;
}

/** The first workspace folder (the generated sample workspace). */
export function workspaceRoot(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder open');
  return f.uri.fsPath;
}

export const ws = (...p: string[]) => path.join(workspaceRoot(), ...p);
export const model = (name: 'bert-signed' | 'resnet-tampered' | 'llama-unsigned' | 'whisper-untrusted' | 'huge-sparse') => ws('models', name);

/** The current state of a model folder, as the extension sees it. */
export async function stateOf(folder: string): Promise<ModelState | undefined> {
  return (await modelsApi()).list().find((m) => m.folder === folder)?.state;
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes; returns the value and the time it took. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<{ value: NonNullable<T>; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return { value: v as NonNullable<T>, ms: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Sets a `trustlens.*` workspace setting and waits a little for the change event to be handled. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('trustlens').update(key, value, vscode.ConfigurationTarget.Workspace);
  await new Promise((r) => setTimeout(r, 150));
}

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}
