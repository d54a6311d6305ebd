import * as vscode from 'vscode';
import type { FindingsController } from './findingsController';
import { findingForDiagnostic, toVsRange } from './diagnostics';

/**
 * Quick fixes for the mechanical cases the scanner attaches to findings (`Finding.fixes`):
 * `weights_only=True`, `yaml.safe_load`, `shell=False` with an argv list, a parameterised query
 * skeleton, `revision="<commit sha>"`, `hmac.compare_digest`, `secrets.token_*`, `verify=True`.
 */
export class FindingsCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly findings: FindingsController) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const entry = this.findings.get(doc.uri);
    // Fix ranges are only valid for the text that was scanned.
    if (!entry || (entry.version !== -1 && entry.version !== doc.version)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const shown = findingForDiagnostic(d, entry.report.findings);
      for (const [i, fix] of (shown?.finding.fixes ?? []).entries()) {
        const action = new vscode.CodeAction(`TrustLens: ${fix.title}`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, toVsRange(fix.range), fix.newText);
        action.diagnostics = [d];
        action.isPreferred = i === 0;
        actions.push(action);
      }
    }
    return actions;
  }
}
