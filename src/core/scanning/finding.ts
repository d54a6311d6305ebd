/** Severity of a finding, lowest first. */
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** 0-based, end-exclusive columns, like LSP / VS Code ranges. */
export interface Range {
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
}

/** A mechanical fix: replace `range` with `newText`. */
export interface FixEdit {
  title: string;
  range: Range;
  newText: string;
}

/** One weakness found in one document. Plain data: adapters map it to diagnostics, lenses, SARIF. */
export interface Finding {
  ruleId: string;
  /** e.g. "CWE-502" */
  cwe: string;
  severity: Severity;
  message: string;
  /** Short "why", tied to the OpenSSF guidance. */
  why: string;
  /** CWE page. */
  helpUrl: string;
  range: Range;
  /** For data-flow findings: which source reached which sink. */
  flow?: { source: string; sourceRange: Range; sink: string };
  fixes?: FixEdit[];
}
