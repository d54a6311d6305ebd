import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { soleActiveAssistant } from '../../core/review';
import {
  AGENT_TRACE_PATHS,
  emptyStore,
  lineHash,
  linesOf,
  GitBlameProvenance,
  gitTopLevel,
  HOOK_LOG_PATH,
  LiveEditClassifier,
  markerRanges,
  mergeAiRanges,
  parseAgentTrace,
  parseHookLog,
  readProvenanceStore,
  RangeTracker,
  recordRanges,
  restoreRanges,
  serializeProvenanceStore,
  toStored,
  writeProvenanceStore,
  type AiRange,
  type LiveChangeEvent,
  type ParsedRecords,
  type ProvenanceStore,
  type Range,
} from '../../core/provenance';
import { describeError } from '../../vscode/log';
import { DisposableBase } from '../../vscode/lifecycle';
import type { AiCodeSettingsService } from '../codeFindings/settings';

/** File in the workspace's private storage (never the repository) holding the session ranges. */
const STORE_FILE = 'ai-ranges.json';

interface DocProvenance {
  /** Ranges captured in the editor (live edits, user marks), restored from workspace storage. */
  session: RangeTracker<AiRange>;
  /** Ranges from `git blame` (computed once on open, then moved with edits). */
  git: RangeTracker<AiRange>;
}

const toRange = (r: vscode.Range): Range => ({ startLine: r.start.line, startCol: r.start.character, endLine: r.end.line, endCol: r.end.character });

/**
 * Which code in each open document is AI-generated, from every enabled evidence source:
 * explicit records, live edits seen in this session, git blame + AI trailers, the user's marks
 * and marker comments. Session ranges move with edits (RangeTracker) and persist in the
 * workspace storage (never in the repository), re-anchored by line fingerprints on reopen.
 *
 * Untrusted workspaces: git is never run (its repository config is the workspace's), so
 * committed-code provenance is off there; everything else (reading records, editor events)
 * executes nothing from the workspace.
 */
