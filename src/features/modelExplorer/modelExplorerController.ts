import * as vscode from 'vscode';
import * as path from 'node:path';
import { isCancellation } from '../../core/errors';
import type { Settings } from '../../core/settings';
import { DisposableBase } from '../../vscode/lifecycle';
import { describeError } from '../../vscode/log';
import { runWithProgress } from '../../vscode/progress';
import type { SettingsService } from '../../vscode/config';
import { discoverModels, isModelFileName } from './discovery';
import type { ModelEngine, SignatureDetails, TrustConfig } from './engine';
import { ContextKey, ViewId } from './ids';
import { describeState, statusText, summarize, type ModelState } from './modelState';
import { ModelTreeProvider, type ModelNode } from './modelTreeProvider';
import { SigningDecorations } from './signingDecorations';
import { compareSnapshot, stampOf, sameStamp, takeSnapshot } from './snapshot';
import { ModelStateStore, type ModelEntry } from './stateStore';
import { ModelStatusBar } from './statusBar';
import { SignatureDetailsProvider } from './detailsView';

export interface ControllerDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  settings: SettingsService;
  engine: ModelEngine;
}

/**
 * Owns the Models view, the Signature details view, the badges, the status bar item and the file
 * watcher, and runs discovery and verification. Commands (commands.ts) call into it.
 */
export class ModelExplorerController extends DisposableBase {
  readonly store: ModelStateStore;
  readonly tree: ModelTreeProvider;
  readonly treeView: vscode.TreeView<ModelNode>;
  readonly decorations: SigningDecorations;
  readonly details: SignatureDetailsProvider;
  private readonly statusBar: ModelStatusBar;
  private discovery?: AbortController;
  private discoveryRun: Promise<void> = Promise.resolve();
  private rediscoverTimer?: NodeJS.Timeout;
  private readonly inFlight = new Map<string, { ctrl: AbortController; done: Promise<ModelState> }>();
  private autoQueue: Promise<unknown> = Promise.resolve();
  /** Folders we are writing a signature into: the watcher must not react to our own write. */
  readonly signing = new Set<string>();

