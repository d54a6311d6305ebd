import * as vscode from 'vscode';
import { formatSnippetTitle } from '../../core/review';
import { DisposableBase } from '../../vscode/lifecycle';
import type { FindingsController } from './findingsController';
import type { AiCodeSettingsService } from './settings';

export const CMD_EXPLAIN = 'trustlens.findings.explain';
export const CMD_REVEAL = 'trustlens.aiReview.reveal';

/**
 * One lens line above each AI-generated block with findings:
 * `⚠ 2 security findings in AI-generated code (Copilot, inserted 2 min ago) | Review | Explain`.
 * With `trustlens.findings.lensScope = all`, findings outside AI code get a lens too.
 */
export class FindingsCodeLensProvider extends DisposableBase implements vscode.CodeLensProvider {
  private readonly emitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(
    private readonly findings: FindingsController,
    private readonly settings: AiCodeSettingsService,
  ) {
    super();
    this.register(findings.onDidChange(() => this.emitter.fire()));
    // "inserted 2 min ago" must age: refresh once a minute while any snippet is shown.
    const timer = setInterval(() => {
      if (findings.all().some((f) => f.report.snippets.length > 0)) this.emitter.fire();
    }, 60_000);
    this.register({ dispose: () => clearInterval(timer) });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const entry = this.findings.get(doc.uri);
    if (!entry) return [];
    const now = Date.now();
    const lenses: vscode.CodeLens[] = [];
    for (const s of entry.report.snippets) {
      // Above the first line of code in the block (an insertion often starts with a blank line).
      let line = Math.min(s.ai.range.startLine, doc.lineCount - 1);
      while (line < Math.min(s.ai.range.endLine, doc.lineCount - 1) && doc.lineAt(line).isEmptyOrWhitespace) line++;
      const at = new vscode.Range(line, 0, line, 0);
      const base = formatSnippetTitle(s.findings.length, s.ai, now);
      const title = s.decision ? `${base.replace(/^⚠/, '✓')} · ${s.decision.status}${s.decision.reason ? `: ${s.decision.reason}` : ''}` : base;
      const args = [doc.uri.toString(), s.key.fingerprint];
      lenses.push(
        new vscode.CodeLens(at, { title, command: CMD_REVEAL, arguments: args, tooltip: `Why: ${s.ai.evidence}` }),
        new vscode.CodeLens(at, { title: 'Review', command: CMD_REVEAL, arguments: args, tooltip: 'Show in the AI Code Review view' }),
        new vscode.CodeLens(at, { title: 'Explain', command: CMD_EXPLAIN, arguments: [doc.uri.toString(), s.ai.range.startLine], tooltip: 'Why each finding matters and how to fix it' }),
      );
    }
    if (this.settings.settings.findings.lensScope === 'all') {
      for (const f of entry.report.findings) {
        if (f.ai) continue;
        const line = Math.min(f.finding.range.startLine, doc.lineCount - 1);
        const at = new vscode.Range(line, 0, line, 0);
        lenses.push(
          new vscode.CodeLens(at, { title: `⚠ ${f.finding.cwe}: ${f.finding.message}`, command: CMD_EXPLAIN, arguments: [doc.uri.toString(), line, true] }),
          new vscode.CodeLens(at, { title: 'Explain', command: CMD_EXPLAIN, arguments: [doc.uri.toString(), line, true] }),
        );
      }
    }
    return lenses;
  }
}
