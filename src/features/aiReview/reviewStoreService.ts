import * as vscode from 'vscode';
import {
  emptyReviewFile,
  parseReviewFile,
  recordDecision,
  removeDecision,
  serializeReviewFile,
  type DecisionInput,
  type ReviewFile,
  type SnippetKey,
} from '../../core/review';
import { describeError } from '../../vscode/log';
import { DisposableBase } from '../../vscode/lifecycle';
import type { AiCodeSettingsService } from '../codeFindings/settings';

interface FolderState {
  file: ReviewFile;
  /** Set when the file on disk does not validate: decisions are then read-only, the file is never overwritten. */
  error?: string;
}

/**
 * The review decisions of each workspace folder, read from and written to the JSON file named by
 * `trustlens.findings.reviewFile` (default `.trustlens/reviews.json`). External edits (a pull,
 * a teammate's commit) are picked up by a file watcher. An invalid file is reported and left
 * untouched: TrustLens never overwrites a file it could not read.
 */
export class ReviewStoreService extends DisposableBase {
  private readonly folders = new Map<string, FolderState>();
  private readonly loading = new Map<string, Promise<FolderState>>();
  private readonly emitter = this.register(new vscode.EventEmitter<void>());
  private watcher: vscode.FileSystemWatcher | undefined;
  /** Fires after decisions changed (recorded here or edited on disk). */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly settings: AiCodeSettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.watch();
    this.register(
      settings.onDidChange(() => {
        this.watch();
        this.reloadAll();
      }),
    );
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.reloadAll()));
    this.register({ dispose: () => this.watcher?.dispose() });
  }

  private watch(): void {
    this.watcher?.dispose();
    this.watcher = vscode.workspace.createFileSystemWatcher(`**/${this.settings.settings.findings.reviewFile}`);
    const onDisk = () => this.reloadAll();
    this.watcher.onDidChange(onDisk);
    this.watcher.onDidCreate(onDisk);
    this.watcher.onDidDelete(onDisk);
  }

  private reloadAll(): void {
    this.folders.clear();
    this.loading.clear();
    this.emitter.fire();
  }

  /** The review file URI of the folder that holds `uri` (or of the first folder). */
  fileFor(uri: vscode.Uri | undefined): vscode.Uri | undefined {
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, ...this.settings.settings.findings.reviewFile.split(/[\\/]/)) : undefined;
  }

  /** Decisions that apply to `uri` (synchronous: the cached copy; call `load` first). */
  decisionsFor(uri: vscode.Uri): ReviewFile {
    const file = this.fileFor(uri);
    return (file && this.folders.get(file.toString())?.file) ?? emptyReviewFile();
  }

  /** Loads (once) the decisions file that applies to `uri`. */
  async load(uri: vscode.Uri): Promise<ReviewFile> {
    const file = this.fileFor(uri);
    if (!file) return emptyReviewFile();
    return (await this.stateOf(file)).file;
  }

  private stateOf(file: vscode.Uri): Promise<FolderState> {
    const key = file.toString();
    const cached = this.folders.get(key);
    if (cached) return Promise.resolve(cached);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.read(file).then((state) => {
        if (this.loading.get(key) === pending) {
          this.folders.set(key, state);
          this.loading.delete(key);
        }
        return state;
      });
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async read(file: vscode.Uri): Promise<FolderState> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(file);
    } catch {
      return { file: emptyReviewFile() }; // no file yet
    }
    try {
      return { file: parseReviewFile(new TextDecoder().decode(bytes)) };
    } catch (e) {
      const error = `${vscode.workspace.asRelativePath(file)}: ${(e as Error).message}`;
      this.log.error(`review file unreadable: ${describeError(e)}`);
      void vscode.window.showErrorMessage(`TrustLens: the review decisions file is invalid and will not be changed until it is fixed. ${error}`, 'Open File').then((c) => {
        if (c) void vscode.window.showTextDocument(file);
      });
      return { file: emptyReviewFile(), error };
    }
  }

  /** Records (or, with `undefined`, clears) the decision for a snippet of `uri` and writes the file. */
  async decide(uri: vscode.Uri, key: SnippetKey, input: DecisionInput | undefined): Promise<void> {
    const file = this.fileFor(uri);
    if (!file) throw new Error('open a folder to record review decisions');
    // Re-read from disk right before writing, so a teammate's decisions pulled meanwhile are kept.
    this.folders.delete(file.toString());
    this.loading.delete(file.toString());
    const state = await this.stateOf(file);
    if (state.error) throw new Error(`the review decisions file is invalid; fix it first (${state.error})`);
    const next = input ? recordDecision(state.file, key, input) : removeDecision(state.file, key);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(serializeReviewFile(next)));
    this.folders.set(file.toString(), { file: next });
    this.emitter.fire();
  }
}
