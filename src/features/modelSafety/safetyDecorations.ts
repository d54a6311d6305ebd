import * as vscode from 'vscode';
import type { SafetyVerdict } from '../../core/modelsafety';
import { folderSummary, safetyBadge } from '../../core/review';
import { DisposableBase } from '../../vscode/lifecycle';
import type { ModelSafetyService } from './safetyService';

/**
 * Safety badges in the Explorer and in the model explorer (its items carry `resourceUri`):
 * ☠ dangerous, ⚠ suspicious, ? unknown; safe files get a tooltip line only. Folders show the worst
 * file below them. VS Code merges these with the signing decorations (badges side by side,
 * tooltips joined), so the signing state and the safety verdict are both visible.
 */
export class SafetyDecorationProvider extends DisposableBase implements vscode.FileDecorationProvider {
  private readonly emitter = this.register(new vscode.EventEmitter<vscode.Uri[]>());
  /** Checked files with '/' paths, rebuilt after a change (folders are decorated from it). */
  private files: { path: string; verdict: SafetyVerdict }[] | undefined;
  readonly onDidChangeFileDecorations = this.emitter.event;

  constructor(private readonly safety: ModelSafetyService) {
    super();
    this.register(
      safety.onDidChange((uris) => {
        this.files = undefined;
        this.emitter.fire(uris);
      }),
    );
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file' || !this.safety.enabled) return undefined;
    const report = this.safety.get(uri.fsPath);
    if (report) {
      const b = safetyBadge(report.verdict);
      return new vscode.FileDecoration(b.badge, `${b.label}: ${report.summary}`, b.color && new vscode.ThemeColor(b.color));
    }
    this.files ??= this.safety.all().map((r) => ({ path: r.path.split('\\').join('/'), verdict: r.verdict }));
    const summary = folderSummary(this.files, uri.fsPath.split('\\').join('/'));
    if (!summary || summary.verdict === 'safe') return undefined;
    const b = safetyBadge(summary.verdict);
    const worst = summary.worstFile ? vscode.workspace.asRelativePath(summary.worstFile) : '';
    return new vscode.FileDecoration(b.badge, `Model files: ${summary.verdict} (${worst})`, b.color && new vscode.ThemeColor(b.color));
  }
}
