import * as assert from 'node:assert/strict';
import { createScanner, RULES, type Scanner } from '../../../../src/core/scanning/index';
import type { RuleLanguage } from '../../../../src/core/scanning/languages';
import { FIXTURES } from './fixtures';

/** Language id used to scan a rule family's fixtures. */
const LANG_FOR: Record<RuleLanguage, string> = { python: 'python', javascript: 'javascriptreact', java: 'java', go: 'go', c: 'c', ruby: 'ruby', php: 'php', rust: 'rust', csharp: 'csharp' };

describe('scanning rules: fixtures for every rule and language', () => {
  let scanner: Scanner;
  before(() => {
    scanner = createScanner();
  });
  after(() => scanner.dispose());

  it('has positive and negative fixtures for every rule x language', () => {
    const missing: string[] = [];
    for (const r of RULES) {
      for (const lang of r.languages) {
        const f = FIXTURES[r.id]?.[lang];
        if (!f || f.pos.length === 0 || f.neg.length === 0) missing.push(`${r.id}/${lang}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('has no fixtures for unknown rules or languages a rule does not claim', () => {
    const stray: string[] = [];
    for (const [id, byLang] of Object.entries(FIXTURES)) {
      const rule = RULES.find((r) => r.id === id);
      if (!rule) stray.push(id);
      else for (const lang of Object.keys(byLang)) if (!rule.languages.includes(lang as RuleLanguage)) stray.push(`${id}/${lang}`);
    }
    assert.deepEqual(stray, []);
  });

  for (const r of RULES) {
    describe(r.id, () => {
      for (const lang of r.languages) {
        const f = FIXTURES[r.id]?.[lang];
        if (!f) continue;
        f.pos.forEach((code, i) => {
          it(`${lang}: positive #${i + 1} raises ${r.id}`, async () => {
            const res = await scanner.scan(code, LANG_FOR[lang]);
            const ids = res.findings.map((x) => x.ruleId);
            assert.ok(ids.includes(r.id), `expected ${r.id}, got [${ids.join(', ')}] for:\n${code}`);
          });
        });
        f.neg.forEach((code, i) => {
          it(`${lang}: negative #${i + 1} does not raise ${r.id}`, async () => {
            const res = await scanner.scan(code, LANG_FOR[lang]);
            const hits = res.findings.filter((x) => x.ruleId === r.id);
            assert.deepEqual(hits.map((h) => `${h.range.startLine}:${h.range.startCol} ${h.message}`), [], `unexpected ${r.id} for:\n${code}`);
          });
        });
      }
    });
  }
});
