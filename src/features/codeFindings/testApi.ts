import * as vscode from 'vscode';
import type { ReviewController } from '../aiReview/reviewController';
import type { ProvenanceService } from '../provenance/provenanceService';
import type { FindingsController } from './findingsController';

/** What the real-host e2e tests read (exported as `api.aiCode`); plain data only. Not a public API. */
export interface AiCodeTestApi {
  /** The report of `uri` once its findings belong to `minVersion` or later. */
  report(uri: string): { version: number; truncated: boolean; findings: Array<{ ruleId: string; cwe: string; severity: string; line: number; inAi: boolean; fixes: string[] }> } | undefined;
  aiRanges(uri: string): Promise<Array<{ startLine: number; endLine: number; source: string; tool?: string; evidence: string }>>;
  /** The review view's snippets (same as the `trustlens.aiReview.snapshot` command). */
  snippets(): Promise<unknown[]>;
  /** The status-bar text, undefined when hidden. */
  statusText(): string | undefined;
}

export function createAiCodeTestApi(findings: FindingsController, provenance: ProvenanceService, review: ReviewController): AiCodeTestApi {
  return {
    report(uri) {
      const e = findings.get(vscode.Uri.parse(uri));
      return (
        e && {
          version: e.version,
          truncated: e.truncated,
          findings: e.report.findings.map((s) => ({
            ruleId: s.finding.ruleId,
            cwe: s.finding.cwe,
            severity: s.severity,
            line: s.finding.range.startLine,
            inAi: s.ai !== undefined,
            fixes: (s.finding.fixes ?? []).map((f) => f.title),
          })),
        }
      );
    },
    async aiRanges(uri) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      if (!doc) return [];
      return (await provenance.rangesForAsync(doc)).map((r) => ({ startLine: r.range.startLine, endLine: r.range.endLine, source: r.source, tool: r.tool, evidence: r.evidence }));
    },
    async snippets() {
      return (await vscode.commands.executeCommand<unknown[]>('trustlens.aiReview.snapshot')) ?? [];
    },
    statusText() {
      return review.statusText();
    },
  };
}
