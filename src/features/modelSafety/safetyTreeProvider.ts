import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeGlobal, describeLocation, safetyBadge } from '../../core/review';
import type { FileSafetyReport, ImportedGlobal, SafetyFinding, SafetyVerdict } from '../../core/modelsafety';
import { verdictRank } from '../../core/modelsafety';
import { DisposableBase } from '../../vscode/lifecycle';
import type { ModelSafetyService } from './safetyService';

export type SafetyNode =
  | { kind: 'file'; id: string; report: FileSafetyReport }
  | { kind: 'global'; id: string; global: ImportedGlobal; parent: SafetyNode & { kind: 'file' } }
  | { kind: 'finding'; id: string; finding: SafetyFinding; parent: SafetyNode & { kind: 'file' } };

const ICON: Record<SafetyVerdict, vscode.ThemeIcon> = {
  dangerous: new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red')),
  suspicious: new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow')),
  unknown: new vscode.ThemeIcon('question', new vscode.ThemeColor('disabledForeground')),
  safe: new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green')),
};

/**
 * The "Model File Safety" details view: every checked model file (worst first) and, below it,
 * the globals its pickles import (with offsets and why each is flagged) and the structural findings.
 */
export class SafetyTreeProvider extends DisposableBase implements vscode.TreeDataProvider<SafetyNode> {
  private readonly emitter = this.register(new vscode.EventEmitter<SafetyNode | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: (SafetyNode & { kind: 'file' })[] = [];

  constructor(private readonly safety: ModelSafetyService) {
    super();
    this.rebuild();
    this.register(
      safety.onDidChange(() => {
        this.rebuild();
        this.emitter.fire(undefined);
      }),
    );
  }

  private rebuild(): void {
    this.roots = this.safety
      .all()
      .sort((a, b) => verdictRank(b.verdict) - verdictRank(a.verdict) || a.path.localeCompare(b.path))
      .map((report) => ({ kind: 'file' as const, id: `file:${report.path}`, report }));
  }

  fileNode(fsPath: string): (SafetyNode & { kind: 'file' }) | undefined {
    return this.roots.find((r) => r.report.path === fsPath);
  }

  getChildren(node?: SafetyNode): SafetyNode[] {
    if (!node) return this.roots;
    if (node.kind !== 'file') return [];
    const globals = [...node.report.globals].sort((a, b) => verdictRank(b.verdict) - verdictRank(a.verdict));
    return [
      ...node.report.findings.map((finding, i) => ({ kind: 'finding' as const, id: `${node.id}/f${i}`, finding, parent: node })),
      ...globals.map((global, i) => ({ kind: 'global' as const, id: `${node.id}/g${i}`, global, parent: node })),
    ];
  }

  getParent(node: SafetyNode): SafetyNode | undefined {
    return node.kind === 'file' ? undefined : node.parent;
  }

  getTreeItem(node: SafetyNode): vscode.TreeItem {
    if (node.kind === 'file') {
      const r = node.report;
      const item = new vscode.TreeItem(path.basename(r.path), r.globals.length + r.findings.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.resourceUri = vscode.Uri.file(r.path);
      item.description = `${r.verdict} · ${r.format} · ${vscode.workspace.asRelativePath(path.dirname(r.path))}`;
      item.tooltip = new vscode.MarkdownString(`**${safetyBadge(r.verdict).label}**\n\n${r.summary}\n\n${r.globals.length} imported global(s), ${r.findings.length} finding(s); ${r.bytesRead} of ${r.size} bytes read in ${Math.round(r.durationMs)} ms.`);
      item.iconPath = ICON[r.verdict];
      item.contextValue = `trustlens:modelSafety:file:${r.verdict}`;
      item.command = { command: 'revealInExplorer', title: 'Reveal', arguments: [vscode.Uri.file(r.path)] };
      return item;
    }
    if (node.kind === 'global') {
      const g = node.global;
      const item = new vscode.TreeItem(`${g.module}.${g.name}`, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      const where = g.locations[0] ? ` · ${describeLocation(g.locations[0])}` : '';
      item.description = `${g.verdict} · ${g.opcode}${where}${g.count > 1 ? ` · ×${g.count}` : ''}`;
      item.tooltip = describeGlobal(g);
      item.iconPath = ICON[g.verdict];
      item.contextValue = `trustlens:modelSafety:global:${g.verdict}`;
      return item;
    }
    const f = node.finding;
    const item = new vscode.TreeItem(f.message, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = `${f.verdict} · ${f.code}${f.location ? ` · ${describeLocation(f.location)}` : ''}`;
    item.tooltip = `${f.code}: ${f.message}`;
    item.iconPath = ICON[f.verdict];
    item.contextValue = `trustlens:modelSafety:finding:${f.verdict}`;
    return item;
  }
}
