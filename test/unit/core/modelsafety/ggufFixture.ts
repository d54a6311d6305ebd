/** Builds small GGUF files for tests (string metadata only, F32/Q8_0 tensors). */
export interface GgufSpec {
  version?: number;
  kv?: Array<[string, string]>;
  tensors?: Array<{ name: string; dims: number[]; type: number; offset: number }>;
  /** Bytes of tensor data after the aligned header (default: exactly what the tensors need). */
  dataSize?: number;
  /** Override the declared tensor count. */
  tensorCount?: number;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
function u64(n: number | bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}
function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([u64(b.length), b]);
}

export function gguf(spec: GgufSpec): Buffer {
  const kv = spec.kv ?? [['general.architecture', 'llama']];
  const tensors = spec.tensors ?? [];
  const parts: Buffer[] = [Buffer.from('GGUF'), u32(spec.version ?? 3), u64(spec.tensorCount ?? tensors.length), u64(kv.length)];
  for (const [k, v] of kv) parts.push(str(k), u32(8), str(v));
  for (const t of tensors) {
    parts.push(str(t.name), u32(t.dims.length), ...t.dims.map((d) => u64(d)), u32(t.type), u64(t.offset));
  }
  const header = Buffer.concat(parts);
  const aligned = Math.ceil(header.length / 32) * 32;
  const need = tensors.reduce((m, t) => Math.max(m, t.offset + (t.type === 0 ? 4 : 34 / 32) * t.dims.reduce((a, d) => a * d, 1)), 0);
  return Buffer.concat([header, Buffer.alloc(aligned - header.length), Buffer.alloc(spec.dataSize ?? Math.ceil(need))]);
}
