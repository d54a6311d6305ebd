import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { createKeyVerifier, pae, type BundleJson } from '../../../../../src/core/signing';
import { MAX_BUNDLE_BYTES } from '../../../../../src/core/signing/bundle';
import { makeModel, PRIV, removeTemp } from '../vectors';
import { T, expectInvalid, expectValid, keyVerify, sha256Hex, signPayload, statement, type Json } from './helpers';

const clone = (b: BundleJson): Json => JSON.parse(JSON.stringify(b));

describe('adversarial: bundles and DSSE envelopes', () => {
  const tmp: string[] = [];
  const track = (p: string) => (tmp.push(p), p);
  after(() => tmp.forEach(removeTemp));

  /** A model with one file and a valid key bundle for it. */
  async function signed() {
    const model = track(makeModel({ 'w.bin': 'weights' }));
    const bundle = await signPayload(JSON.stringify(statement([{ name: 'w.bin', digest: sha256Hex('weights') }])));
    return { model, bundle };
  }

  it('control: the untampered bundle verifies', async () => {
    const { model, bundle } = await signed();
    expectValid(await keyVerify({ modelPath: model, bundle }));
  });

  it('only signatures[0] counts: [forged, valid] → SIGNATURE_INVALID', async () => {
    const { model, bundle } = await signed();
    const b = clone(bundle);
    const good = b.dsseEnvelope.signatures[0];
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
    const forged = cryptoSign('sha384', pae(T, Buffer.from(b.dsseEnvelope.payload, 'base64')), { key: other, dsaEncoding: 'der' }).toString('base64');
    b.dsseEnvelope.signatures = [{ sig: forged, keyid: '' }, good];
    expectInvalid(await keyVerify({ modelPath: model, bundle: b }), 'SIGNATURE_INVALID');
  });

  it('duplicate "payload" keys: the last one is used (as Python), so a signature over the first does not carry over', async () => {
    const { model, bundle } = await signed();
    const evil = Buffer.from(JSON.stringify(statement([{ name: 'w.bin', digest: sha256Hex('evil') }]))).toString('base64');
    const text = JSON.stringify(bundle).replace('"payload":', `"payload":"${evil}","payload":`);
    // JSON.parse keeps the last (signed) payload → still valid for the real weights, and never for "evil".
    expectValid(await keyVerify({ modelPath: model, bundle: text }));
    const swapped = JSON.stringify(bundle).replace(/"payload":"([^"]*)"/, (_m, p1: string) => `"payload":"${p1}","payload":"${evil}"`);
    expectInvalid(await keyVerify({ modelPath: model, bundle: swapped }), 'SIGNATURE_INVALID');
  });

  it('DER malleability: BER long-form length, trailing bytes, or a raw r||s signature → SIGNATURE_INVALID', async () => {
    const { model, bundle } = await signed();
    const der = Buffer.from((bundle as Json).dsseEnvelope.signatures[0].sig, 'base64');
    assert.equal(der[0], 0x30);
    const variants: Buffer[] = [];
    if (der[1] < 0x80) variants.push(Buffer.concat([Buffer.from([0x30, 0x81, der[1]]), der.subarray(2)]));
    variants.push(Buffer.concat([der, Buffer.from([0])]));
    const raw = cryptoSign('sha384', pae(T, Buffer.from((bundle as Json).dsseEnvelope.payload, 'base64')), { key: createPrivateKey(PRIV()), dsaEncoding: 'ieee-p1363' });
    variants.push(raw);
    for (const v of variants) {
      const b = clone(bundle);
      b.dsseEnvelope.signatures[0].sig = v.toString('base64');
      expectInvalid(await keyVerify({ modelPath: model, bundle: b }), 'SIGNATURE_INVALID');
    }
  });

  it('a P-521 key whose signature used SHA-256 instead of SHA-512 → SIGNATURE_INVALID', async () => {
    const model = track(makeModel({ 'w.bin': 'weights' }));
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
    const payload = Buffer.from(JSON.stringify(statement([{ name: 'w.bin', digest: sha256Hex('weights') }])));
    const sig = cryptoSign('sha256', pae(T, payload), { key: privateKey, dsaEncoding: 'der' });
    const b = { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: { publicKey: {}, tlogEntries: [] }, dsseEnvelope: { payload: payload.toString('base64'), payloadType: T, signatures: [{ sig: sig.toString('base64') }] } };
    const verifier = createKeyVerifier({ publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) });
    expectInvalid(await keyVerify({ modelPath: model, bundle: b, verifier }), 'SIGNATURE_INVALID');
    // control: the right hash verifies
    b.dsseEnvelope.signatures[0].sig = cryptoSign('sha512', pae(T, payload), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
    expectValid(await keyVerify({ modelPath: model, bundle: b, verifier }));
  });

  it('key hint of the right key with rawBytes of another key: rawBytes is not trusted, the supplied key decides', async () => {
    const { model, bundle } = await signed();
    const b = clone(bundle);
    const other = createPublicKey(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey).export({ type: 'spki', format: 'pem' });
    b.verificationMaterial.publicKey.rawBytes = Buffer.from(other).toString('base64');
    expectValid(await keyVerify({ modelPath: model, bundle: b }));
    delete b.verificationMaterial.publicKey.hint;
    expectValid(await keyVerify({ modelPath: model, bundle: b }));
    b.verificationMaterial.publicKey.hint = sha256Hex(other);
    expectInvalid(await keyVerify({ modelPath: model, bundle: b }), 'KEY_MISMATCH');
  });

  it('mediaType near-misses, two kinds of material, non-canonical base64 → rejected', async () => {
    const { model, bundle } = await signed();
    const mutations: [(b: Json) => void, string][] = [
      [(b) => (b.mediaType += ' '), 'MEDIA_TYPE'],
      [(b) => (b.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.3'), 'MEDIA_TYPE'],
      [(b) => (b.verificationMaterial.certificate = { rawBytes: 'AAAA' }), 'BUNDLE_MALFORMED'],
      // unpadded base64 (or, when the payload needs no padding, a dangling unpadded pair)
      [(b) => (b.dsseEnvelope.payload = b.dsseEnvelope.payload.endsWith('=') ? b.dsseEnvelope.payload.replace(/=+$/, '') : b.dsseEnvelope.payload + 'AA'), 'BUNDLE_MALFORMED'],
      [(b) => (b.dsseEnvelope.payload = ' ' + b.dsseEnvelope.payload), 'BUNDLE_MALFORMED'],
      [(b) => (b.dsseEnvelope.payload = b.dsseEnvelope.payload.replace(/\+/g, '-').replace(/\//g, '_') + (/[+/]/.test(b.dsseEnvelope.payload) ? '' : '-')), 'BUNDLE_MALFORMED'],
      [(b) => (b.dsseEnvelope.signatures = []), 'BUNDLE_MALFORMED'],
      [(b) => (b.dsseEnvelope.payloadType = 'application/json'), 'SIGNATURE_INVALID'],
    ];
    for (const [i, [mutate, code]] of mutations.entries()) {
      const b = clone(bundle);
      mutate(b);
      const r = await keyVerify({ modelPath: model, bundle: b });
      assert.equal(r.verdict === 'invalid' ? r.reason : 'valid', code, `mutation #${i}`);
    }
  });

  it('a signature path that is /dev/zero, a FIFO, a directory or a huge file fails fast without reading it all', async function () {
    if (process.platform === 'win32') this.skip();
    const { model } = await signed();
    const dir = path.dirname(model);
    const fifo = path.join(dir, 'sig.fifo');
    execFileSync('mkfifo', [fifo]);
    const huge = path.join(dir, 'huge.sig');
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, MAX_BUNDLE_BYTES * 64); // sparse: 1 GiB that would be read into memory
    for (const p of ['/dev/zero', fifo, dir, huge]) {
      const t0 = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([keyVerify({ modelPath: model, signaturePath: p }), new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), 3000)))]);
      clearTimeout(timer);
      if (r === 'timeout') {
        if (p === fifo) fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
        assert.fail(`verification hung on signature path ${p}`);
      }
      assert.equal(r.verdict, 'invalid', p);
      assert.ok(Date.now() - t0 < 2000, `${p} took ${Date.now() - t0} ms`);
    }
  });
});
