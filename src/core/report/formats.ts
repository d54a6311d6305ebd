import type { AiRange } from '../provenance/types';
import { SEVERITIES, type Finding, type Severity } from '../scanning/finding';
import type { ReportFile } from './sarif';

/** Counts of findings per severity, plus files scanned. */
export interface ScanSummary {
  filesScanned: number;
  filesWithFindings: number;
  truncated: string[];
  bySeverity: Record<Severity, number>;
}

export function summarize(files: readonly ReportFile[], filesScanned: number, truncated: string[] = []): ScanSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of files) for (const x of f.findings) bySeverity[x.severity]++;
  return { filesScanned, filesWithFindings: files.filter((f) => f.findings.length > 0).length, truncated, bySeverity };
}

function aiLabel(ai: AiRange | undefined): string {
  if (!ai) return '';
  return ` [AI: ${ai.tool ?? 'unknown assistant'} via ${ai.source}]`;
}

/** Compiler-style text: `path:line:col: severity rule (CWE) message [AI …]`, then a summary. */
export function formatText(files: readonly ReportFile[], summary: ScanSummary): string {
  const out: string[] = [];
  for (const file of files) {
    file.findings.forEach((f: Finding, i) => {
      const ai = file.provenance?.[i];
      out.push(`${file.path}:${f.range.startLine + 1}:${f.range.startCol + 1}: ${f.severity} ${f.ruleId} (${f.cwe}) ${f.message}${aiLabel(ai)}`);
      if (f.flow) out.push(`    flow: ${f.flow.source} (line ${f.flow.sourceRange.startLine + 1}) -> ${f.flow.sink}`);
      if (ai) out.push(`    provenance: ${ai.evidence}`);
    });
  }
  const counts = SEVERITIES.slice()
    .reverse()
    .filter((s) => summary.bySeverity[s] > 0)
    .map((s) => `${summary.bySeverity[s]} ${s}`)
    .join(', ');
  const total = Object.values(summary.bySeverity).reduce((a, b) => a + b, 0);
  out.push(`${total} finding${total === 1 ? '' : 's'}${counts ? ` (${counts})` : ''} in ${summary.filesWithFindings} of ${summary.filesScanned} file${summary.filesScanned === 1 ? '' : 's'} scanned.`);
  for (const t of summary.truncated) out.push(`warning: ${t}: scan hit the time budget; results are partial.`);
  return out.join('\n') + '\n';
}

/** Machine-readable JSON (stable field names; version bumps on incompatible change). */
export function formatJson(files: readonly ReportFile[], summary: ScanSummary, version: string): string {
  return (
    JSON.stringify(
      {
        tool: 'trustlens',
        version,
        formatVersion: 1,
        summary,
        files: files
          .filter((f) => f.findings.length > 0)
          .map((f) => ({
            path: f.path,
            findings: f.findings.map((x, i) => {
              const ai = f.provenance?.[i];
              return {
                ...x,
                ...(ai ? { ai: { source: ai.source, tool: ai.tool, evidence: ai.evidence, at: ai.at?.toISOString(), range: ai.range } } : {}),
              };
            }),
          })),
      },
      null,
      2,
    ) + '\n'
  );
}
