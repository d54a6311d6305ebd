import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { blake3 } from '@noble/hashes/blake3.js';
import { SerializationError, serializeModel, shardRanges, type SerializeModelOptions } from '../../../../../src/core/signing/serialization';
import { makeTempDir, writeTree } from './helpers';

const files: SerializeModelOptions = { method: 'files', hashAlgorithm: 'sha256', ignorePaths: [], ignoreGitPaths: true, allowSymlinks: false };
const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const posix = process.platform !== 'win32';

describe('serializeModel', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  describe('ignores', () => {
    it('drops top-level git paths by default and records them sorted', async () => {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { 'w.bin': 'w', '.git/HEAD': 'x', '.gitignore': 'x', '.gitattributes': 'x', '.github/ci.yml': 'x', 'sub/.git/HEAD': 'y', '.gitmodules': 'z', '.hidden': 'h' });
      const man = await serializeModel(m, files);
      assert.deepEqual(man.resources.map((r) => r.name), ['.gitmodules', '.hidden', 'sub/.git/HEAD', 'w.bin']);
      assert.deepEqual(man.serialization.ignore_paths, ['.git', '.gitattributes', '.github', '.gitignore']);
    });

    it('keeps git paths with ignoreGitPaths=false and omits ignore_paths when empty', async () => {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { 'w.bin': 'w', '.gitignore': 'x' });
      const man = await serializeModel(m, { ...files, ignoreGitPaths: false });
      assert.deepEqual(man.resources.map((r) => r.name), ['.gitignore', 'w.bin']);
      assert.equal('ignore_paths' in man.serialization, false);
    });

    it('ignores a user path and everything under it, by whole components, and normalizes it', async () => {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { 'a/x': '1', 'a/y/z': '2', 'ab': '3', 'a.txt': '4', 'c/d': '5', 'c/e': '6', 'model.sig': 's' });
      const man = await serializeModel(m, { ...files, ignoreGitPaths: false, ignorePaths: ['./a/', 'c//d', 'model.sig', '../outside', 'x/../c/e'] });
      assert.deepEqual(man.resources.map((r) => r.name), ['a.txt', 'ab']);
      assert.deepEqual(man.serialization.ignore_paths, ['a', 'c/d', 'c/e', 'model.sig']);
    });

    it('rejects an ignore path naming the model root', async () => {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { f: '1' });
      await assert.rejects(serializeModel(m, { ...files, ignorePaths: ['.'] }), { code: 'INVALID_PATH' });
    });
  });

  describe('symlinks', function () {
    before(function () {
      if (!posix) this.skip();
    });

    it('rejects a symlink with SYMLINK_NOT_ALLOWED naming the path', async () => {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { f: 'x' });
      writeTree(tmp.dir, { outside: 'target' });
      fs.symlinkSync('../outside', path.join(m, 'link'));
      await assert.rejects(serializeModel(m, files), (e: unknown) => {
        assert.ok(e instanceof SerializationError);
        assert.equal(e.code, 'SYMLINK_NOT_ALLOWED');
        assert.match(e.message, /link/);
        assert.equal(e.path, path.join(m, 'link'));
        return true;
      });
    });

    it('rejects a symlinked model root unless allowed', async () => {
      writeTree(tmp.dir, { 'real/f': 'x' });
      fs.symlinkSync('real', path.join(tmp.dir, 'alias'));
      await assert.rejects(serializeModel(path.join(tmp.dir, 'alias'), files), { code: 'SYMLINK_NOT_ALLOWED' });
      const man = await serializeModel(path.join(tmp.dir, 'alias'), { ...files, allowSymlinks: true });
      assert.equal(man.modelName, 'alias');
      assert.deepEqual(man.resources.map((r) => r.name), ['f']);
    });

    it('ignores symlinks inside ignored paths', async () => {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { f: 'x', '.git/objects/o': 'y' });
      fs.symlinkSync('objects', path.join(m, '.git', 'link'));
      const man = await serializeModel(m, files);
      assert.deepEqual(man.resources.map((r) => r.name), ['f']);
    });

    it('with allowSymlinks hashes a file link through its target under the link name and skips dir links', async () => {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { f: 'x', 'd/inner': 'i' });
      writeTree(tmp.dir, { outside: 'target-bytes' });
      fs.symlinkSync('../outside', path.join(m, 'link'));
      fs.symlinkSync('d', path.join(m, 'dirlink'));
      const man = await serializeModel(m, { ...files, allowSymlinks: true });
      assert.deepEqual(man.resources, [
        { name: 'd/inner', algorithm: 'sha256', digest: sha256('i') },
        { name: 'f', algorithm: 'sha256', digest: sha256('x') },
        { name: 'link', algorithm: 'sha256', digest: sha256('target-bytes') },
      ]);
      assert.equal(man.serialization.allow_symlinks, true);
    });

    it('reports a broken symlink as NOT_FOUND', async () => {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { f: 'x' });
      fs.symlinkSync('nowhere', path.join(m, 'broken'));
      await assert.rejects(serializeModel(m, { ...files, allowSymlinks: true }), { code: 'NOT_FOUND' });
    });
  });

  describe('special files and bad names', function () {
    before(function () {
      if (!posix) this.skip();
    });

    it('rejects a FIFO with NOT_A_FILE', async function () {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { f: 'x' });
      try {
        execFileSync('mkfifo', [path.join(m, 'pipe')]);
      } catch {
        this.skip();
      }
      await assert.rejects(serializeModel(m, files), (e: unknown) => TrustLensCode(e) === 'NOT_A_FILE' && String((e as Error).message).includes('pipe'));
    });

    it('rejects a socket with NOT_A_FILE', async () => {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { f: 'x' });
      const server = net.createServer();
      await new Promise<void>((r) => server.listen(path.join(m, 'sock'), r));
      try {
        await assert.rejects(serializeModel(m, files), { code: 'NOT_A_FILE' });
      } finally {
        server.close();
      }
    });

    it('rejects a file name that is not valid UTF-8 with INVALID_PATH', async function () {
      const m = path.join(tmp.dir, 'm');
      writeTree(m, { f: 'x' });
      try {
        fs.writeFileSync(Buffer.concat([Buffer.from(m + '/bad-'), Buffer.from([0xff, 0xfe])]), 'x');
      } catch {
        this.skip(); // file systems that enforce UTF-8 names
      }
      await assert.rejects(serializeModel(m, files), { code: 'INVALID_PATH' });
    });
  });

  it('fails with NOT_FOUND for a missing model', async () => {
    await assert.rejects(serializeModel(path.join(tmp.dir, 'nope'), files), (e: unknown) => e instanceof SerializationError && e.code === 'NOT_FOUND');
  });

  it('rejects bad options with INVALID_OPTIONS', async () => {
    writeTree(tmp.dir, { f: 'x' });
    await assert.rejects(serializeModel(tmp.dir, { ...files, method: 'shards', shardSize: 0 }), { code: 'INVALID_OPTIONS' });
    await assert.rejects(serializeModel(tmp.dir, { ...files, method: 'shards', shardSize: 1.5 }), { code: 'INVALID_OPTIONS' });
    await assert.rejects(serializeModel(tmp.dir, { ...files, hashAlgorithm: 'md5' as never }), { code: 'INVALID_OPTIONS' });
  });

  describe('single-file model and model names', () => {
    it('names the only resource "." and the subject by the file name', async () => {
      writeTree(tmp.dir, { 'model.bin': 'signme-1\n' });
      const man = await serializeModel(path.join(tmp.dir, 'model.bin'), files);
      assert.equal(man.modelName, 'model.bin');
      assert.deepEqual(man.resources, [{ name: '.', algorithm: 'sha256', digest: 'bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc' }]);
      assert.equal(man.rootDigest, 'afa48c8674afe334b8a7dea34f7b46ab256e9255edf8da2132792341b667a45b');
    });

    it('resolves "." and ".." to the directory basename like the reference', async () => {
      const m = path.join(tmp.dir, 'my model');
      writeTree(m, { 'sub/f': 'x' });
      const cwd = process.cwd();
      try {
        process.chdir(m);
        assert.equal((await serializeModel('.', files)).modelName, 'my model');
        assert.equal((await serializeModel('./', files)).modelName, 'my model');
        process.chdir(path.join(m, 'sub'));
        const up = await serializeModel('..', files);
        assert.equal(up.modelName, 'my model');
        assert.deepEqual(up.resources.map((r) => r.name), ['sub/f']);
      } finally {
        process.chdir(cwd);
      }
      assert.equal((await serializeModel(m + '/', files)).modelName, 'my model');
    });
  });

  describe('algorithms and shards', () => {
    const content = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31 + 7) & 255));

    it('blake2b gives 64-byte digests equal to node:crypto blake2b512', async () => {
      writeTree(tmp.dir, { f: content });
      const man = await serializeModel(tmp.dir, { ...files, hashAlgorithm: 'blake2b' });
      assert.deepEqual(man.resources, [{ name: 'f', algorithm: 'blake2b', digest: createHash('blake2b512').update(content).digest('hex') }]);
      assert.equal(man.serialization.hash_type, 'blake2b');
    });

    it('blake3 matches an independent implementation (@noble/hashes), inline and in workers', async () => {
      writeTree(tmp.dir, { f: content, g: 'abc' });
      const expected = [
        { name: 'f', algorithm: 'blake3', digest: Buffer.from(blake3(content)).toString('hex') },
        { name: 'g', algorithm: 'blake3', digest: Buffer.from(blake3(Buffer.from('abc'))).toString('hex') },
      ];
      assert.deepEqual((await serializeModel(tmp.dir, { ...files, hashAlgorithm: 'blake3', inlineThresholdBytes: 0 })).resources, expected);
      assert.deepEqual((await serializeModel(tmp.dir, { ...files, hashAlgorithm: 'blake3', inlineThresholdBytes: Infinity })).resources, expected);
    });

    it('falls back to the files method for blake3 + shards, as the reference does', async () => {
      writeTree(tmp.dir, { f: content });
      const man = await serializeModel(tmp.dir, { ...files, method: 'shards', shardSize: 100, hashAlgorithm: 'blake3' });
      assert.equal(man.serialization.method, 'files');
      assert.equal(man.serialization.shard_size, undefined);
      assert.deepEqual(man.resources.map((r) => r.name), ['f']);
    });

    it('shards: names path:start:end, algorithm <hash>-sharded-<N>, integer shard_size, empty files dropped', async () => {
      writeTree(tmp.dir, { f: content, empty: '' });
      const man = await serializeModel(tmp.dir, { ...files, method: 'shards', shardSize: 1000, hashAlgorithm: 'blake2b' });
      assert.deepEqual(
        man.resources.map((r) => r.name),
        ['f:0:1000', 'f:1000:2000', 'f:2000:3000', 'f:3000:4000', 'f:4000:5000'],
      );
      for (const r of man.resources) {
        const [, s, e] = r.name.split(':').map(Number);
        assert.equal(r.algorithm, 'blake2b-sharded-1000');
        assert.equal(r.digest, createHash('blake2b512').update(content.subarray(s, e)).digest('hex'));
      }
      assert.deepEqual(man.serialization, { method: 'shards', hash_type: 'blake2b', allow_symlinks: false, shard_size: 1000, ignore_paths: ['.git', '.gitattributes', '.github', '.gitignore'] });
      assert.ok(JSON.stringify(man.serialization).includes('"shard_size":1000,') || JSON.stringify(man.serialization).includes('"shard_size":1000}'));
    });

    it('hashes many MiB across read-chunk and shard boundaries in parallel correctly', async () => {
      const big = Buffer.alloc(13 * 1024 * 1024 + 12345);
      for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
      writeTree(tmp.dir, { big, 'small/a': 'a', 'small/b': 'b' });
      const shard = 3_000_001;
      const man = await serializeModel(tmp.dir, { ...files, method: 'shards', shardSize: shard, inlineThresholdBytes: 0 });
      const expected = shardRanges(big.length, shard).map(([s, e]) => ({ name: `big:${s}:${e}`, algorithm: `sha256-sharded-${shard}`, digest: sha256(big.subarray(s, e)) }));
      assert.deepEqual(man.resources.slice(0, expected.length), expected);
      const whole = await serializeModel(tmp.dir, { ...files, inlineThresholdBytes: 0 });
      assert.equal(whole.resources[0].digest, sha256(big));
    });
  });

  it('shardRanges follows the reference endpoints', () => {
    assert.deepEqual(shardRanges(22, 8), [[0, 8], [8, 16], [16, 22]]);
    assert.deepEqual(shardRanges(16, 8), [[0, 8], [8, 16]]);
    assert.deepEqual(shardRanges(0, 8), []);
    assert.deepEqual(shardRanges(1, 1e9), [[0, 1]]);
  });
});

function TrustLensCode(e: unknown): string | undefined {
  return (e as { code?: string })?.code;
}
