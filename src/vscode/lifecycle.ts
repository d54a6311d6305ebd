import * as vscode from 'vscode';

/** Base class for controllers: everything passed to `register` is disposed with it, last first. */
export abstract class DisposableBase implements vscode.Disposable {
  #items: vscode.Disposable[] = [];
  #disposed = false;

  protected register<T extends vscode.Disposable>(item: T): T {
    if (this.#disposed) item.dispose();
    else this.#items.push(item);
    return item;
  }

  protected get isDisposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const d of this.#items.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // one failing disposer must not keep the others alive
      }
    }
  }
}

/** Wraps a function as a Disposable. */
export function toDisposable(fn: () => void): vscode.Disposable {
  return { dispose: fn };
}
