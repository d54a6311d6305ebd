import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serializeModel, type SerializeModelOptions } from '../../../../../src/core/signing/serialization';
import { FIXTURES, PAYLOAD_GOLDENS, SERIALIZATION_GOLDENS, makeTempDir, materializeFixtures } from './helpers';

const base: SerializeModelOptions = { method: 'files', hashAlgorithm: 'sha256', ignorePaths: [], ignoreGitPaths: false, allowSymlinks: true };
const skipSymlinks = process.platform === 'win32';

describe('serialization goldens (model_signing 1.1.x testdata)', function () {
  let tmp: ReturnType<typeof makeTempDir>;
  let models: Record<string, string>;
  before(function () {
    if (!fs.existsSync(SERIALIZATION_GOLDENS)) this.skip();
    tmp = makeTempDir();
    models = materializeFixtures(tmp.dir);
  });
  after(() => tmp?.cleanup());

  const variants: { dir: string; suffix: string; opts: Partial<SerializeModelOptions> }[] = [
    { dir: 'file', suffix: '', opts: { method: 'files' } },
    { dir: 'file_shard', suffix: '', opts: { method: 'shards' } },
    { dir: 'file_shard', suffix: '_small_shards', opts: { method: 'shards', shardSize: 8 } },
  ];
  for (const fixture of Object.keys(FIXTURES)) {
    for (const v of variants) {
      // Two ways of hashing: inline on this thread and through the worker pool.
      for (const inline of [true, false]) {
        it(`${v.dir}/${fixture}${v.suffix} (${inline ? 'inline' : 'workers'})`, async function () {
          if (skipSymlinks && fixture.startsWith('symlink')) this.skip();
          const golden = fs.readFileSync(path.join(SERIALIZATION_GOLDENS, v.dir, 'TestSerializer', fixture + v.suffix), 'utf8');
          const expected = golden.split('\n').filter((l) => l !== '');
          const m = await serializeModel(models[fixture], { ...base, ...v.opts, inlineThresholdBytes: inline ? Infinity : 0 });
          assert.deepEqual(
            m.resources.map((r) => `${r.name}:${r.digest}`),
            expected,
          );
        });
      }
    }
  }
});

interface PayloadGolden {
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: { serialization: Record<string, unknown>; resources: { name: string; algorithm: string; digest: string }[] };
}

describe('payload goldens (TestPayload): subject, root digest, resources, serialization', function () {
  let tmp: ReturnType<typeof makeTempDir>;
  let models: Record<string, string>;
  before(function () {
    if (!fs.existsSync(PAYLOAD_GOLDENS)) this.skip();
    tmp = makeTempDir();
    models = materializeFixtures(tmp.dir);
  });
  after(() => tmp?.cleanup());

  const variants: { suffix: string; opts: Partial<SerializeModelOptions> }[] = [
    { suffix: '', opts: { method: 'files' } },
    { suffix: '_shard', opts: { method: 'shards' } },
    { suffix: '_small_shards', opts: { method: 'shards', shardSize: 8 } },
  ];
  for (const fixture of Object.keys(FIXTURES)) {
    for (const v of variants) {
      it(`${fixture}${v.suffix}`, async function () {
        if (skipSymlinks && fixture.startsWith('symlink')) this.skip();
        const golden = JSON.parse(fs.readFileSync(path.join(PAYLOAD_GOLDENS, fixture + v.suffix), 'utf8')) as PayloadGolden;
        const m = await serializeModel(models[fixture], { ...base, ...v.opts });
        assert.equal(golden.subject.length, 1);
        assert.equal(m.modelName, golden.subject[0].name);
        assert.equal(m.rootDigest, golden.subject[0].digest.sha256);
        assert.deepEqual(
          m.resources,
          golden.predicate.resources.map((r) => ({ name: r.name, algorithm: r.algorithm, digest: r.digest })),
        );
        // Python prints shard_size as a float (8.0); JSON.parse gives the number 8 either way.
        assert.deepEqual(m.serialization, golden.predicate.serialization);
        assert.ok(Number.isInteger(m.serialization.shard_size ?? 0));
      });
    }
  }
});
