import * as vscode from 'vscode';
import { buildDocumentReport, emptyReviewFile, type DocumentReport, type SeverityPolicy } from '../../core/review';
import type { Finding } from '../../core/scanning';
import type { AiRange } from '../../core/provenance';
import { isCancellation } from '../../core/errors';
import { describeError } from '../../vscode/log';
import { DisposableBase } from '../../vscode/lifecycle';
import type { ReviewStoreService } from '../aiReview/reviewStoreService';
import type { ProvenanceService } from '../provenance/provenanceService';
import { toDiagnostic } from './diagnostics';
import type { ScanEngine } from './scanEngine';
import type { AiCodeSettingsService } from './settings';

/** What the editor knows about one scanned file. */
export interface FileFindings {
  uri: vscode.Uri;
  /** Document version the findings belong to (-1 for a file scanned from disk). */
  version: number;
  findings: Finding[];
  truncated: boolean;
  report: DocumentReport<AiRange>;
}

/** Time budget per scan: a pathological file is cut short (and says so) instead of freezing. */
const SCAN_TIME_BUDGET_MS = 1500;
/** Files larger than this are not scanned in the editor. */
const MAX_TEXT_LENGTH = 5_000_000;

/**
 * Scans documents in a worker (debounced, one scan in flight per document, superseded scans
 * aborted) and keeps, per file, the findings plus the derived report: severity policy, AI
 * snippets and review decisions. Publishes diagnostics; lenses, hovers, quick fixes and the
 * review view read `get()` and listen to `onDidChange`.
 */
