#!/usr/bin/env node
// CLI demo of the signing engine (`npm run demo:cli`): a throwaway P-256 key and a small sample
// model in a temp dir are signed and verified with `node dist/cli.js`; then one byte is changed
// and verification fails with the per-file diff. Exits 0 only if every step behaves as expected.
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(CLI)) {
  console.error(`demo: ${CLI} not found; run \`npm run build\` first`);
  process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trustlens-demo-'));
let failures = 0;

function step(title) {
  console.log(`\n=== ${title}`);
}
function cli(args, expectedCode) {
  console.log(`$ trustlens ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stdout.write(r.stderr);
  const ok = r.status === expectedCode;
  console.log(`-> exit ${r.status} (${ok ? 'as expected' : `EXPECTED ${expectedCode}`})`);
  if (!ok) failures++;
  return r;
}

try {
  step('1. Generate a throwaway P-256 key pair');
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  fs.writeFileSync(path.join(work, 'demo-key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(path.join(work, 'demo-key.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  console.log(`key pair in ${work}`);

  step('2. Create a small sample model');
  const model = path.join(work, 'sample-model');
  fs.mkdirSync(path.join(model, 'tokenizer'), { recursive: true });
  fs.writeFileSync(path.join(model, 'config.json'), JSON.stringify({ architecture: 'demo', layers: 2 }, null, 2));
  fs.writeFileSync(path.join(model, 'model.safetensors'), crypto.randomBytes(256 * 1024));
  fs.writeFileSync(path.join(model, 'tokenizer', 'vocab.txt'), 'hello\nworld\n');
  for (const f of ['config.json', 'model.safetensors', 'tokenizer/vocab.txt']) console.log(`  ${f}  ${fs.statSync(path.join(model, f)).size} bytes`);

  step('3. Root digest of the model');
  cli(['digest', 'sample-model'], 0);

  step('4. Sign it with the private key (writes ./model.sig)');
  cli(['sign', 'key', 'sample-model', '--private-key', 'demo-key.pem'], 0);

  step('5. Verify it with the public key');
  cli(['verify', 'key', 'sample-model', '--public-key', 'demo-key.pub', '--signature', 'model.sig'], 0);

  step('6. Tamper: flip one byte of model.safetensors');
  const weights = path.join(model, 'model.safetensors');
  const fd = fs.openSync(weights, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, 1000);
  b[0] ^= 0x01;
  fs.writeSync(fd, b, 0, 1, 1000);
  fs.closeSync(fd);
  console.log('flipped the byte at offset 1000');

  step('7. Verify again: fails with the per-file difference');
  cli(['verify', 'key', 'sample-model', '--public-key', 'demo-key.pub', '--signature', 'model.sig'], 1);

  step('8. The same result as JSON (what CI and the VS Code extension consume)');
  cli(['verify', 'key', 'sample-model', '--public-key', 'demo-key.pub', '--signature', 'model.sig', '--json'], 1);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(failures === 0 ? '\nDemo finished: every step behaved as expected.' : `\nDemo FAILED: ${failures} step(s) did not behave as expected.`);
process.exitCode = failures === 0 ? 0 : 1;
