import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeModel, removeTemp } from '../vectors';
import { expectInvalid, expectValid, keyVerify, sha256Hex, signPayload, statement } from './helpers';

const NFC = 'caf\u00e9.bin';
const NFD = 'cafe\u0301.bin';

describe('adversarial: unicode and nesting', function () {
  this.timeout(30000);
  const tmp: string[] = [];
  const track = (p: string) => (tmp.push(p), p);
  after(() => tmp.forEach(removeTemp));

  it('NFC and NFD spellings are different files: a signature for one does not cover the other', async function () {
    const model = track(makeModel({ [NFD]: 'w' }));
    const names = fs.readdirSync(model);
    if (!names.includes(NFD)) this.skip(); // a normalizing file system (HFS+) stores one spelling only
    const bundle = await signPayload(JSON.stringify(statement([{ name: NFC, digest: sha256Hex('w') }])));
    const r = await keyVerify({ modelPath: model, bundle });
    expectInvalid(r, 'CONTENT_MISMATCH');
    assert.ok(r.verdict === 'invalid' && r.diff?.missing.includes(NFC) && r.diff.extra.includes(NFD));
  });

  it('both spellings present and both signed: valid, each with its own digest', async function () {
    const model = track(makeModel({ [NFC]: 'nfc', [NFD]: 'nfd' }));
    if (fs.readdirSync(model).length !== 2) this.skip();
    const bundle = await signPayload(JSON.stringify(statement([{ name: NFC, digest: sha256Hex('nfc') }, { name: NFD, digest: sha256Hex('nfd') }])));
    expectValid(await keyVerify({ modelPath: model, bundle }));
    const swapped = await signPayload(JSON.stringify(statement([{ name: NFC, digest: sha256Hex('nfd') }, { name: NFD, digest: sha256Hex('nfc') }])));
    expectInvalid(await keyVerify({ modelPath: model, bundle: swapped }), 'CONTENT_MISMATCH');
  });

  it('a 500k-deep nested value in an unknown bundle field neither crashes nor changes the verdict', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const bundle = await signPayload(JSON.stringify(statement([{ name: 'w.bin', digest: sha256Hex('w') }])));
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    const text = JSON.stringify(bundle).replace(/^\{/, `{"x":${deep},`);
    expectValid(await keyVerify({ modelPath: model, bundle: text }));
    const payloadDeep = JSON.stringify(statement([{ name: 'w.bin', digest: sha256Hex('w') }])).replace(/^\{/, `{"x":${deep},`);
    expectValid(await keyVerify({ modelPath: model, bundle: await signPayload(payloadDeep) }));
  });

  it('a signed name with a lone surrogate (not a possible file name) never matches', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const payload = JSON.stringify(statement([{ name: 'w.bin', digest: sha256Hex('w') }, { name: 'x\ud800', digest: sha256Hex('x') }]));
    const r = await keyVerify({ modelPath: model, bundle: await signPayload(payload) });
    assert.equal(r.verdict, 'invalid');
    assert.ok(fs.existsSync(path.join(model, 'w.bin')));
  });
});
