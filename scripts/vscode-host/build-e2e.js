// Compiles the real-host integration tests (test/e2e/integration/*.ts) to out/e2e/integration/*.js,
// one bundle per file; `vscode` and `mocha` stay external (provided by the host / node_modules).
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const SRC = path.join(REPO, 'test/e2e/integration');
const OUT = path.join(REPO, 'out/e2e/integration');

async function buildE2e() {
  fs.rmSync(OUT, { recursive: true, force: true });
  const entries = fs.readdirSync(SRC).filter((f) => f.endsWith('.test.ts') || f === 'index.ts').map((f) => path.join(SRC, f));
  await esbuild.build({
    entryPoints: entries,
    outdir: OUT,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return { outDir: OUT, index: path.join(OUT, 'index.js'), files: entries.length };
}

module.exports = { buildE2e };
if (require.main === module) buildE2e().then((r) => console.log(`[e2e] built ${r.files} file(s) into ${path.relative(REPO, r.outDir)}`), (e) => { console.error(e); process.exit(1); });
