import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../../../src/cli/main';
import { createScanner, type Scanner } from '../../../../src/core/scanning/index';

/**
 * Reporting policy: robustness hints (a missing NULL check after malloc, `n * sizeof(T)` with a
 * local count) are `info`, below the default report level of the CLI and the editor (`low`);
 * the same shapes with evidence of untrusted or parsed sizes are reported.
 */
describe('scanning severity policy (C robustness hints vs weaknesses)', () => {
  let scanner: Scanner;
  before(() => {
    scanner = createScanner();
  });
  after(() => scanner.dispose());

  const severities = async (code: string, rule: string, minSeverity?: 'info' | 'low') =>
    (await scanner.scan(code, 'c', minSeverity ? { minSeverity } : {})).findings.filter((f) => f.ruleId === rule).map((f) => f.severity);

  it('an unchecked allocation is an info hint, dropped at the default report level', async () => {
    const code = 'char *dup_name(const char *s) { char *p = malloc(strlen(s) + 1); strcpy(p, s); return p; }';
    assert.deepEqual(await severities(code, 'c-unchecked-allocation'), ['info']);
    assert.deepEqual(await severities(code, 'c-unchecked-allocation', 'low'), []);
  });

  it('n * sizeof(T) is info for a local or parameter count, low for a count read from a structure', async () => {
    assert.deepEqual(await severities('int *mk(size_t count) { return malloc(count * sizeof(int)); }', 'c-alloc-size-overflow'), ['info']);
    assert.deepEqual(await severities('short *row(struct img *in) { return malloc(in->width * sizeof(short)); }', 'c-alloc-size-overflow'), ['low']);
  });

  it('n * sizeof(T) with n from argv is reported with its source', async () => {
    const res = await scanner.scan('int main(int argc, char **argv) { size_t n = strlen(argv[1]); wchar_t *w = malloc(n * sizeof(wchar_t)); if (!w) return 1; w[0] = 0; return 0; }', 'c', { minSeverity: 'low' });
    const f = res.findings.find((x) => x.ruleId === 'c-alloc-size-overflow');
    assert.ok(f, 'expected an allocation-size finding');
    assert.equal(f.severity, 'medium');
    assert.match(f.flow?.source ?? '', /argv/);
  });

  it('two non-constant factors stay a reported (medium) finding', async () => {
    assert.deepEqual(await severities('void *grid(size_t w, size_t h) { return malloc(w * h); }', 'c-alloc-size-overflow', 'low'), ['medium']);
  });

  it('trustlens scan reports from low by default and shows info hints with --min-severity info', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tl-sev-'));
    try {
      writeFileSync(path.join(dir, 'a.c'), 'char *dup_name(const char *s) { char *p = malloc(strlen(s) + 1); memcpy(p, s, strlen(s) + 1); return p; }\n');
      const run = async (extra: string[]) => {
        let out = '';
        const code = await main(['scan', 'a.c', '--format', 'json', '--fail-on', 'none', ...extra], { out: (t) => void (out += t), err: () => undefined, cwd: dir });
        assert.equal(code, 0);
        const report = JSON.parse(out) as { files: Array<{ findings: Array<{ ruleId: string }> }> };
        return report.files.flatMap((f) => f.findings.map((x) => x.ruleId));
      };
      assert.deepEqual(await run([]), []);
      assert.deepEqual(await run(['--min-severity', 'info']), ['c-unchecked-allocation']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
