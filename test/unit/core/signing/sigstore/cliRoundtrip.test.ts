import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../../../src/cli/main';
import { startMockSigstore, type MockSigstore } from './mockSigstore';

function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), cwd }).then((code) => ({ code, out, err }));
}

describe('trustlens sign/verify sigstore through the CLI against the loopback mock', function () {
  this.timeout(60_000);
  const ISS = 'https://issuer.example.test';
  const SUB = 'https://example.test/cli-signer';
  let mock: MockSigstore;
  let dir: string;

  before(async () => {
    mock = await startMockSigstore();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-cli-sigstore-'));
    fs.mkdirSync(path.join(dir, 'model'));
    fs.writeFileSync(path.join(dir, 'model', 'weights.bin'), 'weights');
    fs.writeFileSync(path.join(dir, 'model', 'config.json'), '{}');
  });
  after(async () => {
    await mock?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs, verifies, and rejects a tampered model and a wrong identity', async () => {
    const token = mock.token({ sub: SUB, iss: ISS });
    const signed = await run(['sign', 'sigstore', 'model', '--trust-config', mock.trustConfigPath, '--identity-token', token], dir);
    assert.equal(signed.code, 0, signed.err);
    assert.ok(!signed.out.includes(token) && !signed.err.includes(token));
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, 'model.sig'), 'utf8'));
    assert.ok(bundle.verificationMaterial.certificate && bundle.verificationMaterial.tlogEntries.length === 1);

    const verify = (identity: string) => run(['verify', 'sigstore', 'model', '--trust-config', mock.trustConfigPath, '--identity', identity, '--identity-provider', ISS], dir);
    const ok = await verify(SUB);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /Verification succeeded/);
    assert.ok(ok.out.includes(SUB));

    const wrong = await verify('https://example.test/someone-else');
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /IDENTITY_MISMATCH/);

    fs.writeFileSync(path.join(dir, 'model', 'weights.bin'), 'weightz');
    const tampered = await verify(SUB);
    assert.equal(tampered.code, 1);
    assert.match(tampered.err, /CONTENT_MISMATCH[\s\S]*weights\.bin/);
  });

  it('without any token source, sign sigstore is an input error naming the options', async () => {
    const saved = process.env.SIGSTORE_ID_TOKEN;
    delete process.env.SIGSTORE_ID_TOKEN;
    try {
      const r = await run(['sign', 'sigstore', 'model', '--trust-config', mock.trustConfigPath, '--signature', 'other.sig'], dir);
      assert.equal(r.code, 2);
      assert.match(r.err, /IDENTITY_TOKEN_MISSING[\s\S]*--identity-token/);
      assert.ok(!fs.existsSync(path.join(dir, 'other.sig')));
    } finally {
      if (saved !== undefined) process.env.SIGSTORE_ID_TOKEN = saved;
    }
  });
});
