import * as vscode from 'vscode';
import { statusText, summarize } from './modelState';
import type { ModelStateStore } from './stateStore';
import { ViewId } from './ids';

/** `✓ 3 ✗ 1 ! 1` for the workspace's models; click opens the Models view. Hidden when there are none. */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('trustlens.models.status', vscode.StatusBarAlignment.Left, 50);

  constructor(private readonly store: ModelStateStore) {
    this.item.name = 'TrustLens Models';
    this.item.command = `${ViewId.models}.focus`;
  }

  update(): void {
    const entries = this.store.all();
    const signed = entries.filter((e) => e.state.kind !== 'unsigned');
    if (signed.length === 0) {
      this.item.hide();
      return;
    }
    const c = summarize(entries.map((e) => e.state));
    this.item.text = `$(shield) ${statusText(c)}`;
    this.item.tooltip = `TrustLens models: ${c.verified} verified, ${c.failed} invalid or modified, ${c.attention} signer not trusted, ${c.unsigned} unsigned`;
    this.item.backgroundColor = c.failed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
