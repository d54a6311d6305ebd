/**
 * `npm run eval:misses [-- --data FILE] [-- --lang L] [-- --out DIR]`: writes one Markdown file
 * per language with every sample the scanner gets wrong, code included, for rule authors:
 * MISS-ANY (a vulnerable sample with no finding), MISS-CWE (findings, none in the label's CWE
 * family) and FALSE-ALARM (a finding on a safe sample). Findings count from severity `low`, as in
 * `npm run eval`. Default data: the shared dev set; default output: .tmp/miss/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createScanner } from '../../src/core/scanning';
import { cweMatches } from './metrics';

interface Sample {
  id: string;
  language: string;
  code: string;
  cwe: string;
  vulnerable: boolean;
  source: string;
}

const ROOT = path.resolve(__dirname, '..', '..');
const { values } = parseArgs({ options: { data: { type: 'string' }, lang: { type: 'string' }, out: { type: 'string' } } });
const data = path.resolve(values.data ?? path.join(ROOT, '..', 'shared', 'eval', 'insecure-code', 'dev.jsonl'));
const outDir = path.resolve(values.out ?? path.join(ROOT, '.tmp', 'miss'));

async function main(): Promise<void> {
  const samples = readFileSync(data, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Sample)
    .filter((s) => !values.lang || s.language === values.lang);
  const scanner = createScanner();
  const byLang = new Map<string, string[]>();
  try {
    for (const s of samples) {
      const { findings } = await scanner.scan(s.code, s.language, { timeBudgetMs: 5000, minSeverity: 'low' });
      const matched = findings.some((f) => cweMatches(f.cwe, s.cwe));
      const tag = s.vulnerable ? (findings.length === 0 ? 'MISS-ANY' : matched ? '' : 'MISS-CWE') : findings.length ? 'FALSE-ALARM' : '';
      if (!tag) continue;
      const found = findings.length ? `findings: ${findings.map((f) => `${f.ruleId}/${f.cwe}@${f.range.startLine + 1}`).join(', ')}\n` : '';
      const entry = `### ${tag} ${s.id} ${s.cwe} (${s.source.replace(/\s*\(.*$/, '')})\n${found}\`\`\`${s.language}\n${s.code.slice(0, 4000)}\n\`\`\`\n`;
      (byLang.get(s.language) ?? byLang.set(s.language, []).get(s.language)!).push(entry);
    }
  } finally {
    scanner.dispose();
  }
  mkdirSync(outDir, { recursive: true });
  for (const [lang, entries] of byLang) writeFileSync(path.join(outDir, `${lang}.md`), entries.join('\n'));
  console.log(`${[...byLang].map(([l, e]) => `${l}: ${e.length}`).join(', ') || 'nothing missed'} -> ${path.relative(process.cwd(), outDir)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
