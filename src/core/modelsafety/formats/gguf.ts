/**
 * Structural check of GGUF (llama.cpp) files: magic, version 1-3, tensor/kv counts within sane
 * limits, bounded string and array lengths, tensor dimensions and types, tensor offsets aligned and
 * inside the file, no overlaps. Also flags Jinja chat templates that reach Python internals
 * (the llama-cpp-python template SSTI, CVE-2024-34359). Streams the header; never reads tensors.
 */
import { Cursor } from '../byteSource';
import type { RandomAccess } from '../randomAccess';
import { note, type ScanContext } from '../scanContext';

const MAX_TENSORS = 1_000_000;
const MAX_KV = 1_000_000;
const MAX_STRING = 256 * 1024 * 1024;
const MAX_ARRAY = 1 << 30;
const MAX_DIMS = 4;

/** ggml type → [block bytes, elements per block]. */
const GGML_TYPES: Record<number, [number, number]> = {
  0: [4, 1], 1: [2, 1], 2: [18, 32], 3: [20, 32], 6: [22, 32], 7: [24, 32], 8: [34, 32], 9: [36, 32],
  10: [84, 256], 11: [110, 256], 12: [144, 256], 13: [176, 256], 14: [210, 256], 15: [292, 256],
  16: [66, 256], 17: [74, 256], 18: [98, 256], 19: [50, 256], 20: [18, 32], 21: [110, 256], 22: [82, 256],
  23: [136, 256], 24: [1, 1], 25: [2, 1], 26: [4, 1], 27: [8, 1], 28: [8, 1], 29: [56, 256], 30: [2, 1],
  34: [54, 256], 35: [66, 256], 39: [17, 32],
};
/** Scalar value type sizes (types 8 = string, 9 = array are variable). */
const SCALAR: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const TEMPLATE_ATTACK = /__(class|globals|builtins|subclasses|init|mro|base|import|getattribute)__|\bos\.(popen|system)|\bsubprocess\b|\beval\s*\(|\bexec\s*\(/;

/** True when the buffer starts with the GGUF magic. */
export function looksLikeGguf(head: Buffer): boolean {
  return head.length >= 4 && head.toString('latin1', 0, 4) === 'GGUF';
}

class GgufError extends Error {}

/** Checks a GGUF blob and records findings. */
export async function scanGguf(ra: RandomAccess, ctx: ScanContext, member?: string): Promise<void> {
  const cur = new Cursor(ra.range(0, ra.size, ctx.signal), ctx.signal);
  const need = async (n: number) => {
    if (!(await cur.ensure(n))) throw new GgufError('truncated header');
  };
  try {
    await need(8);
    cur.take(4);
    const version = cur.u32();
    if (version < 1 || version > 3) return note(ctx, 'unknown', 'GGUF_BAD_VERSION', `unsupported GGUF version ${version}`, member);
    const count = async () => {
      await need(version === 1 ? 4 : 8);
      return version === 1 ? cur.u32() : cur.u64();
    };
    const tensorCount = await count();
    const kvCount = await count();
    if (tensorCount > MAX_TENSORS) return note(ctx, 'dangerous', 'GGUF_COUNT_LIMIT', `tensor count ${tensorCount} exceeds ${MAX_TENSORS}`, member);
    if (kvCount > MAX_KV) return note(ctx, 'dangerous', 'GGUF_COUNT_LIMIT', `metadata count ${kvCount} exceeds ${MAX_KV}`, member);
    const readString = async (keep: number): Promise<string | undefined> => {
      const len = await count();
      if (len > MAX_STRING || len > ra.size) throw new GgufError(`string length ${len} out of bounds`);
      if (len <= keep) {
        await need(len);
        return cur.take(len).toString('utf8');
      }
      if (!(await cur.skip(len))) throw new GgufError('truncated string');
      return undefined;
    };
    let alignment = 32;
    const readValue = async (type: number, key: string, depth: number): Promise<void> => {
      if (type in SCALAR) {
        await need(SCALAR[type]);
        if (key === 'general.alignment' && type === 4) alignment = cur.u32();
        else cur.take(SCALAR[type]);
      } else if (type === 8) {
        const s = await readString(key === 'tokenizer.chat_template' ? 1 << 20 : 0);
        if (key.startsWith('tokenizer.chat_template') && s !== undefined && TEMPLATE_ATTACK.test(s)) {
          note(ctx, 'dangerous', 'GGUF_TEMPLATE_INJECTION', `chat template ${key} reaches Python internals (Jinja SSTI, CVE-2024-34359)`, member);
        }
      } else if (type === 9) {
        if (depth > 2) throw new GgufError('arrays nested too deeply');
        await need(4);
        const itemType = cur.u32();
        const n = await count();
        if (n > MAX_ARRAY) throw new GgufError(`array length ${n} out of bounds`);
        if (itemType in SCALAR) {
          if (!(await cur.skip(n * SCALAR[itemType]))) throw new GgufError('truncated array');
        } else for (let i = 0; i < n; i++) await readValue(itemType, '', depth + 1);
      } else throw new GgufError(`unknown metadata value type ${type}`);
    };
    for (let i = 0; i < kvCount; i++) {
      const key = (await readString(4096)) ?? '';
      await need(4);
      await readValue(cur.u32(), key, 0);
    }
    if (alignment === 0 || (alignment & (alignment - 1)) !== 0) return note(ctx, 'dangerous', 'GGUF_BAD_ALIGNMENT', `general.alignment ${alignment} is not a power of two`, member);
    const tensors: Array<{ name: string; offset: number; size: number }> = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = (await readString(4096)) ?? '<long name>';
      await need(4);
      const nDims = cur.u32();
      if (nDims > MAX_DIMS) return note(ctx, 'dangerous', 'GGUF_BAD_TENSOR', `tensor "${name}" has ${nDims} dimensions (max ${MAX_DIMS})`, member);
      let elems = 1;
      for (let d = 0; d < nDims; d++) {
        const dim = await count();
        if (!Number.isFinite(dim)) return note(ctx, 'dangerous', 'GGUF_BAD_TENSOR', `tensor "${name}" dimension overflows`, member);
        elems *= dim;
      }
      await need(12);
      const type = cur.u32();
      const offset = cur.u64();
      const t = GGML_TYPES[type];
      if (!t) {
        note(ctx, 'suspicious', 'GGUF_UNKNOWN_TYPE', `tensor "${name}" has unknown ggml type ${type}; size not checked`, member);
        tensors.push({ name, offset, size: 0 });
        continue;
      }
      if (elems % t[1] !== 0) note(ctx, 'dangerous', 'GGUF_BAD_TENSOR', `tensor "${name}" element count is not a multiple of its block size`, member);
      if (offset % alignment !== 0) note(ctx, 'dangerous', 'GGUF_BAD_TENSOR', `tensor "${name}" offset ${offset} is not aligned to ${alignment}`, member);
      tensors.push({ name, offset, size: Math.ceil(elems / t[1]) * t[0] });
    }
    const dataStart = Math.ceil(cur.pos / alignment) * alignment;
    const dataSize = ra.size - dataStart;
    tensors.sort((a, b) => a.offset - b.offset);
    let end = 0;
    for (const t of tensors) {
      if (t.offset + t.size > dataSize) note(ctx, 'dangerous', 'GGUF_OFFSET_OUT_OF_BOUNDS', `tensor "${t.name}" [${t.offset}, ${t.offset + t.size}) runs past the ${dataSize}-byte data section`, member);
      if (t.offset < end) note(ctx, 'dangerous', 'GGUF_OVERLAP', `tensor "${t.name}" overlaps the previous tensor`, member);
      end = Math.max(end, t.offset + t.size);
    }
  } catch (e) {
    if (e instanceof GgufError) return note(ctx, 'unknown', 'GGUF_MALFORMED', `GGUF header: ${e.message}`, member, cur.pos);
    throw e;
  } finally {
    cur.source.close?.();
  }
}
