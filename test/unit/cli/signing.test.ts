import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { main } from '../../../src/cli/main';
import { copyVector, KEYS, makeModel, OMS, removeTemp } from '../core/signing/vectors';

function run(argv: string[], cwd: string) {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), cwd };
  return main(argv, io).then((code) => ({ code, out, err }));
}
const K = (f: string) => path.join(KEYS, f);
const tmp: string[] = [];
const track = (p: string) => (tmp.push(p), p);
after(() => tmp.forEach(removeTemp));

describe('trustlens sign / verify (key)', () => {
  it('signs into CWD/model.sig by default and verifies it; tampering exits 1 with the diff', async () => {
    const model = track(makeModel({ 'w.bin': 'weights', 'cfg.json': '{}' }));
    const cwd = path.dirname(model);
    const s = await run(['sign', 'key', 'model', '--private_key', K('signing-key.pem')], cwd);
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /Signing succeeded/);
    assert.ok(fs.existsSync(path.join(cwd, 'model.sig')));
    const v = await run(['verify', 'key', 'model', '--public_key', K('signing-key-pub.pem')], cwd);
    assert.equal(v.code, 0, v.err);
    assert.match(v.out, /Verification succeeded[\s\S]*hint e8450dec4eb99dae/);
    fs.appendFileSync(path.join(model, 'w.bin'), '!');
    const bad = await run(['verify', 'key', 'model', '--public-key', K('signing-key-pub.pem'), '--signature', 'model.sig'], cwd);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /Verification failed \[CONTENT_MISMATCH\]/);
    assert.match(bad.err, /changed\s+w\.bin/);
  });

  it('--json prints the VerificationResult', async () => {
    const dir = track(copyVector('v1.1.0-elliptic-key'));
    fs.writeFileSync(path.join(dir, 'extra.bin'), 'x');
    const r = await run(['verify', 'key', dir, '--public-key', K('signing-key-pub.pem'), '--signature', path.join(dir, 'model.sig'), '--json'], '/');
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.equal(j.verdict, 'invalid');
    assert.equal(j.reason, 'CONTENT_MISMATCH');
    assert.deepEqual(j.diff, { changed: [], missing: [], extra: ['extra.bin'] });
    const ok = await run(['verify', 'key', dir, '--public-key', K('signing-key-pub.pem'), '--signature', path.join(dir, 'model.sig'), '--ignore-unsigned-files', '--json'], '/');
    assert.equal(ok.code, 0);
    assert.equal(JSON.parse(ok.out).verdict, 'valid');
  });

  it('encrypted key: password from TRUSTLENS_KEY_PASSWORD; a wrong one exits 2 without echoing it', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
    const model = track(makeModel({ 'w.bin': 'w' }));
    const cwd = path.dirname(model);
    fs.writeFileSync(path.join(cwd, 'k.pem'), privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret-pw' }));
    const saved = process.env.TRUSTLENS_KEY_PASSWORD;
    try {
      process.env.TRUSTLENS_KEY_PASSWORD = 's3cret-pw';
      assert.equal((await run(['sign', 'key', 'model', '--private-key', 'k.pem'], cwd)).code, 0);
      delete process.env.TRUSTLENS_KEY_PASSWORD;
      const bad = await run(['sign', 'key', 'model', '--private-key', 'k.pem', '--password', 'wrong-pw-123'], cwd);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /KEY_PASSPHRASE.*k\.pem/);
      assert.ok(!bad.err.includes('wrong-pw-123') && !bad.out.includes('wrong-pw-123'));
    } finally {
      if (saved === undefined) delete process.env.TRUSTLENS_KEY_PASSWORD;
      else process.env.TRUSTLENS_KEY_PASSWORD = saved;
    }
  });

  it('vectors: v1.0.0 single-file key vector valid via the file, exit 1 via the dir', async () => {
    const dir = track(copyVector('v1.0.0-elliptic-key'));
    const args = ['--public-key', K('signing-key-pub.pem'), '--signature', path.join(dir, 'model.sig')];
    assert.equal((await run(['verify', 'key', path.join(dir, 'signme-1'), ...args], '/')).code, 0);
    assert.equal((await run(['verify', 'key', dir, ...args], '/')).code, 1);
  });

  it('usage and input errors exit 2 and name the problem', async () => {
    const dir = track(copyVector('v1.1.0-elliptic-key'));
    const cwd = path.dirname(dir);
    const noKey = await run(['verify', 'key', dir], cwd);
    assert.equal(noKey.code, 2);
    assert.match(noKey.err, /--public-key is required/);
    const missingSig = await run(['verify', 'key', dir, '--public-key', K('signing-key-pub.pem'), '--signature', 'nope.sig'], cwd);
    assert.equal(missingSig.code, 2);
    assert.match(missingSig.err, /SIGNATURE_NOT_FOUND.*nope\.sig/);
    const badKeyFile = await run(['verify', 'key', dir, '--public-key', 'missing.pem'], cwd);
    assert.equal(badKeyFile.code, 2);
    assert.match(badKeyFile.err, /missing\.pem/);
    assert.equal((await run(['verify', 'key', dir, '--frobnicate'], cwd)).code, 2);
    assert.equal((await run(['sign', 'key', dir, '--private-key', K('signing-key.pem'), '--method', 'tar'], cwd)).code, 2);
    assert.equal((await run(['sign', 'key'], cwd)).code, 2);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    fs.writeFileSync(path.join(cwd, 'rsa.pem'), rsa);
    const r = await run(['sign', 'key', dir, '--private-key', 'rsa.pem', '--signature', 'x.sig'], cwd);
    assert.equal(r.code, 2);
    assert.match(r.err, /KEY_UNSUPPORTED/);
  });
});

