import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MT_TESTS, VECTOR_IDENTITY, VECTOR_ISSUER } from './vectors';

/**
 * The Sigstore trusted root, TUF seeds and package.json files the sigstore libraries `require`
 * must be inlined by esbuild: copy the built CLI away from node_modules and verify a vector
 * offline with it. Skipped when dist/ was not built (`npm test` builds before the unit tests).
 */
describe('built CLI (dist/) verifies Sigstore bundles without node_modules', function () {
  this.timeout(60_000);
  const dist = path.resolve(__dirname, '../../../../../dist');

  it('verify sigstore --offline works from a copy of dist/cli.js in a temp dir', function () {
    if (!fs.existsSync(path.join(dist, 'cli.js')) || !fs.existsSync(path.join(dist, 'hashWorker.js'))) this.skip();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-dist-'));
    try {
      for (const f of ['cli.js', 'hashWorker.js']) fs.copyFileSync(path.join(dist, f), path.join(tmp, f));
      const model = path.join(tmp, 'model');
      fs.cpSync(path.join(MT_TESTS, 'v1.1.0-sigstore'), model, { recursive: true });
      const out = execFileSync(
        process.execPath,
        [path.join(tmp, 'cli.js'), 'verify', 'sigstore', model, '--signature', path.join(model, 'model.sig'), '--identity', VECTOR_IDENTITY, '--identity-provider', VECTOR_ISSUER, '--offline', '--json'],
        { cwd: tmp, env: { ...process.env, NODE_PATH: '' }, encoding: 'utf8' },
      );
      const result = JSON.parse(out) as { verdict: string; signer: { identity: string } };
      assert.equal(result.verdict, 'valid');
      assert.equal(result.signer.identity, VECTOR_IDENTITY);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
