import * as vscode from 'vscode';
import { describeProvenance, type ShownFinding, type SnippetReport } from '../../core/review';
import type { AiRange } from '../../core/provenance';
import { DisposableBase } from '../../vscode/lifecycle';
import type { FindingsController } from '../codeFindings/findingsController';
import { toVsRange } from '../codeFindings/diagnostics';

export type ReviewNode =
  | { kind: 'file'; id: string; uri: vscode.Uri; snippets: SnippetNode[] }
  | SnippetNode
  | { kind: 'finding'; id: string; uri: vscode.Uri; shown: ShownFinding<AiRange>; parent: SnippetNode };

export interface SnippetNode {
  kind: 'snippet';
  id: string;
  uri: vscode.Uri;
  snippet: SnippetReport<AiRange>;
  parent: ReviewNode & { kind: 'file' };
}

const STATUS_ICON = {
  reviewed: new vscode.ThemeIcon('check', new vscode.ThemeColor('charts.green')),
  fixed: new vscode.ThemeIcon('tools', new vscode.ThemeColor('charts.green')),
  dismissed: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
} as const;
const UNREVIEWED_ICON = new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.orange'));

/**
 * The "AI Code Review" tree: files → flagged AI snippets → findings. Built from the findings
 * controller's reports; node objects are rebuilt on each change and indexed by id so the
 * lens's "Review" can reveal a snippet.
 */
export class ReviewTreeProvider extends DisposableBase implements vscode.TreeDataProvider<ReviewNode> {
  private readonly emitter = this.register(new vscode.EventEmitter<ReviewNode | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: (ReviewNode & { kind: 'file' })[] = [];
  private readonly byFingerprint = new Map<string, SnippetNode>();

  constructor(private readonly findings: FindingsController) {
    super();
    this.rebuild();
    this.register(
      findings.onDidChange(() => {
        this.rebuild();
        this.emitter.fire(undefined);
      }),
    );
  }

  private rebuild(): void {
    this.byFingerprint.clear();
    this.roots = this.findings
      .all()
      .filter((f) => f.report.snippets.length > 0)
      .sort((a, b) => vscode.workspace.asRelativePath(a.uri).localeCompare(vscode.workspace.asRelativePath(b.uri)))
      .map((f) => {
        const file = { kind: 'file' as const, id: `file:${f.uri.toString()}`, uri: f.uri, snippets: [] as SnippetNode[] };
        file.snippets = f.report.snippets.map((snippet) => {
          const node: SnippetNode = { kind: 'snippet', id: `snippet:${f.uri.toString()}#${snippet.key.fingerprint}:${snippet.ai.range.startLine}`, uri: f.uri, snippet, parent: file };
          this.byFingerprint.set(`${f.uri.toString()}#${snippet.key.fingerprint}`, node);
          return node;
        });
        return file;
      });
  }

  /** All snippet nodes (for the status bar count and tests). */
  snippets(): SnippetNode[] {
    return this.roots.flatMap((r) => r.snippets);
  }

  /** The snippet node of `uri` with this fingerprint. */
  find(uri: string, fingerprint: string): SnippetNode | undefined {
    return this.byFingerprint.get(`${uri}#${fingerprint}`);
  }

  getChildren(node?: ReviewNode): ReviewNode[] {
    if (!node) return this.roots;
    if (node.kind === 'file') return node.snippets;
    if (node.kind === 'snippet') return node.snippet.findings.map((shown, i) => ({ kind: 'finding' as const, id: `${node.id}/${i}`, uri: node.uri, shown, parent: node }));
    return [];
  }

  getParent(node: ReviewNode): ReviewNode | undefined {
    return node.kind === 'file' ? undefined : node.parent;
  }

  getTreeItem(node: ReviewNode): vscode.TreeItem {
    if (node.kind === 'file') {
      const open = node.snippets.filter((s) => !s.snippet.decision).length;
      const item = new vscode.TreeItem(node.uri, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = `${vscode.workspace.asRelativePath(node.uri)} · ${open ? `${open} unreviewed` : 'all reviewed'}`;
      item.contextValue = 'trustlens:aiReviewFile';
      return item;
    }
    if (node.kind === 'snippet') {
      const s = node.snippet;
      const label = s.preview.length > 60 ? `${s.preview.slice(0, 57)}…` : s.preview;
      const item = new vscode.TreeItem(label || '(snippet)', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const status = s.decision ? (s.decision.status === 'dismissed' ? `dismissed: ${s.decision.reason ?? ''}` : s.decision.status) : 'unreviewed';
      item.description = `line ${s.ai.range.startLine + 1} · ${s.findings.length} finding${s.findings.length === 1 ? '' : 's'} · ${status}`;
      item.tooltip = new vscode.MarkdownString(
        [`**${s.findings.length} security finding(s) in AI-generated code** (${describeProvenance(s.ai, Date.now())})`, '', `Evidence: ${s.ai.evidence}`, '', ...s.findings.map((f) => `- ${f.finding.cwe} ${f.finding.message} (${f.severity})`)].join('\n'),
      );
      item.iconPath = s.decision ? STATUS_ICON[s.decision.status] : UNREVIEWED_ICON;
      item.contextValue = s.decision ? `trustlens:aiSnippet:decided:${s.decision.status}` : 'trustlens:aiSnippet:undecided';
      item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri, { selection: toVsRange(s.ai.range).with({ end: toVsRange(s.ai.range).start }) }] };
      return item;
    }
    const f = node.shown.finding;
    const item = new vscode.TreeItem(`${f.cwe}: ${f.message}`, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = `line ${f.range.startLine + 1} · ${node.shown.severity}`;
    item.tooltip = f.why;
    item.iconPath = new vscode.ThemeIcon('debug-breakpoint-log-unverified');
    item.contextValue = 'trustlens:aiFinding';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri, { selection: toVsRange(f.range) }] };
    return item;
  }
}
