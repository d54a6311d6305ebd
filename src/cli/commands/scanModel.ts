import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command';
import { ExitCode, UsageError } from '../command';
import { isCancellation, TrustLensError } from '../../core/errors';
import {
  scanModelFile,
  scanModelFolder,
  verdictRank,
  worstVerdict,
  type FileSafetyReport,
  type SafetyLocation,
  type SafetyVerdict,
} from '../../core/modelsafety';

const USAGE = `Usage: trustlens scan-model PATH... [options]

Checks whether model files are safe to load, without loading them: pickle-based formats
(.pkl .pt .pth .bin .ckpt .joblib .dill, PyTorch zip/legacy archives, .npy/.npz object arrays),
Keras (.keras, legacy .h5) and the headers of safetensors and GGUF files. A directory is
searched for model files. Verdicts: safe, unknown (could not be checked completely),
suspicious (not on the allowlist), dangerous (code execution, I/O, or a malformed header).

Options:
  --json                 print a JSON report
  --fail-on LEVEL        exit 1 when any file is at least LEVEL: dangerous (default), suspicious, unknown
  --all                  also list the globals that are on the allowlist

Exit codes: 0 nothing at the --fail-on level, 1 something is, 2 usage or input error.`;

const LEVELS: SafetyVerdict[] = ['unknown', 'suspicious', 'dangerous'];

function where(loc: SafetyLocation | undefined): string {
  if (!loc) return '';
  return ` @ ${loc.member ? `${loc.member}+` : ''}0x${loc.offset.toString(16)}`;
}

function renderText(r: FileSafetyReport, all: boolean, cwd: string): string {
  const rel = path.relative(cwd, r.path) || r.path;
  const lines = [`${r.verdict.toUpperCase().padEnd(10)} ${rel}  [${r.format}]  ${r.summary}`];
  for (const g of r.globals) {
    if (g.verdict === 'safe' && !all) continue;
    const name = g.resolved ? `${g.module}.${g.name}` : g.module;
    const more = g.count > 1 ? ` (${g.count}x)` : '';
    lines.push(`    ${g.verdict.padEnd(10)} ${name}${where(g.locations[0])}${more} via ${g.opcode}: ${g.reason}`);
  }
  for (const f of r.findings) {
    if (f.verdict === 'safe' && !all) continue;
    lines.push(`    ${f.verdict.padEnd(10)} [${f.code}]${where(f.location)} ${f.message}`);
  }
  return lines.join('\n');
}

/** `trustlens scan-model`: is a model file safe to load? */
export const scanModelCommand: CliCommand = {
  name: 'scan-model',
  summary: 'Check model files are safe to load (pickle, PyTorch, Keras, safetensors, GGUF)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, 'fail-on': { type: 'string' }, all: { type: 'boolean' } },
    });
    if (positionals.length === 0) throw new UsageError('missing PATH');
    const failOn = (values['fail-on'] ?? 'dangerous') as SafetyVerdict;
    if (!LEVELS.includes(failOn)) throw new UsageError(`--fail-on must be one of ${LEVELS.join(', ')}`);
    const files: FileSafetyReport[] = [];
    const skipped: string[] = [];
    const errors: Array<{ path: string; code: string; message: string }> = [];
    for (const p of positionals) {
      const abs = path.resolve(io.cwd, p);
      try {
        const st = await fsp.stat(abs).catch(() => undefined);
        if (st?.isDirectory()) {
          const folder = await scanModelFolder(abs);
          files.push(...folder.files);
          skipped.push(...folder.skipped.map((s) => path.join(p, s)));
        } else files.push(await scanModelFile(abs));
      } catch (e) {
        if (isCancellation(e) || !TrustLensError.is(e)) throw e;
        errors.push({ path: p, code: e.code, message: e.message });
      }
    }
    const worst = worstVerdict(...files.map((f) => f.verdict));
    const counts = { dangerous: 0, suspicious: 0, unknown: 0, safe: 0 } as Record<SafetyVerdict, number>;
    for (const f of files) counts[f.verdict]++;
    if (values.json) {
      io.out(JSON.stringify({ worst, counts, files, skipped, errors }, null, 2) + '\n');
    } else {
      for (const f of files) io.out(renderText(f, values.all === true, io.cwd) + '\n');
      for (const e of errors) io.err(`trustlens scan-model: ${e.path}: [${e.code}] ${e.message}\n`);
      io.out(`\n${files.length} file(s): ${counts.dangerous} dangerous, ${counts.suspicious} suspicious, ${counts.unknown} unknown, ${counts.safe} safe\n`);
    }
    if (errors.length) return ExitCode.Usage;
    return files.length && verdictRank(worst) >= verdictRank(failOn) ? ExitCode.Failed : ExitCode.Ok;
  },
};