  constructor(private readonly deps: ControllerDeps) {
    super();
    this.store = this.register(new ModelStateStore(deps.context.storageUri?.fsPath));
    this.tree = this.register(new ModelTreeProvider(this.store, () => this.settings.signing_signatureFileName));
    this.treeView = this.register(vscode.window.createTreeView(ViewId.models, { treeDataProvider: this.tree, showCollapseAll: true, canSelectMany: false }));
    this.decorations = this.register(
      new SigningDecorations(this.store, () => ({ showUnsigned: this.cfg['badges.showUnsigned'], signatureFileName: this.cfg['signing.signatureFileName'] })),
    );
    this.register(vscode.window.registerFileDecorationProvider(this.decorations));
    this.details = this.register(new SignatureDetailsProvider());
    this.register(vscode.window.createTreeView(ViewId.details, { treeDataProvider: this.details }));
    this.statusBar = this.register(new ModelStatusBar(this.store));
    this.register(this.store.onDidChange(() => this.onStatesChanged()));
    this.register(deps.settings.onDidChange((s) => this.onSettingsChanged(s)));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleDiscovery(0)));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reverifyAll('workspace trust granted')));
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/*'));
    this.register(watcher.onDidChange((u) => void this.onFileEvent(u, 'change')));
    this.register(watcher.onDidCreate((u) => void this.onFileEvent(u, 'create')));
    this.register(watcher.onDidDelete((u) => void this.onFileEvent(u, 'delete')));
    this.register({ dispose: () => this.discovery?.abort() });
    this.register({ dispose: () => { for (const f of this.inFlight.values()) f.ctrl.abort(); } });
    this.register({ dispose: () => clearTimeout(this.rediscoverTimer) });
    this.lastTrust = JSON.stringify([this.cfg['trust.publicKeys'], this.cfg['trust.certificateRoots'], this.cfg['trust.sigstoreIdentities'], this.cfg['signing.sigstoreInstance']]);
    this.scheduleDiscovery(0);
  }

  private get cfg(): Settings {
    return this.deps.settings.settings;
  }

  private get settings() {
    return { signing_signatureFileName: this.cfg['signing.signatureFileName'] };
  }

  get log(): vscode.LogOutputChannel {
    return this.deps.log;
  }

  signatureUri(folder: vscode.Uri): vscode.Uri {
    return vscode.Uri.joinPath(folder, this.cfg['signing.signatureFileName']);
  }

  trustConfig(): TrustConfig {
    const c = this.cfg;
    return {
      publicKeys: c['trust.publicKeys'].map((p) => this.resolvePath(p)),
      certificateRoots: c['trust.certificateRoots'].map((p) => this.resolvePath(p)),
      sigstoreIdentities: c['trust.sigstoreIdentities'],
      sigstoreInstance: c['signing.sigstoreInstance'],
      tufCachePath: path.join(this.deps.context.globalStorageUri.fsPath, 'tuf'),
    };
  }

  /** Settings paths may be absolute, `~/…`, or relative to the first workspace folder. */
  resolvePath(p: string): string {
    if (p.startsWith('~/')) return path.join(process.env.HOME ?? '', p.slice(2));
    if (path.isAbsolute(p)) return p;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    return path.resolve(root, p);
  }

  /** Resolves after discovery and every queued automatic verification have finished. */
  async whenIdle(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await this.discoveryRun;
      await this.autoQueue;
      await Promise.allSettled([...this.inFlight.values()].map((f) => f.done));
      if (!this.rediscoverTimer && this.inFlight.size === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  // ---- discovery -------------------------------------------------------------------------

  scheduleDiscovery(delayMs = 500): void {
    clearTimeout(this.rediscoverTimer);
    this.rediscoverTimer = setTimeout(() => {
      this.rediscoverTimer = undefined;
      this.discoveryRun = this.discover();
    }, delayMs);
  }

  /** Finds model folders in every workspace folder (bounded, cancellable) and sets their states. */
  async discover(): Promise<void> {
    this.discovery?.abort();
    const ctrl = (this.discovery = new AbortController());
    const folders = vscode.workspace.workspaceFolders ?? [];
    const sigName = this.cfg['signing.signatureFileName'];
    try {
      const found = await vscode.window.withProgress({ location: { viewId: ViewId.models } }, async () => {
        const entries: ModelEntry[] = [];
        for (const wf of folders) {
          if (wf.uri.scheme !== 'file') continue;
          const t0 = Date.now();
          const r = await discoverModels(wf.uri.fsPath, {
            signatureFileName: sigName,
            include: this.cfg['models.include'],
            exclude: this.cfg['models.exclude'],
            maxEntries: this.cfg['models.maxEntries'],
            signal: ctrl.signal,
          });
          this.log.info(`discovery: ${r.models.length} model folder(s) in ${wf.name} (${r.entriesRead} entries, ${Date.now() - t0} ms)${r.truncated ? ', stopped at trustlens.models.maxEntries' : ''}`);
          if (r.truncated) void vscode.window.showWarningMessage(`TrustLens: model discovery in ${wf.name} stopped after ${r.entriesRead} entries (\`trustlens.models.maxEntries\`).`);
          for (const m of r.models) {
            const uri = vscode.Uri.file(m.folder);
            const known = this.store.get(uri);
            const state: ModelState = !m.signed ? { kind: 'unsigned' } : known && known.state.kind !== 'unsigned' ? known.state : { kind: 'pending' };
            entries.push({ ...known, folder: uri, state });
          }
        }
        return entries;
      });
      if (ctrl.signal.aborted) return;
      this.store.replaceAll(found);
      for (const e of found) {
        const cur = this.store.get(e.folder);
        if (cur && e.state.kind === 'unsigned' && cur.state.kind !== 'unsigned') this.store.update(e.folder, { state: { kind: 'unsigned' }, snapshot: undefined });
      }
      await vscode.commands.executeCommand('setContext', ContextKey.discovered, true);
      for (const e of this.store.all()) if (e.state.kind === 'pending') await this.restoreOrQueue(e);
    } catch (e) {
      if (!isCancellation(e)) this.log.error(`discovery failed: ${describeError(e)}`);
    }
  }

  /** Restores a state from the previous session when nothing changed on disk (stat only), else verifies. */
  private async restoreOrQueue(e: ModelEntry): Promise<void> {
    const saved = this.store.restored(e.folder);
    const sigName = this.cfg['signing.signatureFileName'];
    if (saved?.snapshot && saved.signatureStamp && saved.state.kind === 'verified') {
      const sigNow = await stampOf(this.signatureUri(e.folder).fsPath);
      if (sameStamp(sigNow, saved.signatureStamp)) {
        const diff = await compareSnapshot(e.folder.fsPath, saved.snapshot, sigName);
        const clean = !diff.changed.length && !diff.added.length && !diff.missing.length;
        const state: ModelState = clean ? { ...saved.state, restored: true } : { kind: 'modified', ...diff, source: 'watcher' };
        this.store.update(e.folder, { state, snapshot: saved.snapshot, signatureStamp: saved.signatureStamp });
        this.log.info(`restored ${e.folder.fsPath}: ${describeState(state)} (no re-hash)`);
        return;
      }
    }
    this.log.info(`no cached state to restore for ${e.folder.fsPath}${saved ? ` (stored ${saved.state.kind}; signature or files changed)` : ''}`);
    if (this.cfg['models.verifyOnOpen']) this.queueVerify(e.folder);
  }

  /** Queues an automatic verification (one at a time: the machine is shared with the user's work). */
  private queueVerify(folder: vscode.Uri): void {
    this.autoQueue = this.autoQueue.then(() => {
      // An explicit verification of the same folder is running: it wins, never cancel it.
      const running = this.inFlight.get(folder.toString());
      if (running) return running.done.catch(() => undefined);
      return this.verify(folder, { interactive: false }).catch(() => undefined);
    });
  }

  // ---- verification ----------------------------------------------------------------------

  /**
   * Verifies one model folder and records the result. A second call for the same folder cancels
   * the first. `interactive` shows a notification with Cancel; automatic runs show view progress only.
   */
  async verify(folder: vscode.Uri, opts: { interactive: boolean; signal?: AbortSignal }): Promise<ModelState> {
    const key = folder.toString();
    this.inFlight.get(key)?.ctrl.abort();
    const ctrl = new AbortController();
    const signal = opts.signal ? AbortSignal.any([ctrl.signal, opts.signal]) : ctrl.signal;
    const previous = this.store.get(folder);
    const sigPath = this.signatureUri(folder).fsPath;
    const run = async (sig: AbortSignal, report?: (d: number, t: number, detail?: string) => void): Promise<ModelState> => {
      this.store.update(folder, { state: { kind: 'verifying' } });
      const t0 = Date.now();
      const sigStamp = await stampOf(sigPath);
      if (!sigStamp) {
        const state: ModelState = { kind: 'unsigned' };
        this.store.update(folder, { state, snapshot: undefined, signatureStamp: undefined });
        return state;
      }
      const snapshotBefore = await takeSnapshot(folder.fsPath, this.cfg['signing.signatureFileName'], sig);
      const outcome = await this.deps.engine.verify(folder.fsPath, sigPath, this.trustConfig(), { signal: sig, onProgress: report, useCache: !opts.interactive });
      const state = outcome.state;
      this.store.update(folder, {
        state,
        snapshot: state.kind === 'verified' || state.kind === 'modified' ? snapshotBefore : undefined,
        signatureStamp: sigStamp,
      });
      const line = `verify ${folder.fsPath}: ${describeState(state)} (${Date.now() - t0} ms)`;
      if (state.kind === 'verified') this.log.info(line);
      else this.log.warn(`${line}${'message' in state ? ` - ${state.message}` : ''}`);
      return state;
    };
    const name = path.basename(folder.fsPath);
    const done = (async () => {
      try {
        return opts.interactive
          ? await runWithProgress(`Verifying model ${name}`, (s, report) => run(s, report), { viewId: ViewId.models, extraSignal: signal })
          : await vscode.window.withProgress({ location: { viewId: ViewId.models } }, () => run(signal));
      } catch (e) {
        if (isCancellation(e)) {
          this.log.info(`verify ${folder.fsPath}: cancelled`);
          const back: ModelState = previous && previous.state.kind !== 'verifying' ? previous.state : { kind: 'pending' };
          this.store.update(folder, { state: back });
          throw e;
        }
        const state: ModelState = { kind: 'error', code: (e as { code?: string }).code ?? 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
        this.log.error(`verify ${folder.fsPath}: ${describeError(e)}`);
        this.store.update(folder, { state, snapshot: undefined });
        return state;
      }
    })();
    this.inFlight.set(key, { ctrl, done });
    try {
      return await done;
    } finally {
      if (this.inFlight.get(key)?.done === done) this.inFlight.delete(key);
    }
  }

  reverifyAll(reason: string): void {
    this.log.info(`re-verifying all signed models: ${reason}`);
    for (const e of this.store.all()) if (e.state.kind !== 'unsigned') this.queueVerify(e.folder);
  }

  // ---- file watcher ----------------------------------------------------------------------

  /**
   * Reacts to a change on disk. For a verified model it compares the file's stat with the
   * snapshot taken at verification (no hashing): any difference turns the model "modified" at once.
   */
  async onFileEvent(uri: vscode.Uri, kind: 'change' | 'create' | 'delete'): Promise<void> {
    if (uri.scheme !== 'file') return;
    const sigName = this.cfg['signing.signatureFileName'];
    const base = path.basename(uri.fsPath);
    const entry = this.store.findContaining(uri);
    if (!entry) {
      if (base === sigName || isModelFileName(base)) this.scheduleDiscovery();
      return;
    }
    if (uri.fsPath === entry.folder.fsPath) {
      if (kind === 'delete') this.scheduleDiscovery();
      return;
    }
    if (this.signing.has(entry.folder.toString())) return;
    const rel = path.relative(entry.folder.fsPath, uri.fsPath).split(path.sep).join('/');
    if (rel.split('/').some((seg) => seg === '.git')) return;
    if (rel === sigName) {
      if (kind === 'delete') this.store.update(entry.folder, { state: { kind: 'unsigned' }, snapshot: undefined });
      else {
        this.store.update(entry.folder, { state: { kind: 'pending' } });
        if (this.cfg['models.verifyOnOpen']) this.queueVerify(entry.folder);
      }
      return;
    }
    const before = entry.state;
    if (!((before.kind === 'verified' || (before.kind === 'modified' && before.source === 'watcher')) && entry.snapshot)) {
      this.tree.refresh();
      return;
    }
    const now = kind === 'delete' ? undefined : await stampOf(uri.fsPath);
    if (now && (await isDirectory(uri))) return;
    // Re-read after the awaits: several events for one model are handled concurrently.
    const cur = this.store.get(entry.folder);
    if (!cur?.snapshot) return;
    const s = cur.state;
    if (!(s.kind === 'verified' || (s.kind === 'modified' && s.source === 'watcher'))) return;
    const recorded = cur.snapshot[rel];
    if (recorded && now && sameStamp(recorded, now)) return;
    const prev = s.kind === 'modified' ? s : { changed: [], added: [], missing: [] };
    const changed = new Set(prev.changed);
    const added = new Set(prev.added);
    const missing = new Set(prev.missing);
    if (!recorded && now) added.add(rel);
    else if (!recorded && !now) added.delete(rel);
    else if (recorded && !now) {
      missing.add(rel);
      changed.delete(rel);
    } else {
      changed.add(rel);
      missing.delete(rel);
    }
    const state: ModelState = { kind: 'modified', changed: [...changed].sort(), added: [...added].sort(), missing: [...missing].sort(), source: 'watcher' };
    if (!state.changed.length && !state.added.length && !state.missing.length) return;
    this.store.update(entry.folder, { state });
    this.log.warn(`${entry.folder.fsPath}: ${rel} ${kind === 'delete' ? 'deleted' : kind === 'create' ? 'added' : 'changed'} since verification, model marked modified`);
  }

  // ---- presentation ----------------------------------------------------------------------

  private onStatesChanged(): void {
    this.tree.refresh();
    this.decorations.refresh();
    this.statusBar.update();
    const all = this.store.all();
    void vscode.commands.executeCommand('setContext', ContextKey.modelFolders, all.map((e) => e.folder.fsPath));
    void vscode.commands.executeCommand('setContext', ContextKey.signedFolders, all.filter((e) => e.state.kind !== 'unsigned').map((e) => e.folder.fsPath));
    const c = summarize(all.map((e) => e.state));
    this.treeView.badge = c.failed ? { value: c.failed, tooltip: `${c.failed} model(s) invalid or modified` } : undefined;
  }

  private lastTrust = '';

  private onSettingsChanged(s: Settings): void {
    this.decorations.refresh();
    this.scheduleDiscovery(100);
    const trust = JSON.stringify([s['trust.publicKeys'], s['trust.certificateRoots'], s['trust.sigstoreIdentities'], s['signing.sigstoreInstance']]);
    if (this.lastTrust && trust !== this.lastTrust) this.reverifyAll('trust settings changed');
    this.lastTrust = trust;
  }

  statusText(): string {
    return statusText(summarize(this.store.all().map((e) => e.state)));
  }

  async showDetails(folder: vscode.Uri): Promise<SignatureDetails | undefined> {
    const sigPath = this.signatureUri(folder).fsPath;
    const d = await vscode.window.withProgress({ location: { viewId: ViewId.details }, title: 'Reading signature' }, () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading signature of ${path.basename(folder.fsPath)}` }, () =>
        this.deps.engine.details(folder.fsPath, sigPath, { withCurrentDigests: true }),
      ),
    );
    this.details.show(path.basename(folder.fsPath), d, this.store.get(folder)?.state);
    await vscode.commands.executeCommand(`${ViewId.details}.focus`);
    return d;
  }
}

async function isDirectory(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.Directory;
  } catch {
    return false;
  }
}