export class ProvenanceService extends DisposableBase {
  private readonly docs = new Map<string, DocProvenance>();
  private classifier: LiveEditClassifier;
  private readonly blamers = new Map<string, Promise<GitBlameProvenance | undefined>>();
  private records: Promise<ParsedRecords> | undefined;
  private store: ProvenanceStore = emptyStore();
  /** Resolves once the stored ranges are loaded (and restored into the documents already open). */
  readonly ready: Promise<void>;
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly emitter = this.register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires with a document URI whose AI ranges changed (not for plain shifts caused by edits). */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly settings: AiCodeSettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.classifier = new LiveEditClassifier({ minLines: settings.settings.provenance.minInsertedLines });
    this.ready = this.loadStore().then((store) => {
      this.store = store;
      for (const d of vscode.workspace.textDocuments) this.restore(d);
    });
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.open(d)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.close(d)));
    // On save the stored ranges match the file on disk exactly: write them now.
    this.register(vscode.workspace.onDidSaveTextDocument(() => this.flushSave()));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)));
    this.register(
      settings.onDidChange((st) => {
        this.classifier = new LiveEditClassifier({ minLines: st.provenance.minInsertedLines });
        vscode.workspace.textDocuments.forEach((d) => this.emitter.fire(d.uri));
      }),
    );
    const recordsWatcher = this.register(vscode.workspace.createFileSystemWatcher(`**/{${[...AGENT_TRACE_PATHS, HOOK_LOG_PATH].join(',')}}`));
    const reloadRecords = () => {
      this.records = undefined;
      vscode.workspace.textDocuments.forEach((d) => this.emitter.fire(d.uri));
    };
    this.register(recordsWatcher.onDidChange(reloadRecords));
    this.register(recordsWatcher.onDidCreate(reloadRecords));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.workspace.textDocuments.forEach((d) => void this.loadGit(d))));
    // Runs while DisposableBase disposes us (isDisposed is already true): a synchronous write.
    this.register({ dispose: () => this.flushSave() });
    for (const d of vscode.workspace.textDocuments) this.open(d);
  }

  private storePath(): string | undefined {
    return this.context.storageUri ? path.join(this.context.storageUri.fsPath, STORE_FILE) : undefined;
  }

  private async loadStore(): Promise<ProvenanceStore> {
    const file = this.storePath();
    if (!file) return emptyStore();
    try {
      return await readProvenanceStore(file);
    } catch (e) {
      this.log.warn(`stored AI ranges ignored: ${describeError(e)}`);
      return emptyStore();
    }
  }

  /** Store key: path relative to its workspace folder ('/' separators), prefixed by the folder name in multi-root workspaces. */
  private relPath(uri: vscode.Uri): string | undefined {
    const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    if (!folder) return undefined;
    const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/${rel}` : rel;
  }

  private isTracked(doc: vscode.TextDocument): boolean {
    return doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled' || doc.uri.scheme === 'vscode-remote';
  }

  private open(doc: vscode.TextDocument): void {
    if (!this.isTracked(doc) || this.docs.has(doc.uri.toString())) return;
    this.docs.set(doc.uri.toString(), { session: new RangeTracker<AiRange>(), git: new RangeTracker<AiRange>() });
    this.restore(doc);
    void this.loadGit(doc);
  }

  /** Adds the stored session ranges of `doc`, re-anchored to its current text (once per document). */
  private restore(doc: vscode.TextDocument): void {
    const state = this.docs.get(doc.uri.toString());
    const rel = this.relPath(doc.uri);
    const stored = rel ? this.store.files[rel] : undefined;
    if (!state || !stored || this.restored.has(doc.uri.toString())) return;
    this.restored.add(doc.uri.toString());
    const { ranges, lost } = restoreRanges(stored, doc.getText());
    if (lost.length) this.log.info(`${rel}: ${lost.length} stored AI range(s) no longer match the file`);
    for (const r of ranges) state.session.add(r);
    if (ranges.length) this.emitter.fire(doc.uri);
  }

  private readonly restored = new Set<string>();

  private close(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const state = this.docs.get(key);
    if (!state) return;
    this.persist(doc, state);
    this.docs.delete(key);
    this.restored.delete(key);
    this.classifier.forget(key);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const key = e.document.uri.toString();
    let state = this.docs.get(key);
    if (!state) {
      this.open(e.document);
      state = this.docs.get(key);
      if (!state) return;
    }
    const edits = e.contentChanges.map((c) => ({ range: toRange(c.range), text: c.text }));
    state.session.apply(edits);
    state.git.apply(edits);
    if (this.settings.settings.provenance.liveEdits) {
      const event: LiveChangeEvent = {
        time: Date.now(),
        changes: edits,
        reason: e.reason === vscode.TextDocumentChangeReason.Undo ? 'undo' : e.reason === vscode.TextDocumentChangeReason.Redo ? 'redo' : undefined,
        isActiveEditor: vscode.window.activeTextEditor?.document === e.document,
      };
      const verdict = this.classifier.classify(key, event);
      this.log.trace(`live edit ${JSON.stringify(edits).slice(0, 200)} -> ${JSON.stringify(verdict).slice(0, 200)}`);
      if (verdict.ai) {
        const tool = soleActiveAssistant(vscode.extensions.all.filter((x) => x.isActive).map((x) => x.id));
        const at = new Date();
        const evidence = tool ? `${verdict.evidence}; ${tool} is the only assistant running` : verdict.evidence;
        for (const range of verdict.ranges) state.session.add({ range, source: 'live', ...(tool ? { tool } : {}), at, evidence });
        this.flushSave(); // new evidence is saved at once; plain edits only shift ranges (debounced)
        this.log.info(`AI-generated code detected in ${vscode.workspace.asRelativePath(e.document.uri)}: ${evidence} (lines ${verdict.ranges.map((r) => `${r.startLine + 1}-${r.endLine + 1}`).join(', ')})`);
        this.emitter.fire(e.document.uri);
      }
    }
    this.scheduleSave();
  }

  private async loadGit(doc: vscode.TextDocument): Promise<void> {
    if (!vscode.workspace.isTrusted || !this.settings.settings.provenance.gitTrailers || doc.uri.scheme !== 'file') return;
    const dir = path.dirname(doc.uri.fsPath);
    let blamer = this.blamers.get(dir);
    if (!blamer) {
      blamer = gitTopLevel(dir).then((root) => (root ? new GitBlameProvenance(root) : undefined)).catch(() => undefined);
      this.blamers.set(dir, blamer);
    }
    const version = doc.version;
    try {
      const b = await blamer;
      if (!b) return;
      const ranges = await b.aiRanges(path.relative(b.repoRoot, doc.uri.fsPath).split(path.sep).join('/'), { contents: doc.getText() });
      const state = this.docs.get(doc.uri.toString());
      // A blame of an older version would land on the wrong lines: drop it, the next open retries.
      if (!state || doc.version !== version) return;
      state.git = new RangeTracker<AiRange>(ranges);
      if (ranges.length) this.emitter.fire(doc.uri);
    } catch (e) {
      this.log.warn(`git provenance for ${doc.uri.fsPath} unavailable: ${describeError(e)}`);
    }
  }

  private loadRecords(): Promise<ParsedRecords> {
    if (!this.records) {
      this.records = (async () => {
        const into: ParsedRecords = { byFile: new Map(), problems: [] };
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
          for (const [rel, parse] of [...AGENT_TRACE_PATHS.map((p) => [p, parseAgentTrace] as const), [HOOK_LOG_PATH, parseHookLog] as const]) {
            try {
              parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, rel))), into);
            } catch {
              // absent: nothing recorded
            }
          }
        }
        for (const p of into.problems.slice(0, 5)) this.log.warn(`provenance record skipped: ${JSON.stringify(p)}`);
        return into;
      })();
    }
    return this.records;
  }

  /**
   * The AI ranges of `doc` from every enabled source, strongest evidence first. Call after
   * `ready(doc)` to include explicit records.
   */
  rangesFor(doc: vscode.TextDocument, records?: ParsedRecords): AiRange[] {
    const p = this.settings.settings.provenance;
    const state = this.docs.get(doc.uri.toString());
    const out: AiRange[] = [];
    const rel = this.relPath(doc.uri);
    if (p.explicitRecords && records && rel) out.push(...recordRanges(records, rel, doc.getText()));
    for (const r of state?.session.items ?? []) if ((r.source === 'live' && p.liveEdits) || (r.source === 'user' && p.userMarks)) out.push(r);
    if (p.gitTrailers) out.push(...(state?.git.items ?? []));
    if (p.markers) out.push(...markerRanges(doc.getText()));
    // Overlapping evidence becomes one range labelled by the strongest source (others in `also`).
    return mergeAiRanges(out);
  }

  /** Resolves the AI ranges including explicit records (read once per workspace, re-read on change). */
  async rangesForAsync(doc: vscode.TextDocument): Promise<AiRange[]> {
    const records = this.settings.settings.provenance.explicitRecords ? await this.loadRecords() : undefined;
    return this.rangesFor(doc, records);
  }

  /** Marks `range` of `doc` as AI-generated by the user. */
  mark(doc: vscode.TextDocument, range: vscode.Range): void {
    this.open(doc);
    const state = this.docs.get(doc.uri.toString());
    if (!state || range.isEmpty) return;
    state.session.add({ range: toRange(range), source: 'user', at: new Date(), evidence: 'marked with "Mark Selection as AI-Generated"' });
    this.emitter.fire(doc.uri);
    this.flushSave();
  }

  /** Removes session ranges (live edits, user marks) that intersect `range`; returns how many. */
  clear(doc: vscode.TextDocument, range: vscode.Range): number {
    const state = this.docs.get(doc.uri.toString());
    if (!state) return 0;
    const n = state.session.remove((r) => {
      const vr = new vscode.Range(r.range.startLine, r.range.startCol, r.range.endLine, r.range.endCol);
      return vr.intersection(range) !== undefined;
    });
    if (n) {
      this.emitter.fire(doc.uri);
      this.flushSave();
    }
    return n;
  }

  /** Workspace files that have stored session ranges (for the workspace-wide review list). */
  async storedFiles(): Promise<vscode.Uri[]> {
    await this.ready;
    const out: vscode.Uri[] = [];
    for (const rel of Object.keys(this.store.files)) {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const prefix = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/` : '';
        if (prefix && !rel.startsWith(prefix)) continue;
        out.push(vscode.Uri.joinPath(folder.uri, ...rel.slice(prefix.length).split('/')));
      }
    }
    return out;
  }

  private persist(doc: vscode.TextDocument, state: DocProvenance): void {
    const rel = this.relPath(doc.uri);
    if (!rel || (state.session.items.length === 0 && !this.store.files[rel])) return;
    // Hash only the lines each range covers (hashing the whole document per range was O(lines × ranges)).
    const ranges = state.session.items.map((r) => {
      const { first, last } = linesOf(r.range);
      const lines: string[] = [];
      for (let i = first; i <= last && i < doc.lineCount; i++) lines.push(doc.lineAt(i).text);
      return toStored(r, lines.map(lineHash));
    });
    if (ranges.length) this.store.files[rel] = ranges;
    else delete this.store.files[rel];
  }

  private scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flushSave(), 1000);
  }

  private flushSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    for (const doc of vscode.workspace.textDocuments) {
      const state = this.docs.get(doc.uri.toString());
      if (state) this.persist(doc, state);
    }
    const file = this.storePath();
    if (!file || this.isDisposed) {
      if (file) this.writeSync(file);
      return;
    }
    this.writing = this.writing
      .then(() => writeProvenanceStore(file, this.store))
      .catch((e) => this.log.warn(`could not save AI ranges: ${describeError(e)}`));
  }

  private writing: Promise<void> = Promise.resolve();

  /** On shutdown there is no later tick to finish an async write. */
  private writeSync(file: string): void {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(`${file}.tmp`, serializeProvenanceStore(this.store));
      fs.renameSync(`${file}.tmp`, file);
    } catch (e) {
      this.log.warn(`could not save AI ranges: ${describeError(e)}`);
    }
  }
}
