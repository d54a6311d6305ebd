import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serializeModel, type SerializeModelOptions } from '../../../../../src/core/signing/serialization';
import { makeTempDir, writeTree } from './helpers';

/** Output of the reference implementation on a tree with ordering traps (see `about` in the file). */
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/reference-tricky-tree.json'), 'utf8')) as {
  files: Record<string, string>;
  expected: Record<string, [string, string, string][]>;
};

const configs: Record<string, Partial<SerializeModelOptions>> = {
  'files-sha256': { method: 'files', hashAlgorithm: 'sha256' },
  'files-blake2': { method: 'files', hashAlgorithm: 'blake2b' },
  'shards-sha256-8': { method: 'shards', hashAlgorithm: 'sha256', shardSize: 8 },
  'shards-blake2-5': { method: 'shards', hashAlgorithm: 'blake2b', shardSize: 5 },
};

describe('differential check against model_signing output (unicode, spaces, colons, empty files)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir();
    writeTree(tmp.dir, fixture.files);
  });
  after(() => tmp.cleanup());

  for (const [name, cfg] of Object.entries(configs)) {
    it(name, async () => {
      const m = await serializeModel(tmp.dir, { ignorePaths: [], ignoreGitPaths: true, allowSymlinks: false, method: 'files', hashAlgorithm: 'sha256', ...cfg });
      assert.deepEqual(
        m.resources.map((r) => [r.name, r.algorithm, r.digest]),
        fixture.expected[name],
      );
    });
  }
});
