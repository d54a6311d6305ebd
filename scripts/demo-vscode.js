#!/usr/bin/env node
// `npm run demo`: TrustLens in a real VS Code, in one command, on a fresh machine.
//  - installs the VS Code host on first run (code-server 1.139.1 + Node 24 + chromium, ~3 min; reused later),
//  - builds and packages the extension (.vsix) and installs it into code-server,
//  - generates a sample workspace (test/fixtures/workspace-demo): a signed model, a tampered model,
//    an unsigned one, a model signed by an untrusted key, and a file of assistant-style insecure code,
//    all signed by the real engine just now,
//  - starts code-server on 127.0.0.1 and prints the URL; stays up until Ctrl-C.
// Env: DEMO_PORT (default 8765), DEMO_HOST_SETUP_ONLY=1 (install + package, then exit; used by CI smoke).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const host = require('./vscode-host/host');

const REPO = host.REPO;

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status})`);
}

(async () => {
  host.ensureHost();
  run([path.join(REPO, 'scripts/package.js')]);
  const vsix = JSON.parse(fs.readFileSync(path.join(REPO, 'dist-vsix/latest.json'), 'utf8')).vsix;
  const workspace = path.join(REPO, 'test/fixtures/workspace-demo');
  run([require.resolve('tsx/cli'), 'test/e2e/fixtures/makeWorkspace.ts', workspace, '--huge-bytes', String(256 << 20)]);
  if (process.env.DEMO_HOST_SETUP_ONLY === '1') return;
  const port = Number(process.env.DEMO_PORT || 8765);
  const h = await host.startHost({ workspace, vsix, port, quiet: true, userSettings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  const url = `${h.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`
  TrustLens demo is running in a real VS Code (code-server, VS Code 1.139.1), extension installed from
  ${path.relative(REPO, vsix)}.

    Open:  ${url}

  In the browser: click the TrustLens shield in the activity bar. You will see
    bert-signed        verified (✓ badge)        models/ signed with keys/trusted.key.pem
    resnet-tampered    modified (! badge)        one byte of model.onnx changed after signing
    llama-unsigned     unsigned                  right-click > Sign Model… > Private key > keys/trusted.key.pem
    whisper-untrusted  cannot verify (?)         signed by keys/untrusted.key.pem: right-click > Trust This Signer…
    huge-sparse        verified                  a 256 MiB weight file
  and app/assistant_snippets.py with flagged AI-style code. Edit a weight file and watch its badge turn to !.

  Server log: ${h.serverLog}
  Press Ctrl-C to stop.
`);
  const stop = async () => {
    console.log('\nstopping code-server…');
    await h.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30); // stay alive
})().catch((e) => {
  console.error('[demo] error:', e.message ?? e);
  process.exit(1);
});
