/**
 * `npm run eval`: measures the scanner on the labelled samples in
 * ../shared/eval/insecure-code/dev.jsonl and prints precision and recall per language and per
 * source, sample-level (any finding = predicted vulnerable) and CWE-matched (a finding whose
 * CWE is in the label's family), next to Bandit on the Python samples when Bandit is installed.
 *
 * A measurement, not a gate: missing the targets exits 0; a crash (a scan that throws) exits 1.
 * Missed categories are appended to .tmp/eval-gaps.md for the rule authors.
 *
 * By default the samples are written to a temp folder and scanned by the CLI itself, in process
 * (`trustlens scan DIR --format json`), so file collection and the JSON report are exercised
 * too; `--api` calls the scanner API per sample instead. If the CLI run fails, every sample is
 * re-scanned through the API to name the ones that crash.
 *
 * Options: --data FILE (default the shared dev set), --api, --no-bandit, --no-gaps.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main as cli } from '../../src/cli/main';
import { createScanner, type Finding } from '../../src/core/scanning';
import { runBandit } from './bandit';
import { cweMatches, fmt, precision, recall, tally, zero, type Counts } from './metrics';

interface Sample {
  id: string;
  language: string;
  code: string;
  cwe: string;
  vulnerable: boolean;
  source: string;
  ai_generated?: boolean;
}

const EXTENSION: Record<string, string> = { python: 'py', c: 'c', cpp: 'cpp', java: 'java', javascript: 'js', go: 'go', ruby: 'rb' };

/** Findings per sample index from one in-process `trustlens scan DIR --format json` run. */
async function scanWithCli(samples: readonly Sample[]): Promise<{ findings: Finding[][]; truncated: number; failed?: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tl-eval-'));
  try {
    samples.forEach((s, i) => writeFileSync(path.join(dir, `s${i}.${EXTENSION[s.language] ?? 'txt'}`), s.code));
    let out = '';
    let err = '';
    const code = await cli(['scan', '.', '--format', 'json', '--fail-on', 'none', '--time-budget', '5000'], { out: (t) => void (out += t), err: (t) => void (err += t), cwd: dir });
    if (code !== 0) return { findings: [], truncated: 0, failed: `trustlens scan exited ${code}: ${err.slice(0, 500)}` };
    const report = JSON.parse(out) as { summary: { truncated: string[]; filesScanned: number }; files: Array<{ path: string; findings: Finding[] }> };
    if (report.summary.filesScanned !== samples.length) return { findings: [], truncated: 0, failed: `CLI scanned ${report.summary.filesScanned} of ${samples.length} files` };
    const findings: Finding[][] = samples.map(() => []);
    for (const f of report.files) findings[Number(/^s(\d+)\./.exec(f.path)![1])] = f.findings;
    return { findings, truncated: report.summary.truncated.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ROOT = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const dataArg = args.indexOf('--data');
const DATA = dataArg >= 0 ? path.resolve(args[dataArg + 1]) : path.resolve(ROOT, '..', 'shared', 'eval', 'insecure-code', 'dev.jsonl');
const TARGET_P = 0.9;
const TARGET_R = 0.7;

/** Bandit < 1.7.3 reports no CWE: the CWE its own later versions give for these tests. */
const BANDIT_CWE: Record<string, string> = {
  B102: 'CWE-78', B103: 'CWE-732', B104: 'CWE-605', B105: 'CWE-259', B106: 'CWE-259', B107: 'CWE-259', B108: 'CWE-377',
  B201: 'CWE-94', B202: 'CWE-22', B301: 'CWE-502', B302: 'CWE-502', B303: 'CWE-327', B304: 'CWE-327', B305: 'CWE-327',
  B306: 'CWE-377', B307: 'CWE-78', B310: 'CWE-22', B311: 'CWE-330', B312: 'CWE-319', B321: 'CWE-319', B323: 'CWE-295',
  B324: 'CWE-327', B403: 'CWE-502', B413: 'CWE-327', B501: 'CWE-295', B502: 'CWE-327', B503: 'CWE-327', B504: 'CWE-327',
  B505: 'CWE-326', B506: 'CWE-20', B507: 'CWE-295', B601: 'CWE-78', B602: 'CWE-78', B603: 'CWE-78', B604: 'CWE-78',
  B605: 'CWE-78', B606: 'CWE-78', B607: 'CWE-78', B608: 'CWE-89', B609: 'CWE-78', B610: 'CWE-89', B611: 'CWE-89',
  B614: 'CWE-502', B615: 'CWE-494', B701: 'CWE-94', B702: 'CWE-80', B703: 'CWE-80',
};

interface Groups {
  sample: Map<string, Counts>;
  cwe: Map<string, Counts>;
}

function add(groups: Groups, keys: string[], s: Sample, predicted: boolean, matched: boolean): void {
  for (const k of keys) {
    tally(groups.sample.get(k) ?? groups.sample.set(k, zero()).get(k)!, s.vulnerable, predicted);
    tally(groups.cwe.get(k) ?? groups.cwe.set(k, zero()).get(k)!, s.vulnerable, matched);
  }
}

function table(title: string, groups: Groups, keys: string[], targets: boolean): string {
  const w = Math.max(10, ...keys.map((k) => k.length));
  const head = `${'group'.padEnd(w)}  vuln  safe |  TP  FP  FN  TN   P     R   | CWE: TP  FP  FN   P     R  ${targets ? '| target' : ''}`;
  const lines = [title, head, '-'.repeat(head.length)];
  for (const k of keys) {
    const s = groups.sample.get(k)!;
    const c = groups.cwe.get(k)!;
    const neg = s.fp + s.tn;
    const mark = (x: Counts) => {
      const p = precision(x);
      const r = recall(x);
      return (p === undefined || p >= TARGET_P) && (r ?? 0) >= TARGET_R ? 'ok' : 'MISS';
    };
    const target = targets ? `| ${neg > 0 ? `${mark(s)}/${mark(c)}` : 'no negatives'}` : '';
    lines.push(
      `${k.padEnd(w)}  ${String(s.tp + s.fn).padStart(4)}  ${String(neg).padStart(4)} | ${[s.tp, s.fp, s.fn, s.tn].map((n) => String(n).padStart(3)).join(' ')} ${fmt(precision(s))} ${fmt(recall(s))} |     ${[c.tp, c.fp, c.fn].map((n) => String(n).padStart(3)).join(' ')} ${fmt(precision(c))} ${fmt(recall(c))} ${target}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  if (!existsSync(DATA)) {
    console.error(`eval: data set not found: ${DATA}`);
    return 1;
  }
  const samples: Sample[] = readFileSync(DATA, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Sample);
  const groups: Groups = { sample: new Map(), cwe: new Map() };
  const crashes: string[] = [];
  const missed = new Map<string, string[]>();
  const falseAlarms = new Map<string, string[]>();
  let truncated = 0;
  const t0 = performance.now();
  let results: Array<Finding[] | undefined> = [];
  let mode = 'CLI (in-process trustlens scan --format json)';
  const viaCli = args.includes('--api') ? undefined : await scanWithCli(samples);
  if (viaCli && !viaCli.failed) {
    results = viaCli.findings;
    truncated = viaCli.truncated;
  } else {
    if (viaCli?.failed) crashes.push(viaCli.failed);
    mode = 'scanner API';
    const scanner = createScanner();
    for (const s of samples) {
      try {
        const r = await scanner.scan(s.code, s.language, { timeBudgetMs: 5000 });
        if (r.truncated) truncated++;
        results.push(r.findings);
      } catch (e) {
        crashes.push(`${s.id}: ${(e as Error)?.stack ?? String(e)}`);
        results.push(undefined);
      }
    }
    scanner.dispose();
  }
  samples.forEach((s, i) => {
    const findings = results[i];
    if (!findings) return;
    const predicted = findings.length > 0;
    const matched = findings.some((f) => cweMatches(f.cwe, s.cwe));
    const source = s.source.replace(/\s*\(.*\)\s*$/, ''); // drop the long parenthesised note
    add(groups, [`lang:${s.language}`, `src:${source}`, `${source} / ${s.language}`, 'ALL', ...(s.ai_generated ? ['AI-generated slice'] : [])], s, predicted, matched);
    if (s.vulnerable && !matched) {
      const k = `${s.language} ${s.cwe}${predicted ? ` (found other CWEs: ${[...new Set(findings.map((f) => f.cwe))].join(',')})` : ''}`;
      (missed.get(k) ?? missed.set(k, []).get(k)!).push(s.id);
    }
    if (!s.vulnerable && predicted) {
      for (const rule of new Set(findings.map((f) => `${f.ruleId} (${f.cwe})`))) {
        const k = `${s.language} ${rule} on safe ${s.cwe} sample`;
        (falseAlarms.get(k) ?? falseAlarms.set(k, []).get(k)!).push(s.id);
      }
    }
  });
  const wall = performance.now() - t0;

  const keys = [...groups.sample.keys()];
  const langs = keys.filter((k) => k.startsWith('lang:')).sort();
  const srcs = keys.filter((k) => k.startsWith('src:')).sort();
  const cross = keys.filter((k) => k.includes(' / ')).sort();
  console.log(`TrustLens eval on ${path.relative(process.cwd(), DATA)} via the ${mode}: ${samples.length} samples, ${(wall / 1000).toFixed(1)} s, ${truncated} cut short by the time budget, ${crashes.length} crashes`);
  console.log(`targets per language with negatives: precision >= ${TARGET_P}, recall >= ${TARGET_R} (target column: sample-level/CWE-matched)\n`);
  console.log(table('Per language', groups, [...langs, 'ALL', ...(groups.sample.has('AI-generated slice') ? ['AI-generated slice'] : [])], true) + '\n');
  console.log(table('Per source (CyberSecEval labels are detector-made and positive-only: recall only)', groups, srcs, false) + '\n');
  console.log(table('Per source and language', groups, cross, false) + '\n');

  if (!args.includes('--no-bandit')) {
    const py = samples.filter((s) => s.language === 'python');
    const b = runBandit(py);
    if (!b.ok) console.log(`bandit: ${b.reason}\n`);
    else {
      const cmp: Groups = { sample: new Map(), cwe: new Map() };
      for (const s of py) {
        const all = b.findings.get(s.id) ?? [];
        const medHigh = all.filter((f) => f.severity !== 'LOW');
        const cweOf = (f: { cwe?: string; testId: string }) => f.cwe ?? BANDIT_CWE[f.testId] ?? '';
        add(cmp, ['bandit all severities'], s, all.length > 0, all.some((f) => cweMatches(cweOf(f), s.cwe)));
        add(cmp, ['bandit medium+high'], s, medHigh.length > 0, medHigh.some((f) => cweMatches(cweOf(f), s.cwe)));
      }
      for (const k of ['sample', 'cwe'] as const) {
        cmp[k].set('trustlens', groups[k].get('lang:python') ?? zero());
      }
      console.log(table(`Python: TrustLens vs Bandit ${b.version} (CWE from Bandit, or its later versions' id map when it reports none)`, cmp, ['trustlens', 'bandit all severities', 'bandit medium+high'], false) + '\n');
    }
  }

  if (!args.includes('--no-gaps')) {
    const dir = path.join(ROOT, '.tmp');
    mkdirSync(dir, { recursive: true });
    const top = (m: Map<string, string[]>) =>
      [...m.entries()]
        .sort((a, b) => b[1].length - a[1].length)
        .slice(0, 40)
        .map(([k, ids]) => `- ${k}: ${ids.length} (e.g. ${ids.slice(0, 3).join(', ')})`)
        .join('\n');
    appendFileSync(
      path.join(dir, 'eval-gaps.md'),
      `\n## eval run ${new Date().toISOString()} (written by npm run eval, for the rule authors)\n\nMissed vulnerable samples (no finding in the label's CWE family), by language and CWE:\n${top(missed)}\n\nFalse alarms on secure samples, by rule:\n${top(falseAlarms)}\n`,
    );
    console.log(`gaps appended to ${path.relative(process.cwd(), path.join(dir, 'eval-gaps.md'))}`);
  }

  if (crashes.length) {
    console.error(`\n${crashes.length} scan(s) crashed:\n${crashes.slice(0, 10).join('\n')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
