import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Bandit's findings per sample id, or why Bandit could not run. */
export type BanditRun =
  | { ok: true; version: string; findings: Map<string, Array<{ severity: string; cwe?: string; testId: string }>> }
  | { ok: false; reason: string };

/** Runs Bandit once over the Python samples (written to a temp folder as `<index>.py`). */
export function runBandit(samples: ReadonlyArray<{ id: string; code: string }>): BanditRun {
  const probe = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { ok: false, reason: 'not installed' };
  const version = /bandit\s+([\d.]+)/i.exec(probe.stdout + probe.stderr)?.[1] ?? '?';
  const dir = mkdtempSync(path.join(tmpdir(), 'tl-bandit-'));
  try {
    const byFile = new Map<string, string>();
    samples.forEach((s, i) => {
      const file = `s${i}.py`;
      byFile.set(file, s.id);
      writeFileSync(path.join(dir, file), s.code);
    });
    const r = spawnSync('bandit', ['-q', '-r', '-f', 'json', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.error) return { ok: false, reason: r.error.message };
    let json: { results?: Array<{ filename: string; issue_severity: string; test_id: string; issue_cwe?: { id?: number } }> };
    try {
      json = JSON.parse(r.stdout);
    } catch {
      return { ok: false, reason: `unreadable output (exit ${r.status}): ${r.stderr.slice(0, 200)}` };
    }
    const findings = new Map<string, Array<{ severity: string; cwe?: string; testId: string }>>();
    for (const res of json.results ?? []) {
      const id = byFile.get(path.basename(res.filename));
      if (!id) continue;
      const list = findings.get(id) ?? [];
      list.push({ severity: res.issue_severity, testId: res.test_id, ...(res.issue_cwe?.id ? { cwe: `CWE-${res.issue_cwe.id}` } : {}) });
      findings.set(id, list);
    }
    return { ok: true, version, findings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
