import * as assert from 'node:assert/strict';
import { CancellationError, TrustLensError } from '../../../../src/core/errors';
import { createScanner, languageForPath, normalizeLanguageId, RULES, SUPPORTED_LANGUAGES, type Scanner } from '../../../../src/core/scanning/index';

function applyFix(text: string, fix: { range: { startLine: number; startCol: number; endLine: number; endCol: number }; newText: string }): string {
  const lines = text.split('\n');
  const offset = (l: number, c: number) => lines.slice(0, l).reduce((n, s) => n + s.length + 1, 0) + c;
  return text.slice(0, offset(fix.range.startLine, fix.range.startCol)) + fix.newText + text.slice(offset(fix.range.endLine, fix.range.endCol));
}

describe('scanner', () => {
  let scanner: Scanner;
  before(() => {
    scanner = createScanner();
  });
  after(() => scanner.dispose());

  it('scans every supported language (grammar loads, ABI compatible)', async () => {
    for (const id of SUPPORTED_LANGUAGES) {
      const r = await scanner.scan('x = 1\n', id);
      assert.equal(r.truncated, false, id);
      assert.ok(r.parseMs >= 0 && r.elapsedMs >= r.parseMs, id);
    }
  });

  it('rejects unsupported languages with a coded error', async () => {
    await assert.rejects(scanner.scan('x', 'cobol'), (e: unknown) => TrustLensError.is(e, 'UNSUPPORTED_LANGUAGE'));
  });

  it('maps paths and aliases to languages', () => {
    assert.equal(languageForPath('/a/b/app.py'), 'python');
    assert.equal(languageForPath('C:\\x\\Main.java'), 'java');
    assert.equal(languageForPath('x.tsx'), 'typescriptreact');
    assert.equal(languageForPath('x.h'), 'c');
    assert.equal(languageForPath('README.md'), undefined);
    assert.equal(languageForPath('Makefile'), undefined);
    assert.equal(normalizeLanguageId('C#'), 'csharp');
    assert.equal(normalizeLanguageId('golang'), 'go');
  });

  it('exposes rule metadata for SARIF: unique ids, CWE, help URL, languages', () => {
    const ids = new Set(RULES.map((r) => r.id));
    assert.equal(ids.size, RULES.length);
    for (const r of RULES) {
      assert.match(r.cwe, /^CWE-\d+$/);
      assert.equal(r.helpUrl, `https://cwe.mitre.org/data/definitions/${r.cwe.slice(4)}.html`);
      assert.ok(r.languages.length > 0 && r.shortDescription && r.fullDescription && r.why, r.id);
    }
  });

  it('tolerates broken and incomplete code (assistant snippets)', async () => {
    const broken = [
      // Truncated mid-statement (the usual shape of a cut-off completion).
      ['python', 'def f():\n    os.system("ls " + input())\n    x = [1, 2,\n'],
      ['python', 'class A:\n    def f(self)\n        os.system("ls " + input())\n'],
      ['javascript', 'const { exec } = require("child_process");\nfunction (req, res) { exec("ls " + req.query.x) \n const = ;'],
      ['java', 'void f() { Runtime.getRuntime().exec("ls " + request.getParameter("x")) '],
      ['c', 'int main( { char b[4]; gets(b) '],
      ['ruby', 'def f\n  system("ls #{params[:x]}")\n  if'],
    ];
    for (const [lang, code] of broken) {
      const r = await scanner.scan(code, lang);
      assert.equal(r.hasSyntaxErrors, true, lang);
      assert.ok(r.findings.length >= 1, `${lang}: still finds the weakness in broken code`);
    }
  });

  it('survives deep nesting without recursion limits', async () => {
    const depth = 5000;
    const code = 'x = ' + '['.repeat(depth) + 'input()' + ']'.repeat(depth) + '\nos.system("ls " + y)\n';
    const r = await scanner.scan(code, 'python', { timeBudgetMs: 10_000 });
    assert.equal(r.truncated, false);
    assert.ok(r.findings.some((f) => f.ruleId === 'command-injection'));
  });

  it('resolves long assignment chains without unbounded recursion', async () => {
    const lines = ['def f():', '    x0 = input()'];
    for (let i = 1; i < 3000; i++) lines.push(`    x${i} = x${i - 1} + "a"`);
    lines.push('    os.system("ls " + x2999)', '    os.system("ls " + x2)');
    const r = await scanner.scan(lines.join('\n') + '\n', 'python', { timeBudgetMs: 20_000 });
    const f = r.findings.filter((x) => x.ruleId === 'command-injection');
    assert.equal(f.length, 2);
    // The short chain is followed to its source; the long one is cut (reported without a proven source).
    assert.ok(f.some((x) => x.flow && /input/.test(x.flow.source)));
  });

  it('stops at the time budget and reports truncated instead of freezing', async () => {
    const big = 'def f(a):\n    b = a + 1\n    os.system("ls " + a)\n'.repeat(60_000);
    const t0 = performance.now();
    const r = await scanner.scan(big, 'python', { timeBudgetMs: 30 });
    const took = performance.now() - t0;
    assert.equal(r.truncated, true);
    assert.ok(took < 1500, `took ${took} ms`);
    // The scanner is still usable afterwards (parser reset after a cancelled parse).
    const ok = await scanner.scan('import os\nos.system("ls " + input())\n', 'python');
    assert.equal(ok.truncated, false);
    assert.equal(ok.findings.length, 1);
  });

  it('honours an AbortSignal', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(scanner.scan('x = 1', 'python', { signal: ac.signal }), (e: unknown) => e instanceof CancellationError);
  });

  it('filters by minimum severity', async () => {
    const code = 'def f(cmd):\n    os.system(cmd)\n    os.system("ls " + input())\n';
    const all = await scanner.scan(code, 'python');
    const high = await scanner.scan(code, 'python', { minSeverity: 'high' });
    assert.equal(all.findings.length, 2);
    assert.deepEqual(high.findings.map((f) => f.severity), ['high']);
  });

  it('offers mechanical fixes that produce the safe form', async () => {
    const cases: Array<[string, RegExp]> = [
      ['import torch\nm = torch.load("m.pt")\n', /torch\.load\("m\.pt", weights_only=True\)/],
      ['import torch\nm = torch.load(p, weights_only=False)\n', /weights_only=True/],
      ['import yaml\nc = yaml.load(s)\n', /yaml\.safe_load\(s\)/],
      ['import requests\nrequests.get(u, verify=False)\n', /verify=True/],
      ['from transformers import AutoModel\nAutoModel.from_pretrained("x/y", trust_remote_code=True)\n', /trust_remote_code=False/],
    ];
    for (const [code, expected] of cases) {
      const r = await scanner.scan(code, 'python');
      const fixed = r.findings.find((f) => f.fixes?.length);
      assert.ok(fixed, code);
      const after = applyFix(code, fixed.fixes![0]);
      assert.match(after, expected);
      const again = await scanner.scan(after, 'python');
      assert.equal(again.findings.filter((f) => f.ruleId === fixed.ruleId).length, 0, `fix for ${code} clears the finding`);
    }
  });

  it('finds provider keys in any language and ranks them high', async () => {
    const key = 'sk-ant-api03-' + 'a'.repeat(93) + 'AA';
    for (const [lang, code] of [['go', `package m\nconst k = "${key}"`], ['rust', `const K: &str = "${key}";`], ['php', `<?php $k = '${key}';`]]) {
      const r = await scanner.scan(code, lang);
      const f = r.findings.find((x) => x.ruleId === 'hardcoded-provider-key');
      assert.ok(f, lang);
      assert.equal(f.severity, 'high');
      assert.match(f.message, /Anthropic/);
    }
  });
});
