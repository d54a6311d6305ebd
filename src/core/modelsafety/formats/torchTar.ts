/**
 * The oldest torch.save format: a tar with members `sys_info`, `pickle`, `storages`, `tensors`.
 * `pickle` and `sys_info` are plain pickles. `storages` is a count pickle, then per storage a
 * (key, location, storage_type) pickle followed by an int64 element count and the raw bytes.
 * `tensors` is a count pickle, then per tensor a (key, storage_id, type) pickle followed by
 * ndim, sizes, strides and offset. Every pickle is scanned; raw bytes are skipped by length.
 */
import { Cursor } from '../byteSource';
import { readOnePickle, symString, type Sym } from '../pickleScanner';
import { scanPickleStream } from '../pickleStream';
import type { RandomAccess } from '../randomAccess';
import { at, memberLabel, note, type ScanContext } from '../scanContext';

/** Element sizes of legacy storage classes. */
const ELEMENT_SIZE: Record<string, number> = {
  DoubleStorage: 8, FloatStorage: 4, HalfStorage: 2, BFloat16Storage: 2, LongStorage: 8, IntStorage: 4,
  ShortStorage: 2, CharStorage: 1, ByteStorage: 1, BoolStorage: 1, ComplexFloatStorage: 8, ComplexDoubleStorage: 16,
  QInt8Storage: 1, QUInt8Storage: 1, QInt32Storage: 4, QUInt4x2Storage: 1, QUInt2x4Storage: 1,
};

/** True when a ustar header is at offset 257. */
export function looksLikeTar(head: Buffer): boolean {
  return head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';
}

function count(v: Sym | undefined): number | undefined {
  return v?.k === 'int' && v.v !== null && v.v >= 0n && v.v < 100_000_000n ? Number(v.v) : undefined;
}

/** Scans the members of a legacy torch tar archive. */
export async function scanTorchTar(ra: RandomAccess, ctx: ScanContext): Promise<void> {
  let pos = 0;
  let members = 0;
  while (pos + 512 <= ra.size) {
    const h = await ra.readAt(pos, 512);
    if (h.every((b) => b === 0)) return;
    const rawName = h.toString('latin1', 0, 100).replace(/\0.*$/s, '');
    const prefix = h.toString('latin1', 345, 500).replace(/\0.*$/s, '');
    const name = prefix ? `${prefix}/${rawName}` : rawName;
    const size = parseInt(h.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) return note(ctx, 'unknown', 'TAR_MALFORMED', `bad size in tar header at ${pos}`);
    const type = String.fromCharCode(h[156] || 0x30);
    const start = pos + 512;
    if (++members > ctx.limits.maxMembers) return note(ctx, 'unknown', 'TAR_LIMIT', 'too many tar members');
    if (start + size > ra.size) note(ctx, 'unknown', 'TAR_TRUNCATED', `member ${name} runs past the end of the file`, memberLabel(ctx, name));
    if (type === '0' || type === '\0') {
      const member = memberLabel(ctx, name);
      const base = name.replace(/^.*\//, '');
      const cur = new Cursor(ra.range(start, start + size, ctx.signal), ctx.signal);
      if (base === 'storages' || base === 'tensors') await scanRecordMember(cur, ctx, member!, base);
      else await scanPickleStream(cur, ctx, { member, speculative: base !== 'pickle' && base !== 'sys_info' });
    }
    pos = start + Math.ceil(size / 512) * 512;
    ctx.onProgress?.(Math.min(pos, ra.size), ctx.total);
  }
}

async function scanRecordMember(cur: Cursor, ctx: ScanContext, member: string, kind: 'storages' | 'tensors'): Promise<void> {
  const sink = {
    global: (m: string, n: string, offset: number, op: string, resolved: boolean) => ctx.report.addGlobal(m, n, op, resolved, at(member, offset)),
    finding: (v: 'safe' | 'unknown' | 'suspicious' | 'dangerous', code: string, message: string, offset: number) => ctx.report.addFinding(v, code, message, at(member, offset)),
  };
  const read = async () => {
    const r = await readOnePickle(cur, { limits: ctx.limits, sink, signal: ctx.signal });
    if (!r.complete) note(ctx, 'unknown', r.error!.code, `${kind}: ${r.error!.message}`, member, r.error!.offset);
    return r.complete ? r.value : undefined;
  };
  const n = count(await read());
  if (n === undefined) return note(ctx, 'unknown', 'TORCH_LEGACY_MALFORMED', `${kind}: record count is not a small integer`, member);
  for (let i = 0; i < n; i++) {
    const rec = await read();
    if (!rec) return;
    if (kind === 'storages') {
      const storageType = rec.k === 'tuple' ? rec.items[2] : undefined;
      const typeName = storageType?.k === 'global' ? storageType.name : symString(storageType);
      const elem = typeName ? ELEMENT_SIZE[typeName] : undefined;
      if (!elem || !(await cur.ensure(8))) return note(ctx, 'unknown', 'TORCH_LEGACY_MALFORMED', 'storages: unknown storage type or truncated record', member, cur.pos);
      const numel = cur.u64();
      if (!(await cur.skip(numel * elem))) return note(ctx, 'unknown', 'TORCH_LEGACY_MALFORMED', 'storages: truncated storage data', member, cur.pos);
    } else {
      if (!(await cur.ensure(8))) return note(ctx, 'unknown', 'TORCH_LEGACY_MALFORMED', 'tensors: truncated record', member, cur.pos);
      const ndim = cur.i32();
      cur.u32();
      if (ndim < 0 || ndim > 64 || !(await cur.skip(16 * ndim + 8))) return note(ctx, 'unknown', 'TORCH_LEGACY_MALFORMED', 'tensors: bad tensor record', member, cur.pos);
    }
  }
  if (!(await cur.atEnd())) note(ctx, 'suspicious', 'PICKLE_TRAILING_DATA', `${kind}: unexpected data after the last record`, member, cur.pos);
}
