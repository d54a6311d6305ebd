#!/usr/bin/env node
// `npm run test:e2e`: every real-host test, in a real VS Code (code-server 1.139.1) driven headlessly.
//  1. installs the host on first run (scripts/vscode-host/setup.sh, ~3 min), reuses it afterwards;
//  2. builds the extension and the integration tests;
//  3. generates a fresh sample workspace signed by the real engine (test/fixtures/workspace-e2e-<pid>);
//  4. runs the integration suite (mocha inside the extension host, extension loaded unpacked);
//  5. changes a file while "VS Code is closed", reopens the same user data and runs the reopen suite
//     (states restored from the cache, no re-hash);
//  6. packages the .vsix, installs it into a fresh code-server with --install-extension and runs the
//     Playwright UI suite (test/e2e/ui/*.ui.ts) against it; screenshots in test-results/screenshots/.
// Env: TRUSTLENS_E2E_ONLY=integration|ui, TRUSTLENS_E2E_GREP=<mocha grep>, TRUSTLENS_E2E_SKIP_BUILD=1,
//      VSCODE_HOST_DIR (host install dir), KEEP_RUN_DIR=1, TRUSTLENS_UI_DEV=1 (UI tests on the unpacked extension).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const host = require('./host');
const { buildE2e } = require('./build-e2e');

const REPO = host.REPO;
const ONLY = process.env.TRUSTLENS_E2E_ONLY;
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (m) => console.log(`[e2e +${secs()}s] ${m}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

const made = [];
function makeWorkspace(name, extra = []) {
  // One directory per run: two e2e runs on one machine (several engineers, CI) must not share files.
  const dir = path.join(REPO, 'test/fixtures', `${name}-${process.pid}`);
  made.push(dir);
  run(process.execPath, [require.resolve('tsx/cli'), 'test/e2e/fixtures/makeWorkspace.ts', dir, ...extra]);
  return dir;
}

async function integration() {
  const { index } = await buildE2e();
  const workspace = makeWorkspace('workspace-e2e', ['--huge-bytes', String(1 << 30)]);
  const results = [];
  // Phase 1: everything, in one extension host session.
  let h = await host.startHost({ workspace, smokeDriver: true, keepRunDir: true, env: { TRUSTLENS_E2E_PHASE: 'main' } });
  log(`code-server (phase main) at ${h.url}`);
  try {
    results.push(['integration', await host.runExtensionTests({ host: h, workspace, devPath: REPO, testsPath: index })]);
  } finally {
    await h.stop();
  }
  // Between sessions: a weight file changes while VS Code is closed.
  fs.appendFileSync(path.join(workspace, 'models/llama-unsigned/model.gguf'), Buffer.from([1]));
  // Phase 2: the same user data (workspaceState, digest cache) reopened.
  // Same port: the web workbench derives the workspace id (and so the extension's storage) from the
  // remote authority, host:port included.
  h = await host.startHost({ workspace, smokeDriver: true, runDir: h.run, port: h.port, keepRunDir: process.env.KEEP_RUN_DIR === '1', env: { TRUSTLENS_E2E_PHASE: 'reopen' } });
  log(`code-server (phase reopen) at ${h.url}`);
  try {
    results.push(['reopen', await host.runExtensionTests({ host: h, workspace, devPath: REPO, testsPath: index })]);
  } finally {
    await h.stop();
  }
  return results;
}

async function ui() {
  const workspace = makeWorkspace('workspace-ui', ['--huge-bytes', String(64 << 20)]);
  let vsix;
  if (process.env.TRUSTLENS_UI_DEV !== '1') {
    run(process.execPath, [path.join(REPO, 'scripts/package.js')]);
    vsix = JSON.parse(fs.readFileSync(path.join(REPO, 'dist-vsix/latest.json'), 'utf8')).vsix;
    log(`packaged ${path.relative(REPO, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB)`);
  }
  const h = await host.startHost({ workspace, vsix, smokeDriver: !vsix, keepRunDir: process.env.KEEP_RUN_DIR === '1' });
  log(`code-server (UI) at ${h.url}${vsix ? `, extension installed from the .vsix into ${h.installedPath}` : ' (unpacked extension)'}`);
  try {
    const only = process.env.TRUSTLENS_UI_FILES; // e.g. "modelExplorer" to run test/e2e/ui/modelExplorer.ui.ts only
    const files = fs.readdirSync(path.join(REPO, 'test/e2e/ui')).filter((f) => f.endsWith('.ui.ts') && (!only || only.split(',').some((o) => f.startsWith(o)))).sort().map((f) => `test/e2e/ui/${f}`);
    const r = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--no-config', '--require', 'tsx/cjs', '--require', 'test/e2e/ui/hooks.ts', '--ui', 'bdd', '--timeout', '120000', '--exit', ...files], {
      cwd: REPO,
      stdio: 'inherit',
      env: {
        ...process.env,
        TRUSTLENS_UI_URL: h.url,
        TRUSTLENS_UI_PORT: String(h.port),
        TRUSTLENS_UI_WORKSPACE: workspace,
        TRUSTLENS_UI_DEV_PATH: vsix ? '' : REPO,
        TRUSTLENS_UI_INSTALLED: h.installedPath ?? '',
      },
    });
    return [['ui', r.status ?? 1]];
  } finally {
    await h.stop();
  }
}

(async () => {
  host.ensureHost();
  log('host ready');
  if (process.env.TRUSTLENS_E2E_SKIP_BUILD !== '1') run(process.execPath, ['esbuild.js']);
  fs.mkdirSync(path.join(REPO, 'test-results/screenshots'), { recursive: true });
  const results = [];
  if (ONLY !== 'ui') results.push(...(await integration()));
  if (ONLY !== 'integration') results.push(...(await ui()));
  if (process.env.KEEP_RUN_DIR !== '1') {
    for (const d of made) {
      fs.rmSync(d, { recursive: true, force: true });
      fs.rmSync(`${d}.json`, { force: true }); // makeWorkspace's key/paths summary
    }
  }
  const failed = results.filter(([, code]) => code !== 0);
  log(`${results.map(([n, c]) => `${n}: ${c === 0 ? 'passed' : `FAILED (${c})`}`).join(', ')}; total wall time ${secs()} s`);
  process.exit(failed.length ? 1 : 0);
})().catch((e) => {
  console.error('[e2e] error:', e);
  process.exit(1);
});
