import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { isCancellation, TrustLensError } from '../core/errors';

/** A core Logger backed by the extension's LogOutputChannel. */
export function loggerFrom(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m) => channel.trace(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
}

/** The full cause chain of an error, for the log (never shown in a toast). */
export function describeError(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur !== undefined && depth < 5; depth++) {
    if (cur instanceof Error) {
      const code = cur instanceof TrustLensError ? ` [${cur.code}]` : '';
      parts.push(`${cur.name}${code}: ${cur.message}`);
      cur = (cur as { cause?: unknown }).cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join('\n  caused by: ');
}

/** Short user-facing text for an error: its message, prefixed by its code when it has one. */
export function userMessageFor(e: unknown): string {
  if (e instanceof TrustLensError) return `${e.message} (${e.code})`;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Logs an error and shows it with a "Show Log" button. Cancellations are logged only.
 * Never awaits the user's click (a toast must not block the command).
 */
export function showErrorWithLog(channel: vscode.LogOutputChannel, prefix: string, e: unknown): void {
  if (isCancellation(e)) {
    channel.info(`${prefix}: cancelled`);
    return;
  }
  channel.error(`${prefix}: ${describeError(e)}`);
  void vscode.window.showErrorMessage(`${prefix}: ${userMessageFor(e)}`, 'Show Log').then((choice) => {
    if (choice) channel.show(true);
  });
}
