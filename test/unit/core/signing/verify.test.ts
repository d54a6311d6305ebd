import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, generateKeyPairSync, sign as cryptoSign, createPrivateKey } from 'node:crypto';
import {
  createCertificateSigner,
  createCertificateVerifier,
  createKeySigner,
  createKeyVerifier,
  signModel,
  verifyModel,
  type BundleJson,
  type VerificationResult,
  type VerifyModelOptions,
} from '../../../../src/core/signing';
import { buildBundle } from '../../../../src/core/signing/bundle';
import { paeCompat } from '../../../../src/core/signing/dsse';
import { CancellationError } from '../../../../src/core/errors';
import { copyVector, keyFile, makeModel, MT, PRIV, PUB, removeTemp, SPEC } from './vectors';

const T = 'application/vnd.in-toto+json';
const keyVerifier = () => createKeyVerifier({ publicKeyPem: PUB() });
const certVerifier = () => createCertificateVerifier({ trustAnchorPems: [keyFile('ca-cert.pem')] });
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const root = (ds: string[]) => createHash('sha256').update(Buffer.concat(ds.map((d) => Buffer.from(d, 'hex')))).digest('hex');
const tmp: string[] = [];
const track = (p: string) => (tmp.push(p), p);
after(() => tmp.forEach(removeTemp));

function expectValid(r: VerificationResult): asserts r is Extract<VerificationResult, { verdict: 'valid' }> {
  assert.equal(r.verdict, 'valid', r.verdict === 'invalid' ? `${r.reason}: ${r.message}` : '');
}
function expectInvalid(r: VerificationResult, reason: string) {
  assert.equal(r.verdict, 'invalid', 'expected invalid');
  if (r.verdict === 'invalid') assert.equal(r.reason, reason, r.message);
  return r as Extract<VerificationResult, { verdict: 'invalid' }>;
}
const verify = (o: Partial<VerifyModelOptions> & { modelPath: string }) => verifyModel({ verifier: keyVerifier(), ...o });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const statementOf = (bundle: Json): Json => JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
const readBundle = (p: string): Json => JSON.parse(fs.readFileSync(p, 'utf8'));
/** Re-signs an edited statement with the vector key (the attacker holds the key, or a bug wrote it). */
async function resign(statement: Json, fixRoot = true): Promise<BundleJson> {
  if (fixRoot) statement.subject[0].digest.sha256 = root(statement.predicate.resources.map((r: Json) => r.digest));
  return createKeySigner({ privateKeyPem: PRIV() }).sign(Buffer.from(JSON.stringify(statement, null, 2)), T);
}

