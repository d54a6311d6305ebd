import * as vscode from 'vscode';
import { diagnosticLevelFor, type ShownFinding } from '../../core/review';
import type { Range } from '../../core/scanning';
import type { AiRange } from '../../core/provenance';

const LEVEL = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
} as const;

export const DIAGNOSTIC_SOURCE = 'TrustLens';

export const toVsRange = (r: Range) => new vscode.Range(r.startLine, r.startCol, r.endLine, r.endCol);

/**
 * The finding a TrustLens diagnostic was made from. Diagnostics handed back to providers are
 * copies, so the match is by source, range and CWE code.
 */
export function findingForDiagnostic(d: vscode.Diagnostic, shown: readonly ShownFinding<AiRange>[]): ShownFinding<AiRange> | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
  return shown.find((s) => s.finding.cwe === code && toVsRange(s.finding.range).isEqual(d.range));
}

const helpUris = new Map<string, vscode.Uri>();
function helpUri(url: string): vscode.Uri {
  let u = helpUris.get(url);
  if (!u) helpUris.set(url, (u = vscode.Uri.parse(url)));
  return u;
}

/** One diagnostic per shown finding: CWE as a clickable code, severity after the policy, AI note. */
export function toDiagnostic(s: ShownFinding<AiRange>): vscode.Diagnostic {
  const f = s.finding;
  const ai = s.ai ? ` [AI-generated code${s.ai.tool ? `: ${s.ai.tool}` : ''}]` : '';
  const d = new vscode.Diagnostic(toVsRange(f.range), `${f.message}${ai}`, LEVEL[diagnosticLevelFor(s.severity)]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: f.cwe, target: helpUri(f.helpUrl) };
  if (f.flow) d.message += ` (${f.flow.source} reaches ${f.flow.sink})`;
  return d;
}
