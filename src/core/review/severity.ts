import { SEVERITIES, type Finding, type Severity } from '../scanning/finding';

/** How a finding's severity is adjusted before it is shown. */
export interface SeverityPolicy {
  /** Findings below this are not shown at all. */
  minimumSeverity: Severity;
  /** Raise findings inside AI-generated ranges by one step (medium -> high…, capped at critical). */
  raiseInAiCode: boolean;
  /** Per rule id or CWE id (e.g. "CWE-502") severity replacement; rule id wins over CWE. */
  overrides: Readonly<Record<string, Severity>>;
}

/** Index of a severity in SEVERITIES (info = 0 … critical = 4). */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** True when `s` is at least `min`. */
export function atLeast(s: Severity, min: Severity): boolean {
  return severityRank(s) >= severityRank(min);
}

/**
 * The severity to show for `finding`: override (rule id, then CWE) first, then the one-step raise
 * for AI-generated code. Returns undefined when the result is below the policy's minimum.
 */
export function effectiveSeverity(finding: Pick<Finding, 'ruleId' | 'cwe' | 'severity'>, inAiRange: boolean, policy: SeverityPolicy): Severity | undefined {
  let s = policy.overrides[finding.ruleId] ?? policy.overrides[finding.cwe] ?? finding.severity;
  if (inAiRange && policy.raiseInAiCode) s = SEVERITIES[Math.min(severityRank(s) + 1, SEVERITIES.length - 1)];
  return atLeast(s, policy.minimumSeverity) ? s : undefined;
}

/** Host-neutral diagnostic level; adapters map it to their own enum. */
export type DiagnosticLevel = 'error' | 'warning' | 'information' | 'hint';

/** critical/high -> error, medium -> warning, low -> information, info -> hint. */
export function diagnosticLevelFor(s: Severity): DiagnosticLevel {
  switch (s) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    case 'low':
      return 'information';
    default:
      return 'hint';
  }
}
