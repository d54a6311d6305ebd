import * as vscode from 'vscode';
import { DisposableBase } from '../../vscode/lifecycle';
import type { ProvenanceService } from '../provenance/provenanceService';
import { CMD_EXPLAIN } from './codeLensProvider';
import { explanationDocument, ExplainContentProvider } from './explain';
import type { FindingsController } from './findingsController';

/** Explain, rescan, mark/clear AI-generated selection. */
export class FindingsCommands extends DisposableBase {
  private readonly explainDocs = this.register(new ExplainContentProvider());

  constructor(findings: FindingsController, provenance: ProvenanceService) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(ExplainContentProvider.scheme, this.explainDocs));
    this.register(
      vscode.commands.registerCommand(CMD_EXPLAIN, async (uriArg?: string, line?: number, outsideAi?: boolean) => {
        const uri = uriArg ? vscode.Uri.parse(uriArg) : vscode.window.activeTextEditor?.document.uri;
        const entry = uri && findings.get(uri);
        if (!uri || !entry) return void vscode.window.showInformationMessage('TrustLens: no security findings in this file.');
        const cursor = line ?? vscode.window.activeTextEditor?.selection.active.line ?? 0;
        const snippet = outsideAi ? undefined : entry.report.snippets.find((s) => s.ai.range.startLine === cursor) ?? entry.report.snippets.find((s) => s.findings.some((f) => f.finding.range.startLine === cursor));
        const shown = snippet ? snippet.findings : entry.report.findings.filter((f) => f.finding.range.startLine === cursor);
        const file = vscode.workspace.asRelativePath(uri);
        const md = explanationDocument(file, snippet, shown.length ? shown : entry.report.findings);
        const doc = this.explainDocs.put(`TrustLens ${file.replace(/[\\/]/g, '_')} L${cursor + 1}`, md);
        // The markdown preview is the readable form; fall back to the raw text where it is absent.
        try {
          await vscode.commands.executeCommand('markdown.showPreviewToSide', doc);
        } catch {
          await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
        }
        return md;
      }),
    );
    this.register(
      vscode.commands.registerCommand('trustlens.findings.rescan', async () => {
        const doc = vscode.window.activeTextEditor?.document;
        if (!doc) return undefined;
        if (!findings.wants(doc)) {
          void vscode.window.showInformationMessage(`TrustLens: ${doc.languageId} files are not scanned (see the trustlens.findings.* settings).`);
          return undefined;
        }
        const result = await findings.scanNow(doc);
        return result && { findings: result.report.findings.length, snippets: result.report.snippets.length, truncated: result.truncated };
      }),
    );
    this.register(
      vscode.commands.registerCommand('trustlens.markSelectionAsAi', () => {
        const editor = vscode.window.activeTextEditor;
        if (!editor) return;
        for (const sel of editor.selections) if (!sel.isEmpty) provenance.mark(editor.document, sel);
      }),
    );
    this.register(
      vscode.commands.registerCommand('trustlens.clearAiMarks', () => {
        const editor = vscode.window.activeTextEditor;
        if (!editor) return;
        const n = editor.selections.reduce((sum, sel) => sum + provenance.clear(editor.document, sel), 0);
        void vscode.window.showInformationMessage(n ? `TrustLens: cleared ${n} AI-generated range(s).` : 'TrustLens: the selection holds no live-edit or marked AI range (git, record and marker evidence cannot be cleared here).');
      }),
    );
  }
}
