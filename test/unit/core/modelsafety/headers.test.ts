import { strict as assert } from 'node:assert';
import { scanModelBytes } from '../../../../src/core/modelsafety';
import { gguf } from './ggufFixture';

function safetensors(header: object | string, dataSize: number, opts: { declaredLength?: bigint } = {}): Buffer {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(opts.declaredLength ?? BigInt(json.length));
  return Buffer.concat([len, json, Buffer.alloc(dataSize)]);
}

const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code);

describe('modelsafety header checks', () => {
  describe('safetensors', () => {
    const good = {
      __metadata__: { format: 'pt' },
      'a.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
      'a.bias': { dtype: 'BF16', shape: [4], data_offsets: [16, 24] },
    };

    it('passes a well-formed file', async () => {
      const r = await scanModelBytes(safetensors(good, 24), 'model.safetensors');
      assert.equal(r.format, 'safetensors');
      assert.equal(r.verdict, 'safe', JSON.stringify(r.findings));
    });

    it('flags overlapping tensors as dangerous', async () => {
      const h = { x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] }, y: { dtype: 'F32', shape: [4], data_offsets: [8, 24] } };
      const r = await scanModelBytes(safetensors(h, 24), 'model.safetensors');
      assert.equal(r.verdict, 'dangerous');
      assert.ok(codes(r).includes('SAFETENSORS_OVERLAP'));
    });

    it('flags offsets past the end of the file as dangerous', async () => {
      const h = { x: { dtype: 'F32', shape: [1000], data_offsets: [0, 4000] } };
      const r = await scanModelBytes(safetensors(h, 16), 'model.safetensors');
      assert.equal(r.verdict, 'dangerous');
      assert.ok(codes(r).includes('SAFETENSORS_OFFSET_OUT_OF_BOUNDS'));
    });

    it('flags a huge declared header, and one longer than the file', async () => {
      const huge = await scanModelBytes(safetensors(good, 24, { declaredLength: 1n << 40n }), 'model.safetensors');
      assert.equal(huge.verdict, 'dangerous');
      assert.ok(codes(huge).includes('SAFETENSORS_HEADER_TOO_LARGE'));
      const past = await scanModelBytes(safetensors(good, 0, { declaredLength: 5000n }), 'model.safetensors');
      assert.ok(codes(past).includes('SAFETENSORS_HEADER_OUT_OF_BOUNDS'));
    });

    it('flags a shape/dtype that disagrees with the byte span, and reports gaps and bad metadata', async () => {
      const h = { __metadata__: { n: 3 }, x: { dtype: 'F16', shape: [4], data_offsets: [0, 16] }, y: { dtype: 'U8', shape: [2], data_offsets: [20, 22] } };
      const r = await scanModelBytes(safetensors(h, 30), 'model.safetensors');
      assert.equal(r.verdict, 'dangerous');
      for (const c of ['SAFETENSORS_SIZE_MISMATCH', 'SAFETENSORS_GAP', 'SAFETENSORS_BAD_METADATA']) assert.ok(codes(r).includes(c), c);
    });

    it('gives invalid JSON and a truncated file an unknown verdict', async () => {
      const bad = await scanModelBytes(safetensors('{"x": {"dtype": "F32",', 8), 'model.safetensors');
      assert.equal(bad.verdict, 'unknown');
      assert.ok(codes(bad).includes('SAFETENSORS_BAD_JSON'));
      const short = await scanModelBytes(Buffer.from([1, 2, 3]), 'model.safetensors');
      assert.equal(short.verdict, 'unknown');
    });
  });

  describe('GGUF', () => {
    const tensors = [
      { name: 'tok_embd.weight', dims: [8, 4], type: 0, offset: 0 },
      { name: 'blk.0.attn_q.weight', dims: [32, 2], type: 8, offset: 128 },
    ];

    it('passes a well-formed file (v2 and v3)', async () => {
      for (const version of [2, 3]) {
        const r = await scanModelBytes(gguf({ version, tensors, kv: [['general.architecture', 'llama'], ['tokenizer.chat_template', '{{ messages[0].content }}']] }), 'm.gguf');
        assert.equal(r.format, 'gguf');
        assert.equal(r.verdict, 'safe', JSON.stringify(r.findings));
      }
    });

    it('rejects a bad version, absurd counts and truncation', async () => {
      const v9 = await scanModelBytes(gguf({ version: 9 }), 'm.gguf');
      assert.ok(codes(v9).includes('GGUF_BAD_VERSION'));
      assert.equal(v9.verdict, 'unknown');
      const many = await scanModelBytes(gguf({ tensorCount: 2 ** 40 }), 'm.gguf');
      assert.equal(many.verdict, 'dangerous');
      const cut = gguf({ tensors });
      const t = await scanModelBytes(cut.subarray(0, 40), 'm.gguf');
      assert.equal(t.verdict, 'unknown');
    });

    it('flags tensors outside the data section, overlapping or misaligned', async () => {
      const oob = await scanModelBytes(gguf({ tensors: [{ name: 'x', dims: [1024], type: 0, offset: 0 }], dataSize: 64 }), 'm.gguf');
      assert.ok(codes(oob).includes('GGUF_OFFSET_OUT_OF_BOUNDS'));
      const overlap = await scanModelBytes(
        gguf({ tensors: [{ name: 'a', dims: [16], type: 0, offset: 0 }, { name: 'b', dims: [16], type: 0, offset: 32 }] }),
        'm.gguf',
      );
      assert.ok(codes(overlap).includes('GGUF_OVERLAP'));
      const mis = await scanModelBytes(gguf({ tensors: [{ name: 'a', dims: [4], type: 0, offset: 3 }], dataSize: 64 }), 'm.gguf');
      assert.equal(mis.verdict, 'dangerous');
    });

    it('never throws on random GGUF-prefixed bytes', async () => {
      for (let i = 0; i < 200; i++) {
        const junk = Buffer.concat([Buffer.from('GGUF'), Buffer.from([3, 0, 0, 0]), Buffer.from(Array.from({ length: 64 }, () => Math.floor(Math.random() * 256)))]);
        const r = await scanModelBytes(junk, 'm.gguf');
        assert.ok(['unknown', 'dangerous', 'suspicious', 'safe'].includes(r.verdict));
      }
    });
  });
});
