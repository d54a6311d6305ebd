import * as vscode from 'vscode';
import * as path from 'node:path';
import { listModelFiles } from './discovery';
import { describeState, fileState, type ModelState } from './modelState';
import { FILE_LOOK, MODEL_LOOK, themeIcon } from './presentation';
import type { ModelEntry, ModelStateStore } from './stateStore';

export type ModelNode =
  | { type: 'model'; entry: ModelEntry }
  | { type: 'file'; entry: ModelEntry; relPath: string; size?: number }
  | { type: 'more'; entry: ModelEntry; count: string };

/** Tree over the state store: model folders at the root, their files as children. */
export class ModelTreeProvider implements vscode.TreeDataProvider<ModelNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ModelNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly store: ModelStateStore,
    private readonly signatureFileName: () => string,
  ) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    if (node.type === 'model') return modelItem(node.entry);
    if (node.type === 'more') {
      const item = new vscode.TreeItem(`… ${node.count} more files`);
      item.contextValue = 'trustlens:more';
      return item;
    }
    return fileItem(node.entry, node.relPath, this.signatureFileName(), node.size);
  }

  async getChildren(node?: ModelNode): Promise<ModelNode[]> {
    if (!node) return this.store.all().map((entry) => ({ type: 'model', entry }));
    if (node.type !== 'model') return [];
    const entry = this.store.get(node.entry.folder) ?? node.entry;
    const { files, truncated } = await listModelFiles(entry.folder.fsPath, 500);
    const nodes: ModelNode[] = files.map((f) => ({ type: 'file', entry, relPath: f.relPath, size: f.size }));
    if (entry.state.kind === 'modified') {
      for (const rel of entry.state.missing) nodes.push({ type: 'file', entry, relPath: rel });
    }
    if (truncated) nodes.push({ type: 'more', entry, count: 'and' });
    return nodes;
  }

  getParent(node: ModelNode): ModelNode | undefined {
    return node.type === 'model' ? undefined : { type: 'model', entry: node.entry };
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function modelItem(e: ModelEntry): vscode.TreeItem {
  const item = new vscode.TreeItem(e.folder, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `model:${e.folder.toString()}`;
  item.label = path.basename(e.folder.fsPath);
  const look = MODEL_LOOK[e.state.kind];
  item.iconPath = themeIcon(look.icon, look.color);
  item.description = describeState(e.state);
  item.tooltip = modelTooltip(e);
  item.contextValue = `trustlens:model:${e.state.kind}`;
  item.accessibilityInformation = { label: `${item.label}: ${item.description}` };
  return item;
}

function fileItem(e: ModelEntry, rel: string, sigName: string, size?: number): vscode.TreeItem {
  const uri = vscode.Uri.joinPath(e.folder, ...rel.split('/'));
  const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
  item.id = `file:${uri.toString()}`;
  item.label = rel;
  const fs = fileState(e.state, rel, sigName);
  const look = FILE_LOOK[fs];
  item.iconPath = themeIcon(look.icon, look.color);
  item.description = [look.text, size !== undefined ? formatSize(size) : ''].filter(Boolean).join(' · ');
  item.contextValue = `trustlens:file:${fs}`;
  if (fs !== 'missing') item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  return item;
}

function modelTooltip(e: ModelEntry): vscode.MarkdownString {
  const s: ModelState = e.state;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${path.basename(e.folder.fsPath)}**: ${describeState(s)}\n\n`);
  md.appendText(e.folder.fsPath + '\n\n');
  if (s.kind === 'verified') {
    md.appendMarkdown(`Signer: \`${s.signer.label}\` (${s.signer.method}${s.signer.issuer ? `, issuer ${s.signer.issuer}` : ''})\n\n`);
    if (s.signedAt) md.appendMarkdown(`Signed: ${s.signedAt}\n\n`);
    md.appendMarkdown(`Verified: ${s.verifiedAt}${s.restored ? ' (restored from cache: run Verify Model to re-hash)' : ''}`);
  } else if (s.kind === 'invalid' || s.kind === 'error') {
    md.appendText(`${s.code}: ${s.message}`);
  } else if (s.kind === 'modified') {
    for (const [label, list] of [['Changed', s.changed], ['Added', s.added], ['Missing', s.missing]] as const) {
      if (list.length) md.appendMarkdown(`${label}: ${list.map((f) => `\`${f}\``).join(', ')}\n\n`);
    }
  } else if (s.kind === 'untrusted') {
    md.appendText(`${s.message}\n\n`);
    md.appendMarkdown(s.hint);
  }
  return md;
}

export function formatSize(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