describe('verifyModel on the model_signing vectors', () => {
  it('v1.1.0-elliptic-key: valid with signing-key-pub.pem', async () => {
    const dir = track(copyVector('v1.1.0-elliptic-key'));
    const r = await verify({ modelPath: dir, signaturePath: path.join(dir, 'model.sig') });
    expectValid(r);
    assert.equal(r.manifest.rootDigest, '92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4');
    assert.deepEqual(r.signer, { method: 'key', keyHint: 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e' });
    assert.equal(r.method, 'key');
  });
  it('v1.1.0-elliptic-key: another public key → KEY_MISMATCH', async () => {
    const dir = track(copyVector('v1.1.0-elliptic-key'));
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' });
    expectInvalid(await verify({ modelPath: dir, signaturePath: path.join(dir, 'model.sig'), verifier: createKeyVerifier({ publicKeyPem: other }) }), 'KEY_MISMATCH');
  });
  it('v1.1.0-elliptic-key signature against the v1.1.0-certificate dir → CONTENT_MISMATCH on signme-1', async () => {
    const key = track(copyVector('v1.1.0-elliptic-key'));
    const cert = track(copyVector('v1.1.0-certificate'));
    const r = expectInvalid(await verify({ modelPath: cert, signaturePath: path.join(key, 'model.sig') }), 'CONTENT_MISMATCH');
    // model.sig in the cert dir is hidden by the signed ignore_paths
    assert.deepEqual(r.diff, { changed: ['signme-1'], missing: [], extra: [] });
  });
  it('v1.0.0-elliptic-key: valid via the file path, invalid via the directory', async () => {
    const dir = track(copyVector('v1.0.0-elliptic-key'));
    const sig = path.join(dir, 'model.sig');
    const ok = await verify({ modelPath: path.join(dir, 'signme-1'), signaturePath: sig });
    expectValid(ok);
    assert.deepEqual(ok.manifest.resources.map((r) => r.name), ['.']);
    const bad = expectInvalid(await verify({ modelPath: dir, signaturePath: sig }), 'CONTENT_MISMATCH');
    assert.deepEqual(bad.diff, { changed: [], missing: ['.'], extra: ['signme-1'] });
  });
  it('v1.0.0-certificate: valid via certificate (root anchor) and via key', async () => {
    const dir = track(copyVector('v1.0.0-certificate'));
    const signaturePath = path.join(dir, 'model.sig');
    const r = await verify({ modelPath: dir, signaturePath, verifier: certVerifier() });
    expectValid(r);
    assert.equal(r.signer.method, 'certificate');
    expectValid(await verify({ modelPath: dir, signaturePath }));
  });
  it('v1.1.0-certificate: valid, its recorded ignore_paths hide ignore-me', async () => {
    const dir = track(copyVector('v1.1.0-certificate'));
    const r = await verify({ modelPath: dir, signaturePath: path.join(dir, 'model.sig'), verifier: certVerifier() });
    expectValid(r);
    assert.ok(r.manifest.serialization.ignore_paths?.includes('ignore-me'));
  });
  it('v1.1.0-certificate: wrong trust anchor → UNTRUSTED_SIGNER', async () => {
    const dir = track(copyVector('v1.1.0-certificate'));
    const verifier = createCertificateVerifier({ trustAnchorPems: [require('node:tls').rootCertificates[0]] });
    expectInvalid(await verify({ modelPath: dir, signaturePath: path.join(dir, 'model.sig'), verifier }), 'UNTRUSTED_SIGNER');
  });
  it('a sigstore bundle given to the key or certificate verifier is rejected', async () => {
    const dir = track(copyVector('v1.1.0-sigstore'));
    const signaturePath = path.join(dir, 'model.sig');
    expectInvalid(await verify({ modelPath: dir, signaturePath }), 'KEY_MISMATCH');
    expectInvalid(await verify({ modelPath: dir, signaturePath, verifier: certVerifier() }), 'UNTRUSTED_SIGNER');
  });
});

describe('verifyModel on the spec vectors', () => {
  const specModel = () => {
    const dir = track(copyVector('v1.1.0-elliptic-key'));
    fs.rmSync(path.join(dir, 'model.sig')); // the spec bundles do not ignore model.sig
    return dir;
  };
  it('valid/key.bundle.json and valid/certificate.bundle.json are valid', async () => {
    const dir = specModel();
    const k = await verify({ modelPath: dir, signaturePath: path.join(SPEC, 'valid/key.bundle.json') });
    expectValid(k);
    assert.equal(k.manifest.modelName, 'model');
    expectValid(await verify({ modelPath: dir, signaturePath: path.join(SPEC, 'valid/certificate.bundle.json'), verifier: certVerifier() }));
  });
  for (const [file, reason] of [
    ['invalid/empty.bundle.json', 'BUNDLE_MALFORMED'],
    ['invalid/missing-envelope.bundle.json', 'BUNDLE_MALFORMED'],
    ['invalid/missing-verification-material.bundle.json', 'BUNDLE_MALFORMED'],
    ['invalid/missing-tlog-entries.bundle.json', 'KEY_MISMATCH'],
    ['invalid-payload/wrong-predicate.bundle.json', 'SIGNATURE_INVALID'],
  ]) {
    it(`${file} → ${reason}`, async () => {
      expectInvalid(await verify({ modelPath: specModel(), signaturePath: path.join(SPEC, file) }), reason);
    });
  }
});

describe('verifyModel mutations (each its own reason)', () => {
  let dir: string;
  let sig: string;
  beforeEach(() => {
    dir = track(copyVector('v1.1.0-elliptic-key'));
    sig = path.join(dir, 'model.sig');
  });

  it('one byte of signme-2 changed → CONTENT_MISMATCH changed', async () => {
    const f = path.join(dir, 'signme-2');
    const b = fs.readFileSync(f);
    b[0] ^= 1;
    fs.writeFileSync(f, b);
    const r = expectInvalid(await verify({ modelPath: dir, signaturePath: sig }), 'CONTENT_MISMATCH');
    assert.deepEqual(r.diff, { changed: ['signme-2'], missing: [], extra: [] });
    assert.match(r.message, /changed: signme-2/);
    assert.equal(r.signer?.method, 'key', 'the signer is known even though the content is wrong');
  });
  it('signme-2 deleted → CONTENT_MISMATCH missing', async () => {
    fs.rmSync(path.join(dir, 'signme-2'));
    assert.deepEqual(expectInvalid(await verify({ modelPath: dir, signaturePath: sig }), 'CONTENT_MISMATCH').diff, { changed: [], missing: ['signme-2'], extra: [] });
  });
  it('extra.bin added → CONTENT_MISMATCH extra; valid with ignoreUnsignedFiles', async () => {
    fs.writeFileSync(path.join(dir, 'extra.bin'), 'x');
    assert.deepEqual(expectInvalid(await verify({ modelPath: dir, signaturePath: sig }), 'CONTENT_MISMATCH').diff, { changed: [], missing: [], extra: ['extra.bin'] });
    expectValid(await verify({ modelPath: dir, signaturePath: sig, ignoreUnsignedFiles: true }));
  });
  it('ignoreUnsignedFiles neither reads nor fails on unsigned symlinks', async () => {
    fs.symlinkSync('/nonexistent/target', path.join(dir, 'dangling'));
    fs.symlinkSync(path.join(dir, 'signme-1'), path.join(dir, 'link-to-signed'));
    expectInvalid(await verify({ modelPath: dir, signaturePath: sig }), 'SYMLINK');
    expectValid(await verify({ modelPath: dir, signaturePath: sig, ignoreUnsignedFiles: true }));
  });
  it('ignoreUnsignedFiles still reports changed and missing files', async () => {
    fs.writeFileSync(path.join(dir, 'signme-1'), 'changed');
    expectInvalid(await verify({ modelPath: dir, signaturePath: sig, ignoreUnsignedFiles: true }), 'CONTENT_MISMATCH');
  });
  it('a payload character changed → SIGNATURE_INVALID', async () => {
    const b = readBundle(sig);
    const p: string = b.dsseEnvelope.payload;
    const c = p[10] === 'A' ? 'B' : 'A';
    b.dsseEnvelope.payload = p.slice(0, 10) + c + p.slice(11);
    assert.notEqual(b.dsseEnvelope.payload, p);
    expectInvalid(await verify({ modelPath: dir, bundle: b, signaturePath: sig }), 'SIGNATURE_INVALID');
  });
  it('envelope swapped with one signed by another key → SIGNATURE_INVALID', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const foreign = await createKeySigner({ privateKeyPem: other }).sign(Buffer.from(JSON.stringify(statementOf(readBundle(sig)))), T);
    const b = readBundle(sig);
    b.dsseEnvelope = foreign.dsseEnvelope;
    expectInvalid(await verify({ modelPath: dir, bundle: b, signaturePath: sig }), 'SIGNATURE_INVALID');
  });
  it('envelope swapped with the certificate vector (same key, other model) → CONTENT_MISMATCH', async () => {
    const b = readBundle(sig);
    b.dsseEnvelope = readBundle(path.join(MT, 'v1.1.0-certificate/model.sig')).dsseEnvelope;
    expectInvalid(await verify({ modelPath: dir, bundle: b, signaturePath: sig }), 'CONTENT_MISMATCH');
  });
  it('mediaType changed → MEDIA_TYPE', async () => {
    const b = readBundle(sig);
    b.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
    expectInvalid(await verify({ modelPath: dir, bundle: b, signaturePath: sig }), 'MEDIA_TYPE');
  });
  it('truncated / non-JSON / missing signature file', async () => {
    const text = fs.readFileSync(sig, 'utf8');
    fs.writeFileSync(sig, text.slice(0, 100));
    expectInvalid(await verify({ modelPath: dir, signaturePath: sig }), 'BUNDLE_MALFORMED');
    fs.writeFileSync(sig, 'hello');
    expectInvalid(await verify({ modelPath: dir, signaturePath: sig }), 'BUNDLE_MALFORMED');
    expectInvalid(await verify({ modelPath: dir, signaturePath: path.join(dir, 'nope.sig') }), 'SIGNATURE_NOT_FOUND');
  });
  it('model path missing → MODEL_NOT_FOUND', async () => {
    expectInvalid(await verify({ modelPath: path.join(dir, 'gone'), signaturePath: sig }), 'MODEL_NOT_FOUND');
  });
  it('resource digest edited and re-signed without fixing the root → ROOT_DIGEST_MISMATCH', async () => {
    const st = statementOf(readBundle(sig));
    st.predicate.resources[0].digest = sha('evil');
    expectInvalid(await verify({ modelPath: dir, bundle: await resign(st, false), signaturePath: sig }), 'ROOT_DIGEST_MISMATCH');
  });
  for (const [label, name, reason] of [
    ['a ../ name', '../outside', 'RESOURCE_NAME_INVALID'],
    ['an absolute name', '/etc/passwd', 'RESOURCE_NAME_INVALID'],
    ['a duplicate name', 'signme-2', 'DUPLICATE_RESOURCE'],
  ]) {
    it(`${label} re-signed → ${reason}`, async () => {
      const st = statementOf(readBundle(sig));
      st.predicate.resources[0].name = name;
      expectInvalid(await verify({ modelPath: dir, bundle: await resign(st), signaturePath: sig, ignoreUnsignedFiles: true }), reason);
    });
  }
  it('ignore_paths hiding a weight file (file or directory) → IGNORE_PATHS_INVALID', async () => {
    fs.writeFileSync(path.join(dir, 'weights.safetensors'), 'w');
    fs.mkdirSync(path.join(dir, 'ckpt/deep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'ckpt/deep/model.bin'), 'w');
    for (const hidden of ['weights.safetensors', 'ckpt']) {
      const st = statementOf(readBundle(sig));
      st.predicate.serialization.ignore_paths.push(hidden);
      const r = expectInvalid(await verify({ modelPath: dir, bundle: await resign(st), signaturePath: sig }), 'IGNORE_PATHS_INVALID');
      assert.match(r.message, /weights\.safetensors|ckpt\/deep\/model\.bin/);
    }
  });
  it('ignore_paths hiding a signed file → IGNORE_PATHS_INVALID', async () => {
    const st = statementOf(readBundle(sig));
    st.predicate.serialization.ignore_paths.push('signme-1');
    expectInvalid(await verify({ modelPath: dir, bundle: await resign(st), signaturePath: sig }), 'IGNORE_PATHS_INVALID');
  });
  it('wrong predicateType re-signed → PREDICATE_TYPE; no resources → EMPTY_MODEL', async () => {
    const st = statementOf(readBundle(sig));
    st.predicateType = 'https://example.com/other';
    expectInvalid(await verify({ modelPath: dir, bundle: await resign(st), signaturePath: sig }), 'PREDICATE_TYPE');
    const empty = statementOf(readBundle(sig));
    empty.predicate.resources = [];
    expectInvalid(await verify({ modelPath: dir, bundle: await resign(empty), signaturePath: sig }), 'EMPTY_MODEL');
  });
  it('a symlink swapped in after signing → SYMLINK (valid only when symlinks are allowed)', async () => {
    const target = path.join(path.dirname(dir), 'outside-signme-2');
    fs.copyFileSync(path.join(dir, 'signme-2'), target);
    fs.rmSync(path.join(dir, 'signme-2'));
    fs.symlinkSync(target, path.join(dir, 'signme-2'));
    expectInvalid(await verify({ modelPath: dir, signaturePath: sig }), 'SYMLINK');
    expectValid(await verify({ modelPath: dir, signaturePath: sig, allowSymlinks: true }));
  });
  it('a local --ignore-paths never hides a signed file', async () => {
    fs.writeFileSync(path.join(dir, 'signme-1'), 'tampered');
    expectInvalid(await verify({ modelPath: dir, signaturePath: sig, ignorePaths: ['signme-1'] }), 'CONTENT_MISMATCH');
  });
  it('cancellation throws CancellationError', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(verify({ modelPath: dir, signaturePath: sig, signal: ac.signal }), CancellationError);
  });
});

describe('verifyModel accepts the historical and spec spellings', () => {
  it('a v0.1 Digests statement signed with the compat PAE verifies (legacy warning)', async () => {
    const dir = track(copyVector('v1.1.0-elliptic-key'));
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: ['signme-1', 'signme-2', 'ignore-me'].map((n) => ({ name: n, digest: { sha256: sha(fs.readFileSync(path.join(dir, n))) }, annotations: { actual_hash_algorithm: 'file-sha256' } })),
      predicateType: 'https://model_signing/Digests/v0.1',
      predicate: { unused: 'Unused, just passed due to API requirements' },
    };
    const payload = Buffer.from(JSON.stringify(statement, null, 2));
    const sig = cryptoSign('sha384', paeCompat(T, payload), { key: createPrivateKey(PRIV()), dsaEncoding: 'der' });
    const bundle = buildBundle({ publicKey: { hint: 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e' } }, payload, T, sig);
    const r = await verify({ modelPath: dir, bundle, signaturePath: path.join(dir, 'model.sig') });
    expectValid(r);
    assert.match(r.warnings.join(), /legacy/);
  });
  it('single-file model named by its basename (spec style) verifies', async () => {
    const dir = track(copyVector('v1.0.0-elliptic-key'));
    const st = statementOf(readBundle(path.join(dir, 'model.sig')));
    st.predicate.resources[0].name = 'signme-1';
    expectValid(await verify({ modelPath: path.join(dir, 'signme-1'), bundle: await resign(st) }));
  });
  it('shards with the spec algorithm spelling (sha256 instead of sha256-sharded-N) verify', async () => {
    const model = track(makeModel({ 'w.bin': Buffer.alloc(20, 7), 'b.txt': 'hello' }));
    const sigPath = path.join(path.dirname(model), 'model.sig');
    await signModel({ modelPath: model, signer: createKeySigner({ privateKeyPem: PRIV() }), signaturePath: sigPath, serialization: { method: 'shards', shardSize: 8 } });
    const st = statementOf(readBundle(sigPath));
    for (const r of st.predicate.resources) r.algorithm = 'sha256';
    expectValid(await verify({ modelPath: model, bundle: await resign(st) }));
  });
});

describe('signModel', () => {
  const p256 = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

  it('signs, auto-ignores an inside signature, and verifies (P-256)', async () => {
    const { privateKey, publicKey } = p256();
    const model = track(makeModel({ 'weights.bin': 'abc', 'config.json': '{}', '.git/HEAD': 'ref' }));
    const signaturePath = path.join(model, 'model.sig');
    const res = await signModel({ modelPath: model, signer: createKeySigner({ privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) }), signaturePath });
    assert.deepEqual(res.manifest.resources.map((r) => r.name), ['config.json', 'weights.bin']);
    assert.ok(res.manifest.serialization.ignore_paths?.includes('model.sig'));
    assert.equal(res.manifest.rootDigest, root([sha('{}'), sha('abc')]));
    const text = fs.readFileSync(signaturePath, 'utf8');
    assert.ok(text.startsWith('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"'));
    const r = await verifyModel({ modelPath: model, signaturePath, verifier: createKeyVerifier({ publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) }) });
    expectValid(r);
  });

  it('certificate round trip with the vector PKI, shards + blake2b honored on verify', async () => {
    const model = track(makeModel({ 'a/w.bin': Buffer.alloc(30, 1), 'a b': 'x', 'a-c': 'y' }));
    const signaturePath = path.join(path.dirname(model), 'cert.sig');
    const signer = createCertificateSigner({ privateKeyPem: PRIV(), certificatePem: keyFile('signing-key-cert.pem'), chainPems: [keyFile('int-ca-cert.pem')] });
    const res = await signModel({ modelPath: model, signer, signaturePath, serialization: { method: 'shards', shardSize: 16, hashAlgorithm: 'blake2b' } });
    assert.deepEqual(res.manifest.resources.map((r) => r.name), ['a/w.bin:0:16', 'a/w.bin:16:30', 'a b:0:1', 'a-c:0:1']);
    const r = await verifyModel({ modelPath: model, signaturePath, verifier: certVerifier() });
    expectValid(r);
    assert.equal(r.signer.method === 'certificate' && r.signer.subject, 'CN=intermediate-ca');
    fs.appendFileSync(path.join(model, 'a/w.bin'), 'more');
    const bad = expectInvalid(await verifyModel({ modelPath: model, signaturePath, verifier: certVerifier() }), 'CONTENT_MISMATCH');
    assert.deepEqual(bad.diff, { changed: ['a/w.bin'], missing: [], extra: [] });
  });

  it('blake3 files method round trip', async () => {
    const model = track(makeModel({ 'x.bin': 'blake3 data' }));
    const signaturePath = path.join(path.dirname(model), 'm.sig');
    const res = await signModel({ modelPath: model, signer: createKeySigner({ privateKeyPem: PRIV() }), signaturePath, serialization: { hashAlgorithm: 'blake3' } });
    assert.equal(res.manifest.resources[0].algorithm, 'blake3');
    expectValid(await verify({ modelPath: model, signaturePath }));
  });

  it('a model signed with --no-ignore-git-paths that includes .gitattributes verifies with default ignores', async () => {
    const model = track(makeModel({ 'w.bin': 'w', '.gitattributes': '* -text' }));
    const signaturePath = path.join(path.dirname(model), 'm.sig');
    await signModel({ modelPath: model, signer: createKeySigner({ privateKeyPem: PRIV() }), signaturePath, serialization: { ignoreGitPaths: false } });
    expectValid(await verify({ modelPath: model, signaturePath }));
  });

  it('refuses an empty model and leaves an existing signature untouched', async () => {
    const model = track(makeModel({}));
    const signaturePath = path.join(path.dirname(model), 'model.sig');
    fs.writeFileSync(signaturePath, 'previous');
    await assert.rejects(signModel({ modelPath: model, signer: createKeySigner({ privateKeyPem: PRIV() }), signaturePath }), (e: unknown) => (e as { code?: string }).code === 'EMPTY_MODEL');
    assert.equal(fs.readFileSync(signaturePath, 'utf8'), 'previous');
  });

  it('a failing signer never clobbers the previous signature nor leaves temp files', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const signaturePath = path.join(path.dirname(model), 'model.sig');
    fs.writeFileSync(signaturePath, 'previous');
    const failing = { method: 'key' as const, sign: async () => Promise.reject(new Error('hsm offline')) };
    await assert.rejects(signModel({ modelPath: model, signer: failing, signaturePath }), /hsm offline/);
    assert.equal(fs.readFileSync(signaturePath, 'utf8'), 'previous');
    assert.deepEqual(fs.readdirSync(path.dirname(model)).sort(), ['model', 'model.sig']);
  });

  it('an unwritable signature location → SIGNATURE_WRITE', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    await assert.rejects(
      signModel({ modelPath: model, signer: createKeySigner({ privateKeyPem: PRIV() }), signaturePath: path.join(model, 'no/such/dir/model.sig') }),
      (e: unknown) => (e as { code?: string }).code === 'SIGNATURE_WRITE',
    );
  });

  it('a missing model → MODEL_NOT_FOUND', async () => {
    await assert.rejects(
      signModel({ modelPath: '/nonexistent/trustlens-model', signer: createKeySigner({ privateKeyPem: PRIV() }), signaturePath: '/tmp/x.sig' }),
      (e: unknown) => (e as { code?: string }).code === 'MODEL_NOT_FOUND',
    );
  });
});
