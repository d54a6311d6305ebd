/**
 * Collects what the format readers find in one file (globals, findings) into a FileSafetyReport:
 * deduplicates globals, classifies them with the policy and derives the verdict and summary.
 */
import { classifyGlobal } from './policy';
import type { FileSafetyReport, ImportedGlobal, ModelFormat, SafetyFinding, SafetyLocation, SafetyVerdict } from './types';
import { verdictRank, worstVerdict } from './verdict';

const MAX_LOCATIONS = 16;
const MAX_FINDINGS = 200;
/** Distinct globals listed; beyond this they are still classified and counted, not stored. */
const MAX_GLOBALS = 10_000;

/** Mutable accumulator for one file's scan. */
export class ReportBuilder {
  format: ModelFormat = 'unknown';
  private readonly globals = new Map<string, ImportedGlobal>();
  private readonly findings: SafetyFinding[] = [];
  private droppedFindings = 0;
  private overflowCount = 0;
  private overflowWorst: SafetyVerdict = 'safe';
  /** Bytes read from disk (set by the entry point). */
  bytesRead = 0;

  constructor(
    readonly path: string,
    readonly size: number,
  ) {}

  /** Records one imported global at a location. */
  addGlobal(module: string, name: string, opcode: string, resolved: boolean, location: SafetyLocation): void {
    const key = `${module}\n${name}\n${resolved}`;
    let g = this.globals.get(key);
    if (!g) {
      const c = resolved
        ? classifyGlobal(module, name)
        : { verdict: 'dangerous' as const, reason: 'the imported module/name is computed at load time and cannot be checked statically' };
      if (this.globals.size >= MAX_GLOBALS) {
        this.overflowCount++;
        this.overflowWorst = worstVerdict(this.overflowWorst, c.verdict);
        return;
      }
      g = { module, name, verdict: c.verdict, reason: c.reason, opcode, resolved, locations: [], count: 0 };
      this.globals.set(key, g);
    }
    g.count++;
    if (g.locations.length < MAX_LOCATIONS) g.locations.push(location);
  }

  /** Records a finding (deduplicated by code+message+member; capped). */
  addFinding(verdict: SafetyVerdict, code: string, message: string, location?: SafetyLocation): void {
    if (this.findings.some((f) => f.code === code && f.message === message && f.location?.member === location?.member)) return;
    if (this.findings.length >= MAX_FINDINGS) {
      this.droppedFindings++;
      return;
    }
    this.findings.push(location ? { verdict, code, message, location } : { verdict, code, message });
  }

  /** The current worst verdict. */
  verdict(): SafetyVerdict {
    return worstVerdict(this.overflowWorst, ...[...this.globals.values()].map((g) => g.verdict), ...this.findings.map((f) => f.verdict));
  }

  build(durationMs: number): FileSafetyReport {
    const globals = [...this.globals.values()].sort((a, b) => verdictRank(b.verdict) - verdictRank(a.verdict));
    const findings = [...this.findings];
    if (this.overflowCount) {
      findings.push({ verdict: this.overflowWorst, code: 'GLOBALS_CAPPED', message: `${this.overflowCount} more distinct globals not listed (worst: ${this.overflowWorst})` });
    }
    if (this.droppedFindings) findings.push({ verdict: 'safe', code: 'FINDINGS_CAPPED', message: `${this.droppedFindings} more findings not listed` });
    const verdict = this.verdict();
    return {
      path: this.path,
      format: this.format,
      verdict,
      summary: summarize(verdict, globals, findings),
      globals,
      findings,
      size: this.size,
      bytesRead: this.bytesRead,
      durationMs,
    };
  }
}

function summarize(verdict: SafetyVerdict, globals: ImportedGlobal[], findings: SafetyFinding[]): string {
  const bad = globals.filter((g) => g.verdict === verdict && verdict !== 'safe');
  const names = bad.slice(0, 3).map((g) => (g.resolved ? `${g.module}.${g.name}` : 'an unresolvable import'));
  const f = findings.find((x) => x.verdict === verdict);
  switch (verdict) {
    case 'dangerous':
      return names.length ? `imports ${names.join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''}` : (f?.message ?? 'dangerous construct');
    case 'suspicious':
      return names.length ? `imports globals not on the allowlist: ${names.join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''}` : (f?.message ?? 'suspicious construct');
    case 'unknown':
      return f?.message ?? 'could not be checked completely';
    case 'safe':
      return globals.length ? `${globals.length} imported globals, all on the allowlist` : 'no executable content found';
  }
}
