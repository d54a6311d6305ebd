#!/usr/bin/env node
// `npm run test:conformance`: runs the OMS conformance suite (sampras343/model-signing-conformance)
// against test/conformance/adapter. Fetches nothing: point CONFORMANCE_DIR at a checkout of the
// suite (skips with a message when unset). Needs python3 with pytest, jsonschema and referencing
// (Debian: apt-get install python3-pytest python3-jsonschema python3-referencing) and the suite's
// `oms_schemas` package: either installed, or OMS_SCHEMAS_DIR = a directory holding `oms_schemas/`
// (the `schemas/` folder of sampras343/model-signing-spec, renamed).
//
// Modes:
// - default (offline): no network at all. The five keyless sign-then-verify cases run against a
//   loopback mock Sigstore (Fulcio/Rekor/TSA on 127.0.0.1, the same fake the unit tests use) with
//   a throwaway token; the trust config handed to the adapter is the mock's root merged with the
//   public-good root, so the suite's pre-signed Sigstore bundles still verify, offline.
// - TRUSTLENS_CONFORMANCE_KEYLESS=skip: the same, but the keyless cases are deselected and
//   Sigstore verification uses the built-in root (--offline).
// - a real SIGSTORE_ID_TOKEN (or SIGSTORE_ID_TOKEN_FILE) in the environment: every case runs as
//   the suite intends, online against public-good Sigstore.
// The suite only runs its verify-only Sigstore cases when a token variable is set; offline runs
// set a placeholder (verification never uses it).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '../..');

function exit(code, message) {
  if (message) (code ? console.error : console.log)(message);
  process.exit(code);
}

/** Starts the loopback mock and writes a trust config = mock root ∪ public-good root. */
async function startKeylessMock() {
  require('tsx/cjs');
  const { startMockSigstore } = require(path.join(repo, 'test/unit/core/signing/sigstore/mockSigstore.ts'));
  const seeds = require('@sigstore/tuf/seeds.json');
  const production = JSON.parse(Buffer.from(seeds['https://tuf-repo-cdn.sigstore.dev'].targets['trusted_root.json'], 'base64').toString('utf8'));
  const mock = await startMockSigstore();
  const cfg = JSON.parse(fs.readFileSync(mock.trustConfigPath, 'utf8'));
  for (const key of ['tlogs', 'certificateAuthorities', 'ctlogs', 'timestampAuthorities']) {
    cfg.trustedRoot[key] = [...(production[key] ?? []), ...(cfg.trustedRoot[key] ?? [])];
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tl-conformance-')), 'trust_config.json');
  fs.writeFileSync(file, JSON.stringify(cfg));
  const identity = 'https://conformance.trustlens.test/keyless-signer';
  const issuer = 'https://issuer.trustlens.test';
  return { mock, file, identity, issuer, token: mock.token({ sub: identity, iss: issuer }) };
}

async function runSuite() {
  const suite = process.env.CONFORMANCE_DIR;
  if (!suite) exit(0, 'test:conformance skipped: set CONFORMANCE_DIR to a checkout of github.com/sampras343/model-signing-conformance');
  const suiteTests = path.join(path.resolve(suite), 'test');
  if (!fs.existsSync(path.join(suiteTests, 'conftest.py'))) exit(2, `test:conformance: ${suiteTests}/conftest.py not found; CONFORMANCE_DIR must be the suite's checkout`);
  if (!fs.existsSync(path.join(repo, 'dist', 'cli.js'))) exit(2, 'test:conformance: dist/cli.js missing; run `npm run build` first');

  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  if (process.env.OMS_SCHEMAS_DIR) env.PYTHONPATH = [path.resolve(process.env.OMS_SCHEMAS_DIR), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);

  const args = ['-m', 'pytest', suiteTests, `--entrypoint=${path.join(__dirname, 'adapter')}`, '-p', 'no:cacheprovider', '-q', '-rs'];
  const online = Boolean(process.env.SIGSTORE_ID_TOKEN || process.env.SIGSTORE_ID_TOKEN_FILE);
  let keyless;
  let mode;
  if (online) mode = 'online (real OIDC token, public-good Sigstore)';
  else if (process.env.TRUSTLENS_CONFORMANCE_KEYLESS === 'skip') {
    mode = 'offline, keyless cases deselected';
    env.TRUSTLENS_SIGSTORE_OFFLINE = '1';
    env.SIGSTORE_ID_TOKEN = 'placeholder-verify-only';
    args.push('-k', 'not (test_roundtrip and sigstore)');
  } else {
    mode = 'offline, keyless cases against the loopback mock Sigstore';
    keyless = await startKeylessMock();
    Object.assign(env, {
      TRUSTLENS_SIGSTORE_TRUST_CONFIG: keyless.file,
      SIGSTORE_ID_TOKEN: keyless.token,
      SIGSTORE_IDENTITY: keyless.identity,
      SIGSTORE_ISSUER: keyless.issuer,
    });
  }
  const probe = await run('python3', ['-c', 'import pytest, jsonschema, referencing, oms_schemas'], { env, stdio: 'pipe' });
  if (probe.code !== 0) {
    await keyless?.mock.close();
    exit(2, `test:conformance: python3 cannot import the suite's dependencies:\n${probe.stderr}`);
  }
  console.log(`test:conformance: ${mode}; suite ${suiteTests}`);
  const r = await run('python3', [...args, ...process.argv.slice(2)], { env, stdio: 'inherit', cwd: path.resolve(suite) });
  await keyless?.mock.close();
  if (keyless) fs.rmSync(path.dirname(keyless.file), { recursive: true, force: true });
  exit(r.code);
}

/** spawn, asynchronously: the mock server lives in this process and must keep answering. */
function run(cmd, args, options) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, options);
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: 2, stderr: String(e) }));
    child.on('close', (code) => resolve({ code: code ?? 2, stderr }));
  });
}

runSuite().catch((e) => exit(2, `test:conformance: ${e?.stack ?? e}`));
