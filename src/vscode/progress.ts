import * as vscode from 'vscode';

/** Bridges a VS Code CancellationToken to the AbortSignal the core takes. */
export function toAbortSignal(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const ctrl = new AbortController();
  if (token.isCancellationRequested) ctrl.abort();
  const sub = token.onCancellationRequested(() => ctrl.abort());
  return { signal: ctrl.signal, dispose: () => sub.dispose() };
}

/** Reports core progress (done/total units) as percentage increments. */
export type Reporter = (done: number, total: number, detail?: string) => void;

/**
 * Runs `work` with a cancellable progress UI. `extraSignal` also cancels (used by tests and by
 * the controller when the same model is verified again). Progress is shown in the notification
 * area and, when `viewId` is given, as the view's progress bar too.
 */
export async function runWithProgress<T>(
  title: string,
  work: (signal: AbortSignal, report: Reporter) => Promise<T>,
  options: { viewId?: string; extraSignal?: AbortSignal } = {},
): Promise<T> {
  const inner = () =>
    vscode.window.withProgress({ title, location: vscode.ProgressLocation.Notification, cancellable: true }, async (progress, token) => {
      const bridge = toAbortSignal(token);
      const signal = options.extraSignal ? AbortSignal.any([bridge.signal, options.extraSignal]) : bridge.signal;
      let last = 0;
      const report: Reporter = (done, total, detail) => {
        const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
        const increment = pct - last;
        if (increment >= 1 || detail) {
          last = pct;
          progress.report({ increment: increment > 0 ? increment : undefined, message: detail });
        }
      };
      try {
        return await work(signal, report);
      } finally {
        bridge.dispose();
      }
    });
  if (!options.viewId) return inner();
  return vscode.window.withProgress({ location: { viewId: options.viewId } }, inner);
}
