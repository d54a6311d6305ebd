import * as vscode from 'vscode';
import { describeProvenance, guidanceFor, type ShownFinding, type SnippetReport } from '../../core/review';
import type { AiRange } from '../../core/provenance';

/** Markdown for one finding: what, why, the OpenSSF guidance line, data flow, fix, CWE link. */
export function findingMarkdown(s: ShownFinding<AiRange>, opts: { heading?: string } = {}): string {
  const f = s.finding;
  const g = guidanceFor(f.cwe);
  const lines = [
    `${opts.heading ?? '**'}${escape(f.message)}${opts.heading ? '' : '**'} · [${f.cwe}](${f.helpUrl}) · ${s.severity}${s.severity !== f.severity ? ` (rule: ${f.severity}, raised in AI-generated code)` : ''}`,
    '',
    `**Why:** ${escape(f.why)}`,
    '',
    `**OpenSSF guidance:** _"${escape(g.quote)}"_ (${g.source})`,
  ];
  if (f.flow) lines.push('', `**Data flow:** \`${escape(f.flow.source)}\` (line ${f.flow.sourceRange.startLine + 1}) reaches \`${escape(f.flow.sink)}\``);
  if (f.fixes?.length) {
    lines.push('', `**Fix:** ${escape(f.fixes[0].title)}`);
    if (f.fixes[0].newText.includes('\n')) lines.push('', '```', f.fixes[0].newText, '```');
  }
  if (s.ai) lines.push('', `**AI-generated:** ${escape(describeProvenance(s.ai, Date.now()))}. Evidence: ${escape(s.ai.evidence)}`);
  lines.push('', `_Rule \`${f.ruleId}\`_`);
  return lines.join('\n');
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>]/g, (c) => `\\${c}`);
}

/** Full explanation of a flagged snippet (or of findings outside AI code), as a markdown document. */
export function explanationDocument(file: string, snippet: SnippetReport<AiRange> | undefined, findings: readonly ShownFinding<AiRange>[]): string {
  const out: string[] = [];
  if (snippet) {
    out.push(`# ${snippet.findings.length} security finding${snippet.findings.length === 1 ? '' : 's'} in AI-generated code`, '');
    out.push(`\`${file}\`, lines ${snippet.ai.range.startLine + 1}–${Math.max(snippet.ai.range.startLine + 1, snippet.ai.range.endCol === 0 ? snippet.ai.range.endLine : snippet.ai.range.endLine + 1)}.`, '');
    out.push(`**Why TrustLens believes this is AI-generated:** ${escape(describeProvenance(snippet.ai, Date.now()))}. ${escape(snippet.ai.evidence)}.`, '');
    out.push(snippet.decision ? `**Review:** ${snippet.decision.status}${snippet.decision.reason ? ` (${escape(snippet.decision.reason)})` : ''} on ${snippet.decision.decidedAt}.` : '**Review:** not reviewed yet.', '');
  } else {
    out.push(`# Security findings in \`${file}\``, '');
  }
  for (const s of findings) out.push('---', '', findingMarkdown(s, { heading: '## ' }), '');
  out.push('---', '', '_The OpenSSF guidance for AI-assisted development: review AI-generated changes before accepting them, and verify them with other programs (tests, linters, SAST)._');
  return out.join('\n');
}

/** Virtual documents behind the "Explain" lens: `trustlens-explain:/<name>.md?<key>`. */
export class ExplainContentProvider implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'trustlens-explain';
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  /** Registers `markdown` under a URI and returns it. */
  put(name: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: ExplainContentProvider.scheme, path: `/${name.replace(/[^\w.-]+/g, '_')}.md` });
    this.docs.set(uri.toString(), markdown);
    this.emitter.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
