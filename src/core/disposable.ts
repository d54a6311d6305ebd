/** Anything that holds resources to release. Structurally compatible with vscode.Disposable. */
export interface Disposable {
  dispose(): void;
}

/** Collects disposables and disposes them all once, in reverse order of registration. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const item of this.items.reverse()) {
      try {
        item.dispose();
      } catch {
        // one failing disposer must not keep the others alive
      }
    }
    this.items.length = 0;
  }
}
