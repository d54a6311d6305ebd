import * as vscode from 'vscode';
import type { FindingsController } from './findingsController';
import { toVsRange } from './diagnostics';
import { findingMarkdown } from './explain';
import { CMD_EXPLAIN } from './codeLensProvider';

/** Hover on a flagged range: the why, the OpenSSF guidance line, the data flow and the fix. */
export class FindingsHoverProvider implements vscode.HoverProvider {
  constructor(private readonly findings: FindingsController) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const entry = this.findings.get(doc.uri);
    if (!entry || (entry.version !== -1 && entry.version !== doc.version)) return undefined;
    const hits = entry.report.findings.filter((s) => toVsRange(s.finding.range).contains(pos));
    if (hits.length === 0) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [CMD_EXPLAIN] };
    hits.forEach((s, i) => {
      if (i > 0) md.appendMarkdown('\n\n---\n\n');
      md.appendMarkdown(`$(shield) TrustLens: ${findingMarkdown(s)}`);
    });
    const args = encodeURIComponent(JSON.stringify([doc.uri.toString(), hits[0].finding.range.startLine, !hits[0].ai]));
    md.appendMarkdown(`\n\n[Explain](command:${CMD_EXPLAIN}?${args})`);
    return new vscode.Hover(md, toVsRange(hits[0].finding.range));
  }
}
