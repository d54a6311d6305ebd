import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanModelBytes, scanModelFile, scanModelFolder } from '../../../../src/core/modelsafety';
import { CancellationError } from '../../../../src/core/errors';
import { hasPython, makeZip, P, pk, python, reducePickle, tempDir, torchStyleDataPkl } from './fixtures';

const evil = reducePickle('os', 'system');

function tarMember(name: string, data: Buffer): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'latin1');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(data.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h[156] = 0x30;
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

describe('modelsafety containers', () => {
  describe('PyTorch zip archives', () => {
    it('accepts a benign torch-style archive and skips the storages', async () => {
      const zip = makeZip([
        { name: 'archive/data.pkl', data: torchStyleDataPkl() },
        { name: 'archive/byteorder', data: Buffer.from('little') },
        { name: 'archive/data/0', data: Buffer.alloc(16, 0x80) },
        { name: 'archive/version', data: Buffer.from('3\n') },
        { name: 'archive/.data/serialization_id', data: Buffer.from('1234567890') },
      ]);
      const r = await scanModelBytes(zip, 'model.pt');
      assert.equal(r.format, 'pytorch-zip');
      assert.equal(r.verdict, 'safe', JSON.stringify(r.findings));
    });

    it('sniffs stored storages with tiny reads: 400 x 64 KB storages cost well under 1 MB of I/O', async () => {
      const t = tempDir();
      try {
        const members = [{ name: 'archive/data.pkl', data: torchStyleDataPkl() }];
        for (let i = 0; i < 400; i++) members.push({ name: `archive/data/${i}`, data: Buffer.alloc(65536, i & 0xff) });
        const file = path.join(t.dir, 'many.pt');
        fs.writeFileSync(file, makeZip(members));
        const r = await scanModelFile(file);
        assert.equal(r.verdict, 'safe', JSON.stringify(r.findings));
        assert.ok(r.bytesRead < 1_000_000, `read ${r.bytesRead} of ${r.size} bytes`);
      } finally {
        t.cleanup();
      }
    });

    it('flags a malicious data.pkl with the member name and offset', async () => {
      const r = await scanModelBytes(makeZip([{ name: 'archive/data.pkl', data: evil, method: 8 }]), 'model.pth');
      assert.equal(r.verdict, 'dangerous');
      assert.deepEqual(r.globals[0].locations[0], { member: 'archive/data.pkl', offset: 2 });
    });

    it('scans nested pickles: a zip inside the archive, stored and deflated', async () => {
      for (const method of [0, 8] as const) {
        const inner = makeZip([{ name: 'inner/deep/extra.pkl', data: evil }]);
        const outer = makeZip([
          { name: 'archive/data.pkl', data: torchStyleDataPkl() },
          { name: 'archive/extra/bundle.zip', data: inner, method },
        ]);
        const r = await scanModelBytes(outer, 'model.pt');
        assert.equal(r.verdict, 'dangerous');
        assert.equal(r.globals.find((g) => g.name === 'system')!.locations[0].member, 'archive/extra/bundle.zip/inner/deep/extra.pkl');
      }
    });

    it('tolerates data prepended to the archive (offsets shifted, as Python zipfile allows)', async () => {
      const zip = makeZip([{ name: 'archive/data.pkl', data: evil }], Buffer.from('#!/bin/sh\nexit 0\n'));
      const r = await scanModelBytes(zip, 'model.bin');
      assert.equal(r.verdict, 'dangerous');
    });

    it('reports a member with an unsupported compression method as unknown', async () => {
      const zip = makeZip([{ name: 'archive/data.pkl', data: torchStyleDataPkl() }]);
      // Patch method 0 -> 14 (LZMA) in the central directory only.
      const cd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      zip.writeUInt16LE(14, cd + 10);
      const r = await scanModelBytes(zip, 'model.pt');
      assert.equal(r.verdict, 'suspicious'); // method mismatch local/central is itself suspicious
      assert.ok(r.findings.some((f) => f.code === 'ZIP_UNSUPPORTED_METHOD'));
    });

    it('reports a truncated archive (no central directory) as unknown but still finds the malicious member', async () => {
      const zip = makeZip([{ name: 'archive/data.pkl', data: evil }]);
      const cut = zip.subarray(0, zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
      const r = await scanModelBytes(cut, 'model.pt');
      assert.ok(r.findings.some((f) => f.code === 'ZIP_NO_CENTRAL_DIRECTORY'));
      assert.equal(r.verdict, 'dangerous');
      const benign = makeZip([{ name: 'archive/data.pkl', data: torchStyleDataPkl() }]);
      const r2 = await scanModelBytes(benign.subarray(0, benign.length - 30), 'model.pt');
      assert.notEqual(r2.verdict, 'safe');
    });

    describe('when python3 writes the archive with zipfile', function () {
      let t: ReturnType<typeof tempDir>;
      before(function () {
        if (!hasPython()) this.skip();
        t = tempDir();
        python(
          `
import pickle, zipfile, collections
class Evil:
    def __reduce__(self):
        return (eval, ("__import__('os').system('id')",))
with zipfile.ZipFile(os.path.join(OUT, 'evil.pt'), 'w', zipfile.ZIP_STORED) as z:
    z.writestr('model/data.pkl', pickle.dumps(Evil(), protocol=2))
    z.writestr('model/data/0', b'\\0' * 1024)
    z.writestr('model/version', '3')
with zipfile.ZipFile(os.path.join(OUT, 'good.pt'), 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('model/data.pkl', pickle.dumps(collections.OrderedDict(a=1), protocol=2))
`,
          t.dir,
        );
      });
      after(() => t?.cleanup());
      it('finds builtins.eval in model/data.pkl and passes the benign archive', async () => {
        const bad = await scanModelFile(path.join(t.dir, 'evil.pt'));
        assert.equal(bad.verdict, 'dangerous');
        assert.ok(bad.globals.some((g) => /^(__builtin__|builtins)$/.test(g.module) && g.name === 'eval' && g.locations[0].member === 'model/data.pkl'), JSON.stringify(bad.globals));
        const good = await scanModelFile(path.join(t.dir, 'good.pt'));
        assert.equal(good.verdict, 'safe', JSON.stringify(good.findings));
      });
    });
  });

  describe('legacy torch formats', () => {
    it('reads a legacy tar archive: pickle, storages records and tensors records', async () => {
      const sysInfo = pk(P.proto(2), P.emptyDict, P.stop);
      const storages = pk(
        pk(P.proto(2), P.binint1(1), P.stop),
        pk(P.proto(2), P.binunicode('0'), P.binunicode('cpu'), P.global('torch', 'FloatStorage'), Buffer.from([0x87]), P.stop),
        Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]),
        Buffer.alloc(12, 0x63), // 3 floats whose bytes spell 'c' (GLOBAL) to trap a naive scanner
      );
      const tensors = pk(
        pk(P.proto(2), P.binint1(1), P.stop),
        pk(P.proto(2), P.binunicode('t0'), P.binunicode('0'), P.global('torch', 'FloatTensor'), Buffer.from([0x87]), P.stop),
        Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]),
        Buffer.alloc(24),
      );
      const tar = Buffer.concat([
        tarMember('sys_info', sysInfo),
        tarMember('pickle', torchStyleDataPkl()),
        tarMember('storages', storages),
        tarMember('tensors', tensors),
        Buffer.alloc(1024),
      ]);
      const r = await scanModelBytes(tar, 'old.pt');
      assert.equal(r.format, 'pytorch-legacy-tar');
      assert.equal(r.verdict, 'suspicious', JSON.stringify(r, null, 1)); // torch.FloatTensor is not on the allowlist
      assert.ok(!r.findings.some((f) => f.verdict === 'unknown' || f.verdict === 'dangerous'), JSON.stringify(r.findings));
      const badTar = Buffer.concat([tarMember('sys_info', sysInfo), tarMember('pickle', evil), Buffer.alloc(1024)]);
      assert.equal((await scanModelBytes(badTar, 'old.pt')).verdict, 'dangerous');
    });

    it('reads a raw legacy stream: five pickles, then raw storage bytes are skipped', async () => {
      const magic = pk(P.proto(2), Buffer.from([0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]), P.stop);
      const small = pk(P.proto(2), P.binint1(1001), P.stop);
      const keys = pk(P.proto(2), P.mark, P.binunicode('0'), Buffer.from('l'), P.stop);
      const data = Buffer.concat([magic, small, pk(P.proto(2), P.emptyDict, P.stop), torchStyleDataPkl(), keys, Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), Buffer.alloc(8, 0xff)]);
      const r = await scanModelBytes(data, 'old.pt');
      assert.equal(r.format, 'pytorch-legacy');
      assert.equal(r.verdict, 'safe', JSON.stringify(r.findings));
    });
  });

  describe('NumPy', function () {
    let t: ReturnType<typeof tempDir>;
    before(function () {
      if (!hasPython()) this.skip();
      t = tempDir();
      try {
        python(
          `
import numpy as np
class Evil:
    def __reduce__(self):
        return (os.system, ('id',))
np.save(os.path.join(OUT, 'plain.npy'), np.arange(12, dtype=np.float32).reshape(3, 4))
np.save(os.path.join(OUT, 'objects.npy'), np.array([1, 'two', None], dtype=object), allow_pickle=True)
np.save(os.path.join(OUT, 'evil.npy'), np.array([Evil()], dtype=object), allow_pickle=True)
np.savez(os.path.join(OUT, 'plain.npz'), a=np.zeros(3), b=np.ones((2, 2)))
np.savez_compressed(os.path.join(OUT, 'evil.npz'), a=np.zeros(3), b=np.array([Evil()], dtype=object))
`,
          t.dir,
        );
      } catch {
        this.skip(); // numpy not installed
      }
    });
    after(() => t?.cleanup());

    it('passes a plain array and a plain npz', async () => {
      assert.equal((await scanModelFile(path.join(t.dir, 'plain.npy'))).verdict, 'safe');
      const z = await scanModelFile(path.join(t.dir, 'plain.npz'));
      assert.equal(z.format, 'numpy-npz');
      assert.equal(z.verdict, 'safe');
    });
    it('marks an object array suspicious (needs allow_pickle) and a malicious one dangerous', async () => {
      const o = await scanModelFile(path.join(t.dir, 'objects.npy'));
      assert.equal(o.verdict, 'suspicious');
      assert.ok(o.findings.some((f) => f.code === 'NUMPY_OBJECT_ARRAY'));
      assert.equal((await scanModelFile(path.join(t.dir, 'evil.npy'))).verdict, 'dangerous');
      const z = await scanModelFile(path.join(t.dir, 'evil.npz'));
      assert.equal(z.verdict, 'dangerous');
      assert.equal(z.globals.find((g) => g.name === 'system')!.locations[0].member, 'b.npy');
    });
    it('reports a truncated npy as unknown', async () => {
      const full = fs.readFileSync(path.join(t.dir, 'plain.npy'));
      const r = await scanModelBytes(full.subarray(0, full.length - 10), 'plain.npy');
      assert.equal(r.verdict, 'unknown');
    });
  });

  describe('Keras', () => {
    const layer = (cls: string, extra: object = {}) => ({ module: 'keras.layers', class_name: cls, config: { name: cls.toLowerCase() }, registered_name: null, ...extra });
    const keras = (layers: object[]) =>
      makeZip([
        { name: 'metadata.json', data: Buffer.from('{"keras_version": "3.8.0"}') },
        { name: 'config.json', data: Buffer.from(JSON.stringify({ module: 'keras', class_name: 'Sequential', config: { layers } })), method: 8 },
        { name: 'model.weights.h5', data: Buffer.from('\x89HDF\r\n\x1a\n', 'latin1') },
      ]);

    it('passes a Sequential of built-in layers', async () => {
      const r = await scanModelBytes(keras([layer('InputLayer'), layer('Dense'), layer('Dropout')]), 'model.keras');
      assert.equal(r.format, 'keras');
      assert.equal(r.verdict, 'safe', JSON.stringify(r.findings));
    });
    it('flags a Lambda layer as dangerous and a custom module as suspicious', async () => {
      const r = await scanModelBytes(keras([layer('Dense'), layer('Lambda')]), 'model.keras');
      assert.equal(r.verdict, 'dangerous');
      assert.ok(r.findings.some((f) => f.code === 'KERAS_LAMBDA' && f.location?.member === 'config.json'));
      const c = await scanModelBytes(keras([{ module: 'my_pkg.layers', class_name: 'Fancy', config: {}, registered_name: 'Custom>Fancy' }]), 'model.keras');
      assert.equal(c.verdict, 'suspicious');
    });
    it('finds a Lambda in the model_config attribute of a legacy .h5 (byte search)', async () => {
      const cfg = JSON.stringify({ class_name: 'Sequential', config: { layers: [{ class_name: 'Lambda', config: { name: 'l', function: ['4wEAAAAA', null, null] } }] } });
      const h5 = Buffer.concat([Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), Buffer.alloc(200), Buffer.from('model_config\0\0\0\x13\0\0'), Buffer.from(cfg), Buffer.alloc(300)]);
      const r = await scanModelBytes(h5, 'model.h5');
      assert.equal(r.format, 'keras-h5');
      assert.equal(r.verdict, 'dangerous');
      const ok = Buffer.concat([Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), Buffer.alloc(100), Buffer.from('model_config\0'), Buffer.from(JSON.stringify({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: {} }] } }))]);
      assert.equal((await scanModelBytes(ok, 'model.h5')).verdict, 'safe');
    });
  });

  describe('when fuzzed', () => {
    it('returns a verdict for mutated zip, Keras, npy and tar blobs (no crash, no hang)', async () => {
      const seeds = [
        makeZip([{ name: 'archive/data.pkl', data: torchStyleDataPkl(), method: 8 }, { name: 'archive/data/0', data: Buffer.alloc(32) }]),
        makeZip([{ name: 'config.json', data: Buffer.from('{"class_name":"Dense","module":"keras.layers"}') }, { name: 'metadata.json', data: Buffer.from('{}') }]),
        Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), Buffer.from([0x46, 0]), Buffer.from("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }".padEnd(70) + '\n'), evil]),
        Buffer.concat([tarMember('pickle', torchStyleDataPkl()), Buffer.alloc(1024)]),
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: seeds.length - 1 }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
          fc.option(fc.nat(), { nil: undefined }),
          async (s, muts, cut) => {
            const b = Buffer.from(seeds[s]);
            for (const [i, v] of muts) b[i % b.length] = v;
            const data = cut === undefined ? b : b.subarray(0, cut % b.length);
            const r = await scanModelBytes(data, ['model.pt', 'model.keras', 'x.npy', 'old.pt'][s]);
            assert.ok(['safe', 'unknown', 'suspicious', 'dangerous'].includes(r.verdict));
            assert.ok(!r.findings.some((f) => f.code === 'SCAN_ERROR'), JSON.stringify(r.findings));
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
      );
    });
  });

  describe('folders', () => {
    it('summarises the worst file, skips non-model files, and sniffs renamed pickles', async () => {
      const t = tempDir();
      try {
        fs.writeFileSync(path.join(t.dir, 'README.md'), '# model');
        fs.writeFileSync(path.join(t.dir, 'config.json'), '{}');
        fs.mkdirSync(path.join(t.dir, 'sub'));
        fs.writeFileSync(path.join(t.dir, 'sub', 'weights.pt'), makeZip([{ name: 'archive/data.pkl', data: torchStyleDataPkl() }]));
        fs.writeFileSync(path.join(t.dir, 'sub', 'payload.txt'), evil);
        const progress: number[] = [];
        const r = await scanModelFolder(t.dir, { onProgress: (d) => progress.push(d) });
        assert.equal(r.worst, 'dangerous');
        assert.deepEqual(r.files.map((f) => path.relative(t.dir, f.path)).sort(), ['sub/payload.txt', 'sub/weights.pt']);
        assert.deepEqual(r.skipped.sort(), ['README.md', 'config.json']);
        assert.ok(progress.length > 0 && progress.every((v, i) => i === 0 || v >= progress[i - 1]));
      } finally {
        t.cleanup();
      }
    });

    it('throws CancellationError when aborted, and a coded error for a missing path', async () => {
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(scanModelFolder('.', { signal: ac.signal }), CancellationError);
      await assert.rejects(scanModelFile('/nonexistent/model.pt'), (e: { code?: string }) => e.code === 'MODELSAFETY_NOT_FOUND');
    });
  });
});
