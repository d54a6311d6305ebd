import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import type { CliCommand, CliIO } from '../command';
import { ExitCode, UsageError } from '../command';
import { aiRangeAtLine, gitTopLevel, WorkspaceProvenance, type AiRange } from '../../core/provenance';
import { collectFiles } from '../../core/report/files';
import { formatJson, formatText, summarize } from '../../core/report/formats';
import { atLeast, buildSarif, type ReportFile } from '../../core/report/sarif';
import { createScanner, languageForPath, RULES, SEVERITIES, type Finding, type Severity } from '../../core/scanning';

const USAGE = `Usage: trustlens scan PATH... [options]

Scans source files for CWE-tagged weaknesses (Python, JS/TS, Java, Go, C/C++, Ruby, PHP, Rust,
C#). Folders respect .gitignore (git's own rules inside a repository) and skip node_modules,
.git and virtualenvs; a file named explicitly is always scanned.

Options:
  --format text|json|sarif   output format (default text); sarif is SARIF 2.1.0 for GitHub code scanning
  --output FILE              write the report to FILE instead of stdout
  --ai-only                  report only findings in AI-generated code (evidence: Agent Trace /
                             TrustLens hook records, git-ai notes, git blame + AI commit trailers,
                             saved marks in .trustlens/ai-ranges.json, @ai-generated marker comments)
  --provenance               keep every finding but tag those in AI-generated code (JSON "ai", SARIF
                             result properties aiGenerated/aiTool/aiSource/aiEvidence)
  --min-severity S           report findings at or above S (info|low|medium|high|critical; default low,
                             like the editor: info findings are robustness hints, not weaknesses)
  --fail-on S|none           exit 1 when a reported finding is at or above S (default high)
  --time-budget MS           per-file scan budget in ms (default 10000); cut-short files are reported
Paths in the report are relative to the git repository root (or the current folder outside git).
Exit codes: 0 no findings at the --fail-on level, 1 such findings, 2 usage or input error.`;

const OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string' },
  'ai-only': { type: 'boolean' },
  provenance: { type: 'boolean' },
  'min-severity': { type: 'string' },
  'fail-on': { type: 'string' },
  'time-budget': { type: 'string' },
} as const;

function severityOption(name: string, value: string | undefined, fallback: Severity): Severity {
  if (value === undefined) return fallback;
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new UsageError(`--${name} must be one of ${SEVERITIES.join(', ')} (got '${value}')`);
}

/** Largest file scanned; bigger files are generated or data, and reported as skipped. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length === 0) throw new UsageError('give at least one file or folder to scan');
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif (got '${format}')`);
  const minSeverity = severityOption('min-severity', values['min-severity'], 'low');
  const failOn = values['fail-on'] === 'none' ? undefined : severityOption('fail-on', values['fail-on'], 'high');
  const budget = values['time-budget'] === undefined ? 10_000 : Number(values['time-budget']);
  if (!Number.isInteger(budget) || budget <= 0) throw new UsageError(`--time-budget must be a positive number of milliseconds`);

  const root = (await gitTopLevel(io.cwd)) ?? io.cwd;
  const files = await collectFiles(positionals, {
    cwd: io.cwd,
    root,
    accept: (f) => {
      const ok = languageForPath(f) !== undefined;
      if (!ok && positionals.some((p) => path.resolve(io.cwd, p) === f)) io.err(`trustlens scan: skipping ${f}: not a supported language\n`);
      return ok;
    },
  });
  const aiOnly = values['ai-only'] === true;
  const provenance = aiOnly || values.provenance ? new WorkspaceProvenance(root) : undefined;
  const scanner = createScanner();
  const reports: ReportFile[] = [];
  const truncated: string[] = [];
  let failures = 0;
  try {
    for (const file of files) {
      let text: string;
      try {
        const st = await fs.stat(file.abs);
        if (!st.isFile()) continue; // e.g. a submodule listed by git ls-files
        if (st.size > MAX_FILE_BYTES) {
          io.err(`trustlens scan: skipping ${file.rel}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB\n`);
          continue;
        }
        text = await fs.readFile(file.abs, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // listed by git but deleted
        failures++;
        io.err(`trustlens scan: cannot read ${file.rel}: ${(e as Error).message}\n`);
        continue;
      }
      if (text.includes('\0')) continue; // binary
      const result = await scanner.scan(text, languageForPath(file.abs)!, { timeBudgetMs: budget, minSeverity });
      if (result.truncated) truncated.push(file.rel);
      let findings: Finding[] = result.findings;
      let ai: Array<AiRange | undefined> | undefined;
      if (provenance && findings.length > 0) {
        const ranges = await provenance.aiRanges(file.abs, text);
        const tagged = findings.map((f) => ({ f, a: aiRangeAtLine(ranges, f.range.startLine) })).filter((x) => !aiOnly || x.a);
        findings = tagged.map((x) => x.f);
        ai = tagged.map((x) => x.a);
      }
      reports.push({ path: file.rel, findings, ...(ai ? { provenance: ai } : {}), lines: findings.length ? text.split(/\r\n|\r|\n/) : [] });
    }
  } finally {
    scanner.dispose();
  }
  const gitSkipped = provenance && (await provenance.gitSkipReason());
  if (gitSkipped) io.err(`trustlens scan: warning: ${gitSkipped}\n`);
  if (provenance) for (const p of await provenance.recordProblems()) io.err(`trustlens scan: ignored ${p.file ?? 'record'} line ${p.line}: ${p.message}\n`);

  const summary = summarize(reports, files.length, truncated);
  const withFindings = reports.filter((r) => r.findings.length > 0);
  const report =
    format === 'sarif'
      ? JSON.stringify(buildSarif({ version, rules: RULES, files: withFindings, truncated }), null, 2) + '\n'
      : format === 'json'
        ? formatJson(withFindings, summary, version)
        : formatText(withFindings, summary);
  if (values.output) {
    await fs.writeFile(path.resolve(io.cwd, values.output), report, 'utf8');
    if (format !== 'text') io.err(formatText([], summary).trimEnd().split('\n').slice(-1 - truncated.length).join('\n') + '\n');
  } else io.out(report);
  if (format !== 'text' && !values.output) for (const t of truncated) io.err(`trustlens scan: warning: ${t}: scan hit the time budget; results are partial\n`);

  if (failures > 0) return ExitCode.Usage;
  const failing = failOn ? withFindings.some((r) => r.findings.some((f) => atLeast(f.severity, failOn))) : false;
  return failing ? ExitCode.Failed : ExitCode.Ok;
}

/** `trustlens scan`: the AI code lens's checks from the command line, with SARIF for CI. */
export const scanCommand: CliCommand = {
  name: 'scan',
  summary: 'scan source files for CWE-tagged weaknesses (text, JSON or SARIF; --ai-only)',
  usage: USAGE,
  run,
};
