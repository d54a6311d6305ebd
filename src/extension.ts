import * as vscode from 'vscode';
import { FEATURES } from './features';
import type { Services } from './features/feature';

/**
 * Builds the shared services and activates every feature. A feature that throws is logged and
 * skipped so that one broken feature never takes the others (or the extension host) down.
 */
export function activate(context: vscode.ExtensionContext): Record<string, unknown> {
  const log = vscode.window.createOutputChannel('TrustLens', { log: true });
  context.subscriptions.push(log);
  const api: Record<string, unknown> = {};
  const services: Services = { log, api };
  for (const feature of FEATURES) {
    try {
      context.subscriptions.push(feature.activate(context, services));
    } catch (e) {
      log.error(`feature ${feature.id} failed to activate: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  return api;
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
