/**
 * NumPy `.npy` (format versions 1-3): magic, header dict literal, then raw data, or, for object
 * dtypes, a pickle of the whole array (what `np.load(allow_pickle=True)` unpickles).
 */
import type { Cursor } from '../byteSource';
import { scanPickleStream } from '../pickleStream';
import { note, type ScanContext } from '../scanContext';

const MAGIC = Buffer.from('\x93NUMPY', 'latin1');

/** True when the buffer starts with the npy magic. */
export function looksLikeNpy(head: Buffer): boolean {
  return head.length >= 6 && head.subarray(0, 6).equals(MAGIC);
}

const ITEM_SIZE_UNITS: Record<string, number> = { U: 4 };

/** Scans an npy stream; `total` is the stream length when known (for truncation checks). */
export async function scanNpy(cur: Cursor, ctx: ScanContext, member: string | undefined, total?: number): Promise<void> {
  if (!(await cur.ensure(10)) || !cur.take(6).equals(MAGIC)) {
    note(ctx, 'unknown', 'NUMPY_MALFORMED', 'not an .npy stream (bad magic)', member);
    return;
  }
  const major = cur.u8();
  cur.u8();
  let headerLen: number;
  if (major === 1) headerLen = cur.u16();
  else if (major === 2 || major === 3) {
    if (!(await cur.ensure(2))) return note(ctx, 'unknown', 'NUMPY_TRUNCATED', 'truncated .npy header', member);
    headerLen = cur.u32();
  } else return note(ctx, 'unknown', 'NUMPY_MALFORMED', `unsupported .npy format version ${major}`, member);
  if (headerLen > 1 << 20 || !(await cur.ensure(headerLen))) return note(ctx, 'unknown', 'NUMPY_TRUNCATED', 'truncated or oversized .npy header', member);
  const header = cur.take(headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /['"]descr['"]\s*:\s*(['"]([^'"]*)['"]|\[[\s\S]*\])/.exec(header);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shape) return note(ctx, 'unknown', 'NUMPY_MALFORMED', 'npy header without descr/shape', member);
  const dtype = descr[2] ?? descr[1];
  // Object fields anywhere in the dtype (plain 'O' or inside a structured dtype) mean a pickle follows.
  if (/(^|['"\s(,])[<>|=]?O\d*(['"]|$)/.test(dtype) || /^[<>|=]?O/.test(dtype)) {
    note(ctx, 'suspicious', 'NUMPY_OBJECT_ARRAY', 'object array: loading it requires allow_pickle=True, which unpickles the data', member, cur.pos);
    await scanPickleStream(cur, ctx, { member, maxPickles: 1 });
    return;
  }
  const m = /^[<>|=]?([a-zA-Z])(\d+)/.exec(dtype);
  const dims = shape[1].split(',').map((d) => d.trim()).filter((d) => d.length);
  if (!m || dims.some((d) => !/^\d+L?$/.test(d))) return; // structured dtypes: no code, size not checked
  const count = dims.reduce((a, d) => a * parseInt(d, 10), 1);
  const bytes = count * parseInt(m[2], 10) * (ITEM_SIZE_UNITS[m[1]] ?? 1);
  if (total !== undefined && total - cur.pos < bytes) {
    note(ctx, 'unknown', 'NUMPY_TRUNCATED', `array data needs ${bytes} bytes, ${total - cur.pos} present`, member);
  }
}
