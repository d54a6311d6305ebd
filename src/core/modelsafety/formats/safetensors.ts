/**
 * Structural check of a safetensors file: the format cannot run code, but malformed headers have
 * crashed or over-read loaders. Mirrors the reference crate's validation: 8-byte LE header length
 * (≤ 100 MB and within the file), UTF-8 JSON object, known dtypes, shape × dtype size equal to the
 * data_offsets span, offsets inside the data section, no overlaps, no holes, string-only metadata.
 * Only the header is read; tensor bytes are never touched.
 */
import type { RandomAccess } from '../randomAccess';
import { note, type ScanContext } from '../scanContext';

/** Bits per element of each safetensors dtype. */
const DTYPE_BITS: Record<string, number> = {
  BOOL: 8, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, I16: 16, U16: 16, F16: 16, BF16: 16,
  I32: 32, U32: 32, F32: 32, I64: 64, U64: 64, F64: 64, C64: 64, F4: 4, F6_E2M3: 6, F6_E3M2: 6,
};
const MAX_HEADER = 100_000_000;

/** True when the name or the first bytes look like safetensors. */
export function looksLikeSafetensors(head: Buffer, size: number, name: string): boolean {
  if (/\.safetensors$/i.test(name)) return true;
  if (head.length < 9) return false;
  const n = Number(head.readBigUInt64LE(0));
  return n > 1 && 8 + n <= size && head[8] === 0x7b;
}

/** Checks a safetensors blob and records findings. */
export async function scanSafetensors(ra: RandomAccess, ctx: ScanContext, member?: string): Promise<void> {
  const bad = (code: string, message: string) => note(ctx, 'dangerous', code, message, member);
  if (ra.size < 8) return note(ctx, 'unknown', 'SAFETENSORS_TRUNCATED', 'file shorter than the 8-byte header length', member);
  const lenBig = (await ra.readAt(0, 8)).readBigUInt64LE(0);
  if (lenBig > BigInt(MAX_HEADER)) return bad('SAFETENSORS_HEADER_TOO_LARGE', `header length ${lenBig} exceeds the 100 MB limit loaders enforce`);
  const n = Number(lenBig);
  if (8 + n > ra.size) return bad('SAFETENSORS_HEADER_OUT_OF_BOUNDS', `header length ${n} runs past the end of the ${ra.size}-byte file`);
  const raw = await ra.readAt(8, n);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return note(ctx, 'unknown', 'SAFETENSORS_BAD_JSON', 'header is not valid UTF-8', member);
  }
  if (!text.startsWith('{')) return note(ctx, 'unknown', 'SAFETENSORS_BAD_JSON', 'header does not start with "{"', member);
  let header: unknown;
  try {
    header = JSON.parse(text.replace(/ +$/, ''));
  } catch (e) {
    return note(ctx, 'unknown', 'SAFETENSORS_BAD_JSON', `header is not valid JSON: ${(e as Error).message}`, member);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) return note(ctx, 'unknown', 'SAFETENSORS_BAD_JSON', 'header is not a JSON object', member);
  const dataSize = ra.size - 8 - n;
  const spans: Array<{ name: string; begin: number; end: number }> = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!info || typeof info !== 'object' || Array.isArray(info) || Object.values(info).some((v) => typeof v !== 'string')) {
        note(ctx, 'suspicious', 'SAFETENSORS_BAD_METADATA', '__metadata__ must map strings to strings', member);
      }
      continue;
    }
    const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!t || typeof t !== 'object') {
      note(ctx, 'unknown', 'SAFETENSORS_BAD_TENSOR', `tensor "${name}" is not an object`, member);
      continue;
    }
    const offsets = t.data_offsets;
    const shape = t.shape;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      bad('SAFETENSORS_BAD_OFFSETS', `tensor "${name}" has invalid data_offsets`);
      continue;
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) bad('SAFETENSORS_BAD_OFFSETS', `tensor "${name}" data_offsets are reversed (${begin} > ${end})`);
    if (end > dataSize) bad('SAFETENSORS_OFFSET_OUT_OF_BOUNDS', `tensor "${name}" ends at ${end}, past the ${dataSize}-byte data section`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      bad('SAFETENSORS_BAD_SHAPE', `tensor "${name}" has an invalid shape`);
    } else if (typeof t.dtype !== 'string' || !(t.dtype in DTYPE_BITS)) {
      note(ctx, 'suspicious', 'SAFETENSORS_UNKNOWN_DTYPE', `tensor "${name}" has unknown dtype ${String(t.dtype)}`, member);
    } else {
      const elems = (shape as number[]).reduce((a, d) => a * d, 1);
      const bits = elems * DTYPE_BITS[t.dtype];
      if (bits % 8 !== 0 || bits / 8 !== end - begin) {
        bad('SAFETENSORS_SIZE_MISMATCH', `tensor "${name}": shape × ${t.dtype} is ${bits / 8} bytes but data_offsets span ${end - begin}`);
      }
    }
    spans.push({ name, begin, end });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const s of spans) {
    if (s.begin < pos) bad('SAFETENSORS_OVERLAP', `tensor "${s.name}" overlaps the previous tensor (starts at ${s.begin}, previous ends at ${pos})`);
    else if (s.begin > pos) note(ctx, 'suspicious', 'SAFETENSORS_GAP', `${s.begin - pos} unreferenced bytes before tensor "${s.name}" (the reference loader rejects holes)`, member);
    pos = Math.max(pos, s.end);
  }
  if (pos < dataSize) note(ctx, 'suspicious', 'SAFETENSORS_GAP', `${dataSize - pos} unreferenced bytes after the last tensor`, member);
}
