import * as vscode from 'vscode';
import * as path from 'node:path';
import { fileState, describeState } from './modelState';
import { FILE_LOOK, MODEL_LOOK } from './presentation';
import type { ModelEntry, ModelStateStore } from './stateStore';

/**
 * One FileDecorationProvider for the Explorer and the Models view (tree items carry resourceUri).
 * Decorations live in a map; only URIs whose decoration changed are fired.
 */
export class SigningDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private decorations = new Map<string, vscode.FileDecoration>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.emitter.event;

  constructor(
    private readonly store: ModelStateStore,
    private readonly options: () => { showUnsigned: boolean; signatureFileName: string },
  ) {}

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    return this.decorations.get(uri.toString());
  }

  /** Recomputes every decoration and fires the URIs whose decoration appeared, changed or went away. */
  refresh(): void {
    const next = new Map<string, vscode.FileDecoration>();
    for (const e of this.store.all()) this.decorate(e, next);
    const changed: vscode.Uri[] = [];
    for (const [k, d] of next) {
      const old = this.decorations.get(k);
      if (!old || old.badge !== d.badge || old.tooltip !== d.tooltip) changed.push(vscode.Uri.parse(k));
    }
    for (const k of this.decorations.keys()) if (!next.has(k)) changed.push(vscode.Uri.parse(k));
    this.decorations = next;
    if (changed.length) this.emitter.fire(changed);
  }

  private decorate(e: ModelEntry, out: Map<string, vscode.FileDecoration>): void {
    const { showUnsigned, signatureFileName } = this.options();
    const s = e.state;
    if (s.kind === 'unsigned' && !showUnsigned) return;
    const look = MODEL_LOOK[s.kind];
    if (look.badge) {
      out.set(e.folder.toString(), deco(look.badge, `${look.tooltip}: ${describeState(s)}`, look.color));
    }
    // Files: the ones the state names (modified) or, for verified/invalid models, the signed files we know of.
    const rels = new Set<string>(Object.keys(e.snapshot ?? {}));
    if (s.kind === 'modified') for (const r of [...s.changed, ...s.added, ...s.missing]) rels.add(r);
    for (const rel of rels) {
      const fs = fileState(s, rel, signatureFileName);
      const fl = FILE_LOOK[fs];
      if (!fl.badge || (fs === 'unsigned' && !showUnsigned)) continue;
      out.set(vscode.Uri.joinPath(e.folder, ...rel.split('/')).toString(), deco(fl.badge, `TrustLens: ${path.posix.basename(rel)} ${fl.text}`, fl.color));
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function deco(badge: string, tooltip: string, color?: string): vscode.FileDecoration {
  const d = new vscode.FileDecoration(badge, tooltip, color ? new vscode.ThemeColor(color) : undefined);
  d.propagate = false;
  return d;
}
