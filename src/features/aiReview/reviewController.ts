import * as vscode from 'vscode';
import { unreviewed, type ReviewStatus } from '../../core/review';
import { showErrorWithLog } from '../../vscode/log';
import { DisposableBase } from '../../vscode/lifecycle';
import type { FindingsController } from '../codeFindings/findingsController';
import type { ReviewStoreService } from './reviewStoreService';
import { ReviewTreeProvider, type ReviewNode, type SnippetNode } from './reviewTreeProvider';

export const REVIEW_VIEW_ID = 'trustlens.aiReview';

/**
 * The review workflow: the "AI Code Review" view, its commands (reveal, mark reviewed / fixed,
 * dismiss with a reason, clear, open the decisions file) and the status-bar count of
 * unreviewed flagged AI snippets.
 */
export class ReviewController extends DisposableBase {
  readonly tree: ReviewTreeProvider;
  private readonly view: vscode.TreeView<ReviewNode>;
  private readonly status = this.register(vscode.window.createStatusBarItem('trustlens.aiReview.status', vscode.StatusBarAlignment.Left, 50));

  constructor(
    private readonly findings: FindingsController,
    private readonly reviews: ReviewStoreService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.tree = this.register(new ReviewTreeProvider(findings));
    this.view = this.register(vscode.window.createTreeView(REVIEW_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true }));
    this.status.name = 'TrustLens AI Code Review';
    this.status.command = `${REVIEW_VIEW_ID}.focus`;
    this.register(this.tree.onDidChangeTreeData(() => this.updateStatus()));
    this.updateStatus();

    const decide = (status: ReviewStatus) => async (...args: unknown[]) => {
      const node = this.resolve(args);
      if (!node) return;
      let reason: string | undefined;
      if (status === 'dismissed') {
        reason = typeof args[2] === 'string' ? args[2] : await vscode.window.showInputBox({
          title: 'Dismiss flagged AI snippet',
          prompt: 'Why is this code acceptable? The reason is stored in the review decisions file.',
          placeHolder: 'e.g. test fixture, input is a constant, accepted risk (ticket #123)',
          validateInput: (v) => (v.trim() ? undefined : 'A dismissal needs a reason'),
        });
        if (!reason?.trim()) return;
      }
      await this.record(node, status, reason?.trim());
    };
    this.register(vscode.commands.registerCommand('trustlens.aiReview.markReviewed', decide('reviewed')));
    this.register(vscode.commands.registerCommand('trustlens.aiReview.markFixed', decide('fixed')));
    this.register(vscode.commands.registerCommand('trustlens.aiReview.dismiss', decide('dismissed')));
    this.register(
      vscode.commands.registerCommand('trustlens.aiReview.clearDecision', async (...args: unknown[]) => {
        const node = this.resolve(args);
        if (node) await this.record(node, undefined);
      }),
    );
    this.register(
      vscode.commands.registerCommand('trustlens.aiReview.reveal', async (...args: unknown[]) => {
        const node = this.resolve(args);
        if (node) await this.view.reveal(node, { select: true, focus: true, expand: true });
      }),
    );
    this.register(
      vscode.commands.registerCommand('trustlens.aiReview.refresh', async () => {
        for (const d of vscode.workspace.textDocuments) await findings.scanNow(d);
      }),
    );
    this.register(
      vscode.commands.registerCommand('trustlens.aiReview.openReviewFile', async () => {
        const file = reviews.fileFor(vscode.window.activeTextEditor?.document.uri);
        if (!file) return void vscode.window.showInformationMessage('TrustLens: open a folder to keep review decisions.');
        try {
          await vscode.window.showTextDocument(file);
        } catch {
          void vscode.window.showInformationMessage(`TrustLens: no review decisions yet (${vscode.workspace.asRelativePath(file)} is created by the first decision).`);
        }
      }),
    );
    /** For tests and other features: the snippets the view shows, as plain data. */
    this.register(
      vscode.commands.registerCommand('trustlens.aiReview.snapshot', () =>
        this.tree.snippets().map((s) => ({
          uri: s.uri.toString(),
          fingerprint: s.snippet.key.fingerprint,
          startLine: s.snippet.ai.range.startLine,
          source: s.snippet.ai.source,
          tool: s.snippet.ai.tool,
          ruleIds: s.snippet.findings.map((f) => f.finding.ruleId),
          severities: s.snippet.findings.map((f) => f.severity),
          status: s.snippet.decision?.status,
          reason: s.snippet.decision?.reason,
        })),
      ),
    );
  }

  /** Accepts a tree node, or (uri string, fingerprint) from lenses and tests. */
  private resolve(args: unknown[]): SnippetNode | undefined {
    const [a, b] = args;
    if (a && typeof a === 'object' && (a as ReviewNode).kind === 'snippet') return a as SnippetNode;
    if (a && typeof a === 'object' && (a as ReviewNode).kind === 'finding') return (a as ReviewNode & { kind: 'finding' }).parent;
    if (typeof a === 'string' && typeof b === 'string') return this.tree.find(a, b);
    const sel = this.view.selection[0];
    return sel?.kind === 'snippet' ? sel : sel?.kind === 'finding' ? sel.parent : undefined;
  }

  private async record(node: SnippetNode, status: ReviewStatus | undefined, reason?: string): Promise<void> {
    try {
      await this.reviews.decide(
        node.uri,
        node.snippet.key,
        status && {
          status,
          ...(reason ? { reason } : {}),
          file: vscode.workspace.asRelativePath(node.uri, false),
          ruleIds: [...new Set(node.snippet.findings.map((f) => f.finding.ruleId))],
        },
      );
    } catch (e) {
      showErrorWithLog(this.log, 'TrustLens: could not record the review decision', e);
    }
  }

  /** The status-bar text, undefined while hidden. */
  statusText(): string | undefined {
    return this.statusVisible ? this.status.text : undefined;
  }

  private statusVisible = false;

  private updateStatus(): void {
    const all = this.tree.snippets().map((s) => s.snippet);
    const open = unreviewed(all).length;
    this.statusVisible = open > 0;
    if (open === 0) {
      this.status.hide();
      return;
    }
    this.status.text = `$(shield) ${open} unreviewed AI snippet${open === 1 ? '' : 's'}`;
    this.status.tooltip = `${open} of ${all.length} flagged AI-generated snippet(s) have no review decision. Click to open the AI Code Review view.`;
    this.status.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.status.show();
  }
}