describe('trustlens sign / verify (certificate)', () => {
  it('round trip with the vector PKI; other anchors exit 1', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const cwd = path.dirname(model);
    const s = await run(['sign', 'certificate', 'model', '--private-key', K('signing-key.pem'), '--signing_certificate', K('signing-key-cert.pem'), '--certificate_chain', K('int-ca-cert.pem'), '--signature', 'c.sig'], cwd);
    assert.equal(s.code, 0, s.err);
    const v = await run(['verify', 'certificate', 'model', '--certificate-chain', K('ca-cert.pem'), '--signature', 'c.sig'], cwd);
    assert.equal(v.code, 0, v.err);
    assert.match(v.out, /certificate 'CN=intermediate-ca'/);
    const strict = await run(['verify', 'certificate', 'model', '--certificate-chain', K('ca-cert.pem'), '--signature', 'c.sig', '--cert-validity', '2040-01-01'], cwd);
    assert.equal(strict.code, 1);
    assert.match(strict.err, /CERT_POLICY/);
    const mozilla = await run(['verify', 'certificate', 'model', '--signature', 'c.sig'], cwd);
    assert.equal(mozilla.code, 1);
    assert.match(mozilla.err, /UNTRUSTED_SIGNER/);
  });
});

describe('trustlens sign / verify (sigstore)', () => {
  it('missing identity token or identity exits 2 with a clear message', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const saved = process.env.SIGSTORE_ID_TOKEN;
    delete process.env.SIGSTORE_ID_TOKEN;
    try {
      const s = await run(['sign', 'model'], path.dirname(model));
      assert.equal(s.code, 2);
      assert.match(s.err, /identity token/i);
    } finally {
      if (saved !== undefined) process.env.SIGSTORE_ID_TOKEN = saved;
    }
    const v = await run(['verify', 'sigstore', 'model', '--identity', 'a@b.c'], path.dirname(model));
    assert.equal(v.code, 2);
    assert.match(v.err, /--identity-provider is required/);
  });
  it('verifies the v1.1.0-sigstore vector offline with the embedded root', async () => {
    const dir = track(copyVector('v1.1.0-sigstore'));
    const r = await run(
      ['verify', 'sigstore', dir, '--signature', path.join(dir, 'model.sig'), '--identity', 'stefanb@us.ibm.com', '--identity_provider', 'https://sigstore.verify.ibm.com/oauth2', '--offline'],
      '/',
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /stefanb@us\.ibm\.com/);
    const wrong = await run(['verify', 'sigstore', dir, '--signature', path.join(dir, 'model.sig'), '--identity', 'mallory@example.com', '--identity-provider', 'https://sigstore.verify.ibm.com/oauth2', '--offline'], '/');
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /IDENTITY_MISMATCH/);
  });
});

describe('trustlens digest', () => {
  it('prints the root digest of the vector models (same ignores as sign)', async () => {
    const dir = track(copyVector('v1.1.0-elliptic-key'));
    const cwd = path.dirname(dir);
    const name = path.basename(dir);
    const r = await run(['digest', name, '--ignore-paths', `${name}/ignore-me`, '--ignore-paths', `${name}/model.sig`], cwd);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4\n');
  });
  it('honors --method shards --shard-size and --json', async () => {
    const file = path.join(OMS, 'derived/fixtures/sample_model_file/file_model');
    const r = await run(['digest', file, '--method', 'shards', '--shard-size', '8', '--json'], '/');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.rootDigest, '57d54248751a51781ac2bed647670df0c45d3926e337021585c34a82384b6573');
    assert.deepEqual(j.resources.map((x: { name: string }) => x.name), ['.:0:8', '.:8:16', '.:16:22']);
  });
  it('a missing model exits 2 naming it', async () => {
    const r = await run(['digest', '/nonexistent/model-x'], '/');
    assert.equal(r.code, 2);
    assert.match(r.err, /model-x/);
  });
});
