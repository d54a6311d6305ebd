import * as path from 'node:path';
import * as vscode from 'vscode';
import { notificationKey } from '../../core/review';
import type { FileSafetyReport, SafetyVerdict } from '../../core/modelsafety';
import { isCancellation } from '../../core/errors';
import { describeError } from '../../vscode/log';
import { DisposableBase } from '../../vscode/lifecycle';
import type { AiCodeSettingsService } from '../codeFindings/settings';
import { MODEL_FILE_GLOB, type SafetyEngine } from './safetyEngine';

const NOTIFIED_KEY = 'trustlens.modelSafety.notified.v1';
const EXCLUDE = '**/{node_modules,.git,.venv,venv,__pycache__}/**';
const MAX_FILES = 5000;

/**
 * Safety verdicts of the workspace's model files: discovered on activation, re-checked when a
 * file changes (watcher), checked one at a time in the background. Announces the first discovery
 * of each dangerous file once (per content: path, size, mtime), and feeds the decorations, the
 * details view and the status bar.
 */
export class ModelSafetyService extends DisposableBase {
  private readonly reports = new Map<string, FileSafetyReport>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly emitter = this.register(new vscode.EventEmitter<vscode.Uri[]>());
  /** Fires with the files whose verdict changed. */
  readonly onDidChange = this.emitter.event;
  private readonly status = this.register(vscode.window.createStatusBarItem('trustlens.modelSafety.status', vscode.StatusBarAlignment.Left, 49));
  private discovered: Promise<void> | undefined;

