import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unsignedEntries } from '../../../../../src/core/signing/unsignedPaths';
import { makeTempDir } from '../serialization/helpers';
import { expectInvalid, keyVerify, signPayload, statement } from './helpers';

describe('adversarial: bounded time on large inputs', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('tl-adv-')));
  after(() => tmp.cleanup());

  it('--ignore-unsigned-files walk: 8000 dirs against 200k signed paths and 200k ignores stays linear', async () => {
    const root = path.join(tmp.dir, 'm');
    for (let i = 0; i < 8000; i++) {
      fs.mkdirSync(path.join(root, `d${i}`), { recursive: true });
      fs.writeFileSync(path.join(root, `d${i}`, 'f'), '');
    }
    fs.writeFileSync(path.join(root, 'extra'), '');
    const signed = Array.from({ length: 200_000 }, (_, i) => `d${i}/f`);
    const ignored = Array.from({ length: 200_000 }, (_, i) => `ign${i}`);
    const t0 = Date.now();
    const out = await unsignedEntries(root, signed, ignored);
    const ms = Date.now() - t0;
    assert.ok(ms < 2500, `took ${ms} ms`);
    assert.deepEqual(out, ['extra']);
    assert.ok(ms < 3000, `took ${ms} ms`);
  });
});

describe('adversarial: a tiny recorded shard_size on a big file', function () {
  this.timeout(20000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('tl-adv-')));
  after(() => tmp.cleanup());

  it('fails fast with SERIALIZATION_UNSUPPORTED instead of planning 10^8 shards', async () => {
    const model = path.join(tmp.dir, 'm');
    fs.mkdirSync(model);
    const big = path.join(model, 'w.bin');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 100_000_000); // sparse
    const st = statement([{ name: 'w.bin:0:1', algorithm: 'sha256-sharded-1', digest: 'a'.repeat(64) }], { method: 'shards', shard_size: 1 });
    const bundle = await signPayload(JSON.stringify(st));
    const t0 = Date.now();
    const r = await keyVerify({ modelPath: model, bundle });
    expectInvalid(r, 'SERIALIZATION_UNSUPPORTED');
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  });
});