export class FindingsController extends DisposableBase {
  private readonly files = new Map<string, FileFindings>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, AbortController>();
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('trustlens'));
  private readonly emitter = this.register(new vscode.EventEmitter<vscode.Uri | undefined>());
  /** Fires with the URI whose findings or report changed (undefined: many changed). */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly engine: ScanEngine,
    private readonly provenance: ProvenanceService,
    private readonly reviews: ReviewStoreService,
    private readonly settings: AiCodeSettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.schedule(e.document)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.onClose(d)));
    this.register(provenance.onDidChange((uri) => void this.rebuild(uri)));
    this.register(reviews.onDidChange(() => void this.rebuildAll()));
    this.register(
      settings.onDidChange(() => {
        for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
        void this.rebuildAll();
      }),
    );
    this.register({ dispose: () => this.cancelAll() });
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** True when `doc` is scanned under the current settings. */
  wants(doc: vscode.TextDocument): boolean {
    const f = this.settings.settings.findings;
    // Size via the last offset: no copy of the text on every keystroke.
    return f.enabled && (f.languages as string[]).includes(doc.languageId) && ['file', 'untitled', 'vscode-remote'].includes(doc.uri.scheme) && doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) <= MAX_TEXT_LENGTH;
  }

  get(uri: vscode.Uri): FileFindings | undefined {
    return this.files.get(uri.toString());
  }

  all(): FileFindings[] {
    return [...this.files.values()];
  }

  policy(): SeverityPolicy {
    const f = this.settings.settings.findings;
    return { minimumSeverity: f.minimumSeverity, raiseInAiCode: f.raiseInAiCode, overrides: f.severityOverrides };
  }

  /** Schedules a scan of `doc` after the debounce delay (0 = next tick). */
  schedule(doc: vscode.TextDocument, delay = this.settings.settings.findings.debounceMs): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.inFlight.get(key)?.abort(); // a newer text supersedes the running scan
    if (!this.wants(doc)) {
      if (this.files.delete(key)) {
        this.diagnostics.delete(doc.uri);
        this.emitter.fire(doc.uri);
      }
      return;
    }
    this.timers.set(key, setTimeout(() => void this.scan(doc), delay));
  }

  /** Scans `doc` now and waits for the result (used by the rescan command and tests). */
  async scanNow(doc: vscode.TextDocument): Promise<FileFindings | undefined> {
    clearTimeout(this.timers.get(doc.uri.toString()));
    return this.scan(doc);
  }

  private async scan(doc: vscode.TextDocument): Promise<FileFindings | undefined> {
    const key = doc.uri.toString();
    this.timers.delete(key);
    if (doc.isClosed || !this.wants(doc)) return undefined;
    this.inFlight.get(key)?.abort();
    const ctrl = new AbortController();
    this.inFlight.set(key, ctrl);
    const version = doc.version;
    const text = doc.getText();
    const started = Date.now();
    try {
      const result = await this.engine.scan(text, doc.languageId, { signal: ctrl.signal, timeBudgetMs: SCAN_TIME_BUDGET_MS });
      if (ctrl.signal.aborted || doc.isClosed || doc.version !== version) return undefined;
      this.log.trace(`scanned ${vscode.workspace.asRelativePath(doc.uri)} v${version}: ${result.findings.length} finding(s) in ${Date.now() - started} ms${result.truncated ? ' (cut short)' : ''}`);
      if (result.truncated) this.log.warn(`scan of ${vscode.workspace.asRelativePath(doc.uri)} hit its time budget; findings are partial`);
      return await this.publish(doc.uri, version, text, result.findings, result.truncated, doc);
    } catch (e) {
      if (!isCancellation(e)) this.log.error(`scan of ${doc.uri.toString()} failed: ${describeError(e)}`);
      return undefined;
    } finally {
      if (this.inFlight.get(key) === ctrl) this.inFlight.delete(key);
    }
  }

  /** Scans a workspace file that is not open in an editor (for the workspace-wide review list). */
  async scanFile(uri: vscode.Uri): Promise<void> {
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      if (this.wants(doc)) await this.scanNow(doc);
    } catch (e) {
      if (!isCancellation(e)) this.log.warn(`background scan of ${uri.toString()} failed: ${describeError(e)}`);
    }
  }

  private async publish(uri: vscode.Uri, version: number, text: string, findings: Finding[], truncated: boolean, doc: vscode.TextDocument): Promise<FileFindings> {
    const report = await this.reportFor(doc, text, findings);
    const entry: FileFindings = { uri, version, findings, truncated, report };
    this.files.set(uri.toString(), entry);
    if (vscode.workspace.textDocuments.includes(doc) && !doc.isClosed) this.diagnostics.set(uri, report.findings.map((f) => toDiagnostic(f)));
    this.emitter.fire(uri);
    return entry;
  }

  private async reportFor(doc: vscode.TextDocument, text: string, findings: Finding[]): Promise<DocumentReport<AiRange>> {
    const [aiRanges, reviews] = await Promise.all([this.provenance.rangesForAsync(doc), this.reviews.load(doc.uri).catch(() => emptyReviewFile())]);
    return buildDocumentReport({ text, findings, aiRanges, policy: this.policy(), reviews, filePath: vscode.workspace.asRelativePath(doc.uri, false) });
  }

  /** Recomputes the report of `uri` without rescanning (AI ranges or decisions changed). */
  private async rebuild(uri: vscode.Uri): Promise<void> {
    const entry = this.files.get(uri.toString());
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!entry || !doc || (entry.version !== -1 && entry.version !== doc.version)) return; // a scan is pending and will rebuild
    await this.publish(uri, entry.version, doc.getText(), entry.findings, entry.truncated, doc);
  }

  private async rebuildAll(): Promise<void> {
    for (const entry of [...this.files.values()]) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === entry.uri.toString()) ?? (await vscode.workspace.openTextDocument(entry.uri).then((d) => d, () => undefined));
      if (doc) await this.publish(entry.uri, entry.version, doc.getText(), entry.findings, entry.truncated, doc);
    }
    this.emitter.fire(undefined);
  }

  private onClose(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.inFlight.get(key)?.abort();
    this.diagnostics.delete(doc.uri);
    // Keep flagged snippets of closed files for the review view; drop plain findings.
    const entry = this.files.get(key);
    if (entry && entry.report.snippets.length === 0) {
      this.files.delete(key);
      this.emitter.fire(doc.uri);
    }
  }

  private cancelAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const c of this.inFlight.values()) c.abort();
    this.timers.clear();
    this.inFlight.clear();
  }
}
