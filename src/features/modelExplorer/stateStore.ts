import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelState } from './modelState';
import type { Snapshot } from './snapshot';
import type { FileStamp } from './snapshot';

/** Everything known about one discovered model folder. */
export interface ModelEntry {
  folder: vscode.Uri;
  state: ModelState;
  /** Stat snapshot of the files when the model was last verified (for the watcher and restore). */
  snapshot?: Snapshot;
  /** Stat of the signature file when the model was last verified. */
  signatureStamp?: FileStamp;
}

interface PersistedEntry {
  state: ModelState;
  snapshot?: Snapshot;
  signatureStamp?: FileStamp;
}

const STATE_FILE = 'model-states-v1.json';

/**
 * The model states of the workspace: one map, one change event (with the folders that changed)
 * that the tree, the decorations and the status bar all listen to. Verified/modified states are
 * persisted in the workspace storage so that reopening the workspace restores them without re-hashing.
 */
export class ModelStateStore implements vscode.Disposable {
  private readonly entries = new Map<string, ModelEntry>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChange = this.emitter.event;

  private saved: Record<string, PersistedEntry>;
  private saveTimer?: NodeJS.Timeout;
  private readonly file?: string;

  /**
   * @param storageDir the workspace's private storage (context.storageUri); states are kept in a
   *   JSON file there, written atomically and promptly (a Memento flushes lazily and can lose the
   *   last writes when the host is killed). Undefined = no persistence (no folder open).
   */
  constructor(storageDir: string | undefined) {
    this.file = storageDir ? path.join(storageDir, STATE_FILE) : undefined;
    this.saved = {};
    try {
      if (this.file) {
        const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) this.saved = parsed as Record<string, PersistedEntry>;
      }
    } catch {
      // missing or corrupt: start empty (states are then re-verified)
    }
  }

  all(): ModelEntry[] {
    return [...this.entries.values()].sort((a, b) => a.folder.fsPath.localeCompare(b.folder.fsPath));
  }

  get(folder: vscode.Uri): ModelEntry | undefined {
    return this.entries.get(folder.toString());
  }

  /** The model folder that contains `uri` (the folder itself or any file below it). */
  findContaining(uri: vscode.Uri): ModelEntry | undefined {
    const p = uri.fsPath;
    let best: ModelEntry | undefined;
    for (const e of this.entries.values()) {
      const f = e.folder.fsPath;
      if ((p === f || p.startsWith(f.endsWith('/') ? f : f + '/')) && (!best || f.length > best.folder.fsPath.length)) best = e;
    }
    return best;
  }

  /** Replaces the set of known folders (after discovery), keeping existing entries. */
  replaceAll(next: ModelEntry[]): void {
    const changed: vscode.Uri[] = [];
    const keep = new Set(next.map((e) => e.folder.toString()));
    for (const [k, e] of this.entries) if (!keep.has(k)) { this.entries.delete(k); changed.push(e.folder); }
    for (const e of next) {
      const k = e.folder.toString();
      if (!this.entries.has(k)) { this.entries.set(k, e); changed.push(e.folder); }
    }
    this.emitter.fire(changed);
  }

  update(folder: vscode.Uri, patch: Partial<Omit<ModelEntry, 'folder'>>): void {
    const k = folder.toString();
    const cur = this.entries.get(k) ?? { folder, state: { kind: 'pending' } as ModelState };
    const next = { ...cur, ...patch };
    this.entries.set(k, next);
    this.persist();
    this.emitter.fire([folder]);
  }

  /** The persisted entry of a folder from a previous session, if any. */
  restored(folder: vscode.Uri): PersistedEntry | undefined {
    const e = this.saved[folder.toString()];
    return e && typeof e === 'object' && e.state && typeof e.state.kind === 'string' ? e : undefined;
  }

  /**
   * Saves verified/modified states with their snapshots. Folders not currently known (excluded,
   * or in a closed workspace folder) keep their stored entry.
   */
  private persist(): void {
    const out = this.saved;
    for (const [k, e] of this.entries) {
      if ((e.state.kind === 'verified' || e.state.kind === 'modified') && e.snapshot) {
        out[k] = { state: e.state, snapshot: e.snapshot, signatureStamp: e.signatureStamp };
      } else if (e.state.kind !== 'verifying' && e.state.kind !== 'pending') {
        delete out[k];
      }
    }
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flush(), 100);
  }

  /** Writes the state file now (temp file + rename, so a crash never leaves half a file). */
  flush(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(this.saved));
      fs.renameSync(tmp, this.file);
    } catch {
      // best effort: losing the cache only costs a re-verification
    }
  }

  dispose(): void {
    if (this.saveTimer) this.flush();
    this.emitter.dispose();
  }
}
