#!/usr/bin/env node
// `npm run test:conformance`: runs the OMS conformance suite (sampras343/model-signing-conformance)
// against test/conformance/adapter. Fetches nothing: point CONFORMANCE_DIR at a checkout of the
// suite (skips with a message when unset). Needs python3 with pytest, jsonschema and referencing
// (Debian: apt-get install python3-pytest python3-jsonschema python3-referencing) and the suite's
// `oms_schemas` package: either installed, or OMS_SCHEMAS_DIR = a directory holding `oms_schemas/`
// (the `schemas/` folder of sampras343/model-signing-spec, renamed).
//
// Offline by default: Sigstore verification uses the embedded trusted root, keyless sign-then-verify
// cases are deselected (they need a real OIDC token and Fulcio/Rekor), and the suite's token gate
// for the verify-only Sigstore cases is opened with a placeholder (verification never sends it).
// With a real SIGSTORE_ID_TOKEN in the environment every case runs, online.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '../..');
const suite = process.env.CONFORMANCE_DIR;
if (!suite) {
  console.log('test:conformance skipped: set CONFORMANCE_DIR to a checkout of github.com/sampras343/model-signing-conformance');
  process.exit(0);
}
const suiteTests = path.join(path.resolve(suite), 'test');
if (!fs.existsSync(path.join(suiteTests, 'conftest.py'))) {
  console.error(`test:conformance: ${suiteTests}/conftest.py not found; CONFORMANCE_DIR must be the suite's checkout`);
  process.exit(2);
}
if (!fs.existsSync(path.join(repo, 'dist', 'cli.js'))) {
  console.error('test:conformance: dist/cli.js missing; run `npm run build` first');
  process.exit(2);
}

const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
if (process.env.OMS_SCHEMAS_DIR) env.PYTHONPATH = [path.resolve(process.env.OMS_SCHEMAS_DIR), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
const probe = spawnSync('python3', ['-c', 'import pytest, jsonschema, referencing, oms_schemas'], { env, encoding: 'utf8' });
if (probe.status !== 0) {
  console.error(`test:conformance: python3 cannot import the suite's dependencies:\n${probe.stderr || probe.error}`);
  process.exit(2);
}

const online = Boolean(process.env.SIGSTORE_ID_TOKEN || process.env.SIGSTORE_ID_TOKEN_FILE);
const args = ['-m', 'pytest', suiteTests, `--entrypoint=${path.join(__dirname, 'adapter')}`, '-p', 'no:cacheprovider', '-q', '-rs'];
if (!online) {
  env.TRUSTLENS_SIGSTORE_OFFLINE = '1';
  env.SIGSTORE_ID_TOKEN = 'placeholder-verify-only';
  args.push('-k', 'not (test_roundtrip and sigstore)');
}
console.log(`test:conformance: ${online ? 'online (real OIDC token)' : 'offline'} run of ${suiteTests}`);
const r = spawnSync('python3', [...args, ...process.argv.slice(2)], { env, stdio: 'inherit', cwd: path.resolve(suite) });
process.exit(r.status ?? 2);
