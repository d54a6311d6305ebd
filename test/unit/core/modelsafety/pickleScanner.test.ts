import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { scanModelBytes, scanModelFile } from '../../../../src/core/modelsafety';
import { parsePyInt } from '../../../../src/core/modelsafety/pickleScanner';
import { hasPython, P, pk, python, reducePickle, tempDir, torchStyleDataPkl } from './fixtures';

const globalsOf = (r: { globals: Array<{ module: string; name: string }> }) => r.globals.map((g) => `${g.module}.${g.name}`).sort();

describe('modelsafety pickle reader', () => {
  describe('when python3 writes the pickles', function () {
    let t: ReturnType<typeof tempDir>;
    before(function () {
      if (!hasPython()) this.skip();
      t = tempDir();
      python(
        `
import pickle, collections
class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned',))
state = collections.OrderedDict([('layer.weight', [0.5, 1.5]), ('layer.bias', b'\\x00\\x01'), ('n', 3)])
for proto in (0, 2, 4, 5):
    open(os.path.join(OUT, f'benign{proto}.pkl'), 'wb').write(pickle.dumps(state, protocol=proto))
    open(os.path.join(OUT, f'evil{proto}.pkl'), 'wb').write(pickle.dumps(Evil(), protocol=proto))
with open(os.path.join(OUT, 'multi.pkl'), 'wb') as f:
    pickle.dump(state, f, protocol=4)
    pickle.dump(Evil(), f, protocol=4)
`,
        t.dir,
      );
    });
    after(() => t?.cleanup());

    for (const proto of [0, 2, 4, 5]) {
      it(`finds a benign protocol ${proto} state dict safe, naming collections.OrderedDict`, async () => {
        const r = await scanModelFile(path.join(t.dir, `benign${proto}.pkl`));
        assert.equal(r.verdict, 'safe', JSON.stringify(r, null, 1));
        assert.equal(r.format, 'pickle');
        assert.ok(globalsOf(r).includes('collections.OrderedDict'));
      });
      it(`flags __reduce__ to os.system at protocol ${proto} as dangerous with an offset`, async () => {
        const r = await scanModelFile(path.join(t.dir, `evil${proto}.pkl`));
        assert.equal(r.verdict, 'dangerous');
        const g = r.globals.find((x) => x.name === 'system');
        assert.ok(g && (g.module === 'posix' || g.module === 'nt'), JSON.stringify(r.globals));
        assert.equal(g.verdict, 'dangerous');
        const bytes = fs.readFileSync(path.join(t.dir, `evil${proto}.pkl`));
        const off = g.locations[0].offset;
        // The offset points at the importing opcode: GLOBAL 'c', or STACK_GLOBAL 0x93.
        assert.ok(bytes[off] === 0x63 || bytes[off] === 0x93, `byte at ${off} is 0x${bytes[off].toString(16)}`);
      });
    }

    it('reads every pickle of a concatenated stream (benign first, evil second)', async () => {
      const r = await scanModelFile(path.join(t.dir, 'multi.pkl'));
      assert.equal(r.verdict, 'dangerous');
      assert.ok(globalsOf(r).some((g) => g.endsWith('.system')));
    });
  });

  describe('when the pickle is assembled from raw opcodes', () => {
    it('resolves protocol 0 GLOBAL', async () => {
      const r = await scanModelBytes(pk(P.global('os', 'system'), P.string('id'), P.tuple1, P.reduce, P.stop), 'x.pkl');
      assert.deepEqual(globalsOf(r), ['os.system']);
      assert.equal(r.verdict, 'dangerous');
    });

    it('resolves STACK_GLOBAL built from memoised strings (MEMOIZE + BINGET)', async () => {
      const data = pk(
        P.proto(4),
        P.sbu('os'), P.memoize, P.pop,
        P.sbu('system'), P.memoize, P.pop,
        P.sbu('collections'), P.memoize, P.pop,
        P.binget(0), P.binget(1), P.stackGlobal,
        P.sbu('id'), P.tuple1, P.reduce, P.stop,
      );
      const r = await scanModelBytes(data, 'x.pkl');
      assert.deepEqual(globalsOf(r), ['os.system']);
      assert.equal(r.verdict, 'dangerous');
    });

    it('follows memo overwrites (the last PUT wins, as in CPython)', async () => {
      const data = pk(
        P.proto(2),
        P.binunicode('numpy'), P.binput(0), P.pop,
        P.binunicode('os'), P.binput(0), P.pop,
        P.binunicode('system'), P.binput(1), P.pop,
        P.binget(0), P.binget(1), P.stackGlobal, P.binunicode('id'), P.tuple1, P.reduce, P.stop,
      );
      const r = await scanModelBytes(data, 'x.pkl');
      assert.deepEqual(globalsOf(r), ['os.system']);
    });

    it('parses PUT/GET text arguments like CPython int() (underscores, sign, spaces)', async () => {
      assert.equal(parsePyInt('1_0'), 10n);
      assert.equal(parsePyInt(' +7 '), 7n);
      assert.equal(parsePyInt('1__0'), null);
      const data = pk(P.unicode('subprocess'), P.put('1_0'), P.pop, P.unicode('Popen'), P.put('+11'), P.pop, P.get(' 10'), P.get('11'), P.stackGlobal, P.stop);
      const r = await scanModelBytes(data, 'x.pkl');
      assert.deepEqual(globalsOf(r), ['subprocess.Popen']);
    });

    it('decodes UNICODE raw-unicode-escape and STRING escapes before matching', async () => {
      const data = pk(P.unicode('\\u006fs'), P.string('sys\\x74em'), P.stackGlobal, P.stop);
      const r = await scanModelBytes(data, 'x.pkl');
      assert.deepEqual(globalsOf(r), ['os.system']);
    });

    it('handles FRAME, BINUNICODE8, BYTEARRAY8, NEXT_BUFFER/READONLY_BUFFER and memo ops of protocol 5', async () => {
      const body = pk(
        P.binunicode8('collections'), P.memoize, P.binunicode8('OrderedDict'), P.memoize, P.stackGlobal, P.emptyTuple, P.reduce,
        P.bytearray8(Buffer.from('abc')), Buffer.from([0x97, 0x98]), P.tuple2, P.stop,
      );
      const r = await scanModelBytes(pk(P.proto(5), P.frame(body.length), body), 'x.pkl');
      assert.deepEqual(globalsOf(r), ['collections.OrderedDict']);
      assert.equal(r.verdict, 'safe');
    });

    it('treats a STACK_GLOBAL on computed operands as an unresolvable, dangerous import', async () => {
      // module name = str.join('', ['o','s']) computed at load time
      const data = pk(
        P.proto(4),
        P.global('builtins', 'str'), P.emptyTuple, P.reduce,
        P.sbu('system'), P.stackGlobal, P.stop,
      );
      const r = await scanModelBytes(data, 'x.pkl');
      assert.equal(r.verdict, 'dangerous');
      assert.ok(r.globals.some((g) => !g.resolved && g.verdict === 'dangerous'));
      assert.ok(r.findings.some((f) => f.code === 'PICKLE_UNRESOLVED_IMPORT'));
    });

    it('flags calling the result of another call (getattr-style chains)', async () => {
      const data = pk(
        P.proto(2),
        P.global('collections', 'OrderedDict'), P.emptyTuple, P.reduce, // returns an object
        P.emptyTuple, P.reduce, P.stop, // ...which is then called
      );
      const r = await scanModelBytes(data, 'x.pkl');
      assert.equal(r.verdict, 'dangerous');
      assert.ok(r.findings.some((f) => f.code === 'PICKLE_COMPUTED_CALL'));
    });

    it('flags EXT opcodes (copyreg extension registry) as unresolvable', async () => {
      const r = await scanModelBytes(pk(P.proto(2), P.ext1(7), P.emptyTuple, P.reduce, P.stop), 'x.pkl');
      assert.equal(r.verdict, 'dangerous');
      assert.ok(r.globals.some((g) => !g.resolved));
    });

    it('accepts a torch-style state dict (persistent ids, _rebuild_tensor_v2, storages) as safe', async () => {
      const r = await scanModelBytes(torchStyleDataPkl(), 'data.pkl');
      assert.equal(r.verdict, 'safe', JSON.stringify(r, null, 1));
      assert.deepEqual(globalsOf(r), ['collections.OrderedDict', 'torch.FloatStorage', 'torch._utils._rebuild_tensor_v2']);
    });

    it('reports a truncated benign pickle as unknown with a reason, not as safe', async () => {
      const whole = torchStyleDataPkl();
      const r = await scanModelBytes(whole.subarray(0, whole.length - 7), 'data.pkl');
      assert.equal(r.verdict, 'unknown');
      assert.ok(r.findings.some((f) => f.code === 'PICKLE_TRUNCATED'), JSON.stringify(r.findings));
    });

    it('keeps a dangerous verdict when the stream is broken after the malicious call', async () => {
      const data = Buffer.concat([reducePickle('os', 'system').subarray(0, -1), Buffer.from([0xff, 0xfe])]);
      const r = await scanModelBytes(data, 'x.pkl');
      assert.equal(r.verdict, 'dangerous');
      assert.ok(r.findings.some((f) => f.code === 'PICKLE_MALFORMED'));
    });

    it('gives garbage with a pickle extension an unknown verdict', async () => {
      const r = await scanModelBytes(Buffer.from('\x89PNG\r\n\x1a\n not a model', 'latin1'), 'model.pt');
      assert.equal(r.verdict, 'unknown');
      assert.ok(r.findings.some((f) => f.code === 'UNKNOWN_FORMAT'));
    });

    it('stops at the memo and stack limits instead of growing without bound', async () => {
      const puts: Buffer[] = [P.proto(4), P.none];
      for (let i = 0; i < 200; i++) puts.push(P.memoize);
      const r = await scanModelBytes(pk(...puts, P.stop), 'x.pkl', { limits: { maxMemo: 100 } });
      assert.equal(r.verdict, 'unknown');
      assert.ok(r.findings.some((f) => f.code === 'PICKLE_LIMIT'));
      const marks = Buffer.alloc(1000, 0x28);
      const r2 = await scanModelBytes(pk(P.proto(4), marks, P.stop), 'x.pkl', { limits: { maxStack: 500 } });
      assert.ok(r2.findings.some((f) => f.code === 'PICKLE_LIMIT'));
    });

    it('past the kept-string budget, a long computed module name is an unresolved (dangerous) import', async () => {
      const filler = P.binunicode('x'.repeat(1000));
      const longModule = 'a'.repeat(120);
      const data = pk(P.proto(4), filler, P.pop, filler, P.pop, P.binunicode(longModule), P.sbu('f'), P.stackGlobal, P.stop);
      const r = await scanModelBytes(data, 'x.pkl', { limits: { maxKeptChars: 1500 } });
      assert.equal(r.verdict, 'dangerous');
      assert.ok(r.globals.some((g) => !g.resolved));
      const roomy = await scanModelBytes(data, 'x.pkl');
      assert.deepEqual(globalsOf(roomy), [`${longModule}.f`]);
    });

    it('caps the listed globals but keeps the worst verdict of those not listed', async () => {
      const parts: Buffer[] = [P.proto(2)];
      for (let i = 0; i < 10_010; i++) parts.push(P.global(`pkg${i}`, 'C'), P.pop);
      parts.push(P.global('os', 'system'), P.stop);
      const r = await scanModelBytes(pk(...parts), 'x.pkl');
      assert.equal(r.globals.length, 10_000);
      assert.equal(r.verdict, 'dangerous');
      assert.ok(r.findings.some((f) => f.code === 'GLOBALS_CAPPED' && f.verdict === 'dangerous'));
    });

    it('skips a huge BINBYTES8 payload without buffering it', async () => {
      // Declares 1 GB of bytes that are not there: must be reported as truncated, not allocated.
      const data = pk(P.proto(4), Buffer.from([0x8e]), Buffer.from([0, 0, 0, 0x40, 0, 0, 0, 0]), Buffer.alloc(16));
      const r = await scanModelBytes(data, 'x.pkl');
      assert.equal(r.verdict, 'unknown');
    });
  });

  describe('when fuzzed', () => {
    it('always returns a verdict for random bytes and for mutated valid pickles (no crash, no hang)', async () => {
      const seeds = [torchStyleDataPkl(), reducePickle('os', 'system')];
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ minLength: 0, maxLength: 300 }).map((a) => Buffer.concat([Buffer.from([0x80, 4]), Buffer.from(a)])),
            fc.uint8Array({ minLength: 0, maxLength: 300 }).map((a) => Buffer.from(a)),
            fc.tuple(fc.integer({ min: 0, max: 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 })).map(([s, muts]) => {
              const b = Buffer.from(seeds[s]);
              for (const [i, v] of muts) b[i % b.length] = v;
              return b;
            }),
          ),
          async (bytes) => {
            const r = await scanModelBytes(bytes, 'fuzz.pkl');
            assert.ok(['safe', 'unknown', 'suspicious', 'dangerous'].includes(r.verdict));
            assert.ok(!r.findings.some((f) => f.code === 'SCAN_ERROR'), JSON.stringify(r.findings));
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
      );
    });
  });
});