  constructor(
    private readonly engine: SafetyEngine,
    private readonly settings: AiCodeSettingsService,
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.status.name = 'TrustLens Model File Safety';
    this.status.command = 'trustlens.modelSafety.focus';
    this.register({ dispose: () => this.abort.abort() });
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(MODEL_FILE_GLOB));
    this.register(watcher.onDidCreate((u) => this.enqueue(u.fsPath)));
    this.register(watcher.onDidChange((u) => this.enqueue(u.fsPath)));
    this.register(
      watcher.onDidDelete((u) => {
        if (this.reports.delete(u.fsPath)) this.changed([u]);
      }),
    );
    this.register(
      settings.onDidChange((s) => {
        if (!s.modelSafety.enabled) {
          const uris = [...this.reports.keys()].map((p) => vscode.Uri.file(p));
          this.reports.clear();
          this.changed(uris);
        } else if (this.reports.size === 0) {
          this.discovered = undefined;
          void this.discover();
        }
      }),
    );
  }

  get enabled(): boolean {
    return this.settings.settings.modelSafety.enabled;
  }

  /** Finds the workspace's model files and queues them (once; `force` re-runs). */
  discover(force = false): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    if (!this.discovered || force) {
      this.discovered = (async () => {
        const uris = await vscode.workspace.findFiles(MODEL_FILE_GLOB, EXCLUDE, MAX_FILES);
        if (uris.length === MAX_FILES) this.log.warn(`model safety: more than ${MAX_FILES} model files; only the first ${MAX_FILES} are checked`);
        for (const u of uris) if (u.scheme === 'file' && this.engine.isModelFile(u.fsPath)) this.enqueue(u.fsPath, force);
        await this.whenIdle();
      })();
    }
    return this.discovered;
  }

  all(): FileSafetyReport[] {
    return [...this.reports.values()];
  }

  get(fsPath: string): FileSafetyReport | undefined {
    return this.reports.get(fsPath);
  }

  /** Resolves when the queue is empty. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Checks `fsPath` now and returns its report (the engine reuses its verdict while the file is unchanged). */
  async check(fsPath: string): Promise<FileSafetyReport> {
    const report = await this.engine.scanFile(fsPath, { signal: this.abort.signal });
    this.store(fsPath, report);
    return report;
  }

  /** Checks every model file under `folder` afresh, by extension or content (used before signing). */
  async checkFolder(folder: string, signal?: AbortSignal): Promise<FileSafetyReport[]> {
    const reports = await this.engine.scanFolder(folder, { signal: signal ?? this.abort.signal });
    for (const r of reports) this.store(r.path, r);
    this.log.info(`model safety: ${reports.length} model file(s) checked under ${vscode.workspace.asRelativePath(folder)}`);
    return reports;
  }

  private enqueue(fsPath: string, force = true): void {
    if (!this.enabled || this.queued.has(fsPath) || (!force && this.reports.has(fsPath))) return;
    this.queued.add(fsPath);
    this.queue.push(fsPath);
    if (!this.running) this.running = this.drain().finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      this.queued.delete(next);
      if (this.abort.signal.aborted) return;
      try {
        await this.check(next);
      } catch (e) {
        if (isCancellation(e)) return;
        this.log.error(`model safety check of ${next} failed: ${describeError(e)}`);
      }
      // Yield between files so a long queue never monopolises the extension host.
      await new Promise((r) => setImmediate(r));
    }
  }

  private store(fsPath: string, report: FileSafetyReport): void {
    const before = this.reports.get(fsPath)?.verdict;
    this.reports.set(fsPath, report);
    this.log.info(`model safety: ${vscode.workspace.asRelativePath(fsPath)} is ${report.verdict} (${report.summary}; ${report.bytesRead}/${report.size} bytes read in ${Math.round(report.durationMs)} ms)`);
    if (report.verdict === 'dangerous') void this.announce(fsPath, report);
    if (before !== report.verdict) this.changed([vscode.Uri.file(fsPath)]);
    else this.updateStatus();
  }

  private async announce(fsPath: string, report: FileSafetyReport): Promise<void> {
    if (!this.settings.settings.modelSafety.notifyOnDangerous) return;
    let mtime = 0;
    try {
      mtime = (await vscode.workspace.fs.stat(vscode.Uri.file(fsPath))).mtime;
    } catch {
      // gone already
    }
    const key = notificationKey(vscode.workspace.asRelativePath(fsPath, false), report.size, mtime);
    const seen = this.context.workspaceState.get<string[]>(NOTIFIED_KEY, []);
    if (seen.includes(key)) return;
    await this.context.workspaceState.update(NOTIFIED_KEY, [...seen.slice(-499), key]);
    const choice = await vscode.window.showWarningMessage(
      `TrustLens: ${vscode.workspace.asRelativePath(fsPath)} is dangerous to load: ${report.summary}. Loading it (torch.load, pickle.load, joblib.load…) can run code on this machine.`,
      'Show Details',
    );
    if (choice) await vscode.commands.executeCommand('trustlens.modelSafety.showDetails', vscode.Uri.file(fsPath));
  }

  private changed(uris: vscode.Uri[]): void {
    // Folders summarise the worst file below them: their decorations change too.
    const withParents = new Map<string, vscode.Uri>();
    for (const u of uris) {
      withParents.set(u.toString(), u);
      const root = vscode.workspace.getWorkspaceFolder(u)?.uri.fsPath;
      for (let dir = path.dirname(u.fsPath); root && dir.startsWith(root) && dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const d = vscode.Uri.file(dir);
        withParents.set(d.toString(), d);
        if (dir === root) break;
      }
    }
    this.updateStatus();
    this.emitter.fire([...withParents.values()]);
  }

  private updateStatus(): void {
    const count = (v: SafetyVerdict) => this.all().filter((r) => r.verdict === v).length;
    const dangerous = count('dangerous');
    const suspicious = count('suspicious');
    if (!this.enabled || dangerous + suspicious === 0) {
      this.status.hide();
      return;
    }
    this.status.text = dangerous ? `$(error) ${dangerous} dangerous model file${dangerous === 1 ? '' : 's'}` : `$(warning) ${suspicious} suspicious model file${suspicious === 1 ? '' : 's'}`;
    this.status.tooltip = `Model files that can run code when loaded: ${dangerous} dangerous, ${suspicious} suspicious, ${count('unknown')} could not be fully checked, ${count('safe')} safe. Click for details.`;
    this.status.backgroundColor = new vscode.ThemeColor(dangerous ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.status.show();
  }

  /** The status-bar text, undefined while hidden (tests). */
  statusText(): string | undefined {
    const d = this.all().some((r) => r.verdict === 'dangerous' || r.verdict === 'suspicious');
    return this.enabled && d ? this.status.text : undefined;
  }
}
