import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBundle, parseBundleJson, parseBundleText, requireMediaType, serializeBundle, BUNDLE_MEDIA_TYPE_V03 } from '../../../../src/core/signing/bundle';
import { VerificationError } from '../../../../src/core/signing/verificationError';
import { MT, SPEC } from './vectors';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof VerificationError, `expected VerificationError, got ${String(e)}`);
    return e.code;
  }
  return undefined;
}

const v110key = () => JSON.parse(fs.readFileSync(path.join(MT, 'v1.1.0-elliptic-key/model.sig'), 'utf8'));

describe('bundle reader', () => {
  it('reads the v1.1 key bundle with its hint', () => {
    const b = parseBundleText(fs.readFileSync(path.join(MT, 'v1.1.0-elliptic-key/model.sig')));
    assert.equal(b.mediaType, BUNDLE_MEDIA_TYPE_V03);
    assert.deepEqual(b.material, { kind: 'publicKey', hint: 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e' });
    assert.match(b.payload.toString(), /"_type": "https:\/\/in-toto.io\/Statement\/v1"/);
    assert.ok(b.signature.length > 64);
  });
  it('reads the pre-1.1 layout (rawBytes + keyDetails, keyid null, no tlogEntries) without a hint', () => {
    const b = parseBundleText(fs.readFileSync(path.join(MT, 'v1.0.0-elliptic-key/model.sig')));
    assert.deepEqual(b.material, { kind: 'publicKey', hint: undefined });
  });
  it('reads certificate chains as DER', () => {
    const b = parseBundleText(fs.readFileSync(path.join(MT, 'v1.1.0-certificate/model.sig')));
    assert.equal(b.material.kind, 'x509CertificateChain');
    if (b.material.kind === 'x509CertificateChain') assert.equal(b.material.certificates[0][0], 0x30);
  });
  it('accepts keyid absent, "" and null', () => {
    for (const keyid of [undefined, '', null]) {
      const j = v110key();
      if (keyid === undefined) delete j.dsseEnvelope.signatures[0].keyid;
      else j.dsseEnvelope.signatures[0].keyid = keyid;
      assert.doesNotThrow(() => parseBundleJson(j));
    }
  });
  it('uses signatures[0] and rejects an envelope without signatures', () => {
    const j = v110key();
    j.dsseEnvelope.signatures.push({ sig: 'AAAA', keyid: '' });
    assert.equal(parseBundleJson(j).signature.toString('base64'), v110key().dsseEnvelope.signatures[0].sig);
    j.dsseEnvelope.signatures = [];
    assert.equal(code(() => parseBundleJson(j)), 'BUNDLE_MALFORMED');
  });
  it('rejects the spec invalid bundles with BUNDLE_MALFORMED', () => {
    for (const f of ['empty.bundle.json', 'missing-envelope.bundle.json', 'missing-verification-material.bundle.json']) {
      assert.equal(code(() => parseBundleText(fs.readFileSync(path.join(SPEC, 'invalid', f)))), 'BUNDLE_MALFORMED', f);
    }
  });
  it('rejects truncated, non-JSON and wrongly typed bundles', () => {
    const text = fs.readFileSync(path.join(MT, 'v1.1.0-elliptic-key/model.sig'), 'utf8');
    for (const bad of [text.slice(0, text.length / 2), 'not json', '[]', 'null', '42', '{}']) {
      assert.equal(code(() => parseBundleText(bad)), 'BUNDLE_MALFORMED', bad.slice(0, 20));
    }
    const j = v110key();
    j.dsseEnvelope.payload = '!!!not base64';
    assert.equal(code(() => parseBundleJson(j)), 'BUNDLE_MALFORMED');
    const k = v110key();
    k.verificationMaterial.x509CertificateChain = { certificates: [{ rawBytes: 'AAAA' }] };
    assert.equal(code(() => parseBundleJson(k)), 'BUNDLE_MALFORMED', 'two kinds of material');
  });
  it('requires the exact v0.3 mediaType', () => {
    const j = v110key();
    j.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.2';
    assert.equal(code(() => requireMediaType(parseBundleJson(j))), 'MEDIA_TYPE');
    assert.equal(code(() => requireMediaType(parseBundleJson(v110key()))), undefined);
  });
});

describe('bundle writer', () => {
  it('writes compact JSON in model_signing key order with keyid "" and empty tlogEntries', () => {
    const text = serializeBundle(buildBundle({ publicKey: { hint: 'ab'.repeat(32) } }, Buffer.from('{}'), 'application/vnd.in-toto+json', Buffer.from([1, 2, 3])));
    assert.equal(
      text,
      `{"mediaType":"${BUNDLE_MEDIA_TYPE_V03}","verificationMaterial":{"publicKey":{"hint":"${'ab'.repeat(32)}"},"tlogEntries":[]},` +
        '"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AQID","keyid":""}]}}',
    );
    assert.equal(parseBundleText(text).payload.toString(), '{}');
  });
});
