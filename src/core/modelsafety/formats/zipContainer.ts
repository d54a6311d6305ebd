/**
 * Zip-based containers: PyTorch archives (`archive/data.pkl` + raw storages), `.npz`, `.keras`,
 * and any other zip. Every member is classified by name and by its first bytes, so a pickle under
 * an unusual name (picklescan CVE-2025-1889) or a zip inside a zip is still scanned; tensor storages
 * are only sniffed, never read. Stored and deflated members stream; other methods are "unknown".
 */
import { throwIfAborted } from '../../abort';
import { Cursor, type ByteSource } from '../byteSource';
import { scanPickleStream } from '../pickleStream';
import { bufferAccess, subAccess, type RandomAccess } from '../randomAccess';
import { scanBlob } from '../scanBlob';
import { memberLabel, nestedContext, note, type ScanContext } from '../scanContext';
import type { ModelFormat } from '../types';
import { listZip, looksLikeZip, type ZipEntry } from '../zipReader';
import { analyzeKerasJson } from './keras';
import { looksLikeNpy, scanNpy } from './numpy';

const PICKLE_EXT = /\.(pkl|pickle|joblib|dill|dat|data|p|pck|pt|pth|ckpt|bin)$/i;
const MAX_INMEMORY_NESTED = 256 * 1024 * 1024;
const MAX_CONFIG = 64 * 1024 * 1024;

/** True when the two bytes start a pickle with a PROTO opcode (protocol 2-5). */
export function looksLikeProtoPickle(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x80 && head[1] >= 2 && head[1] <= 5;
}

function memberSource(ra: RandomAccess, e: ZipEntry, signal?: AbortSignal): ByteSource | undefined {
  if (e.method === 0) return ra.range(e.dataStart, e.dataStart + e.compressedSize, signal);
  if (e.method === 8) return ra.inflate(e.dataStart, e.compressedSize, signal);
  return undefined;
}

function archiveKind(entries: ZipEntry[]): ModelFormat {
  const names = entries.map((e) => e.name);
  if (names.some((n) => /(^|\/)data\.pkl$/.test(n) || /(^|\/)constants\.pkl$/.test(n))) return 'pytorch-zip';
  if (names.includes('config.json') && names.some((n) => n === 'model.weights.h5' || n === 'metadata.json')) return 'keras';
  if (names.length > 0 && names.every((n) => n.endsWith('/') || /\.npy$/i.test(n))) return 'numpy-npz';
  return 'zip';
}

/** Scans a zip blob; returns the kind of archive it is. */
export async function scanZip(ra: RandomAccess, ctx: ScanContext): Promise<ModelFormat> {
  const listing = await listZip(ra, ctx.limits.maxMembers);
  for (const f of listing.findings) note(ctx, f.verdict, f.code, f.message, memberLabel(ctx, f.member));
  const kind = archiveKind(listing.entries);
  if (kind === 'pytorch-zip' && !listing.entries.some((e) => /(^|\/)data\.pkl$/.test(e.name))) {
    note(ctx, 'safe', 'TORCH_NO_DATA_PKL', 'archive has constants.pkl but no data.pkl (TorchScript)');
  }
  for (const e of listing.entries) {
    throwIfAborted(ctx.signal);
    if (e.name.endsWith('/')) continue;
    await scanMember(ra, e, ctx, kind);
    if (ctx.depth === 0) ctx.onProgress?.(Math.min(ra.size, e.dataStart + e.compressedSize), ctx.total, e.name);
  }
  return kind;
}

async function scanMember(ra: RandomAccess, e: ZipEntry, ctx: ScanContext, kind: ModelFormat): Promise<void> {
  const member = memberLabel(ctx, e.name)!;
  const lower = e.name.toLowerCase();
  const base = lower.replace(/^.*\//, '');
  // Stored members are sniffed with one 8-byte read, so thousands of tensor storages cost nothing.
  if (e.method === 0) {
    const head = await ra.readAt(e.dataStart, Math.min(8, e.compressedSize));
    if (!wantsStream(lower, base, head, kind)) return;
  }
  const source = memberSource(ra, e, ctx.signal);
  if (!source) {
    note(ctx, 'unknown', 'ZIP_UNSUPPORTED_METHOD', `compression method ${e.method} is not supported: member not checked`, member);
    return;
  }
  const cur = new Cursor(source, ctx.signal);
  try {
    await cur.ensure(8);
    const head = Buffer.from(Array.from({ length: Math.min(8, cur.available) }, (_, i) => cur.peek(i)));
    if (/\.npy$/.test(lower) || looksLikeNpy(head)) return await scanNpy(cur, ctx, member, e.uncompressedSize);
    if (looksLikeZip(head)) return await scanNestedZip(ra, e, ctx, member);
    if (kind === 'keras' && base === 'config.json') return await scanKerasConfig(cur, ctx, member, e.uncompressedSize);
    if (/\.(pkl|pickle|joblib|dill)$/.test(lower)) {
      await scanPickleStream(cur, ctx, { member });
      return;
    }
    // Anything else (tensor storages, version files, oddly named pickles): sniff only.
    if (looksLikeProtoPickle(head) || (PICKLE_EXT.test(lower) && head.length > 0)) {
      await scanPickleStream(cur, ctx, { member, speculative: true });
    }
  } catch (err) {
    if ((err as Error).name === 'InflateError') note(ctx, 'unknown', 'ZIP_CORRUPT_MEMBER', `cannot inflate member: ${(err as Error).message}`, member);
    else throw err;
  } finally {
    source.close?.();
  }
}

/** Whether a member (by name and first bytes) is read at all. */
function wantsStream(lower: string, base: string, head: Buffer, kind: ModelFormat): boolean {
  return (
    /\.(npy|pkl|pickle|joblib|dill)$/.test(lower) ||
    looksLikeNpy(head) ||
    looksLikeZip(head) ||
    (kind === 'keras' && base === 'config.json') ||
    looksLikeProtoPickle(head) ||
    (PICKLE_EXT.test(lower) && head.length > 0)
  );
}

async function scanNestedZip(ra: RandomAccess, e: ZipEntry, ctx: ScanContext, member: string): Promise<void> {
  if (ctx.depth + 1 > ctx.limits.maxDepth) return note(ctx, 'unknown', 'NESTING_LIMIT', 'archive nested too deeply: not checked', member);
  if (e.method === 0) return void (await scanBlob(subAccess(ra, e.dataStart, e.compressedSize), nestedContext(ctx, member), e.name));
  if (e.uncompressedSize > MAX_INMEMORY_NESTED) return note(ctx, 'unknown', 'NESTED_TOO_LARGE', 'compressed nested archive too large to inspect', member);
  const cur = new Cursor(ra.inflate(e.dataStart, e.compressedSize, ctx.signal), ctx.signal);
  const chunks: Buffer[] = [];
  let total = 0;
  while (await cur.ensure(1)) {
    const b = Buffer.from(cur.take(cur.available));
    total += b.length;
    if (total > MAX_INMEMORY_NESTED) return note(ctx, 'unknown', 'NESTED_TOO_LARGE', 'compressed nested archive too large to inspect', member);
    chunks.push(b);
  }
  await scanBlob(bufferAccess(Buffer.concat(chunks)), nestedContext(ctx, member), e.name);
}

async function scanKerasConfig(cur: Cursor, ctx: ScanContext, member: string, size: number): Promise<void> {
  if (size > MAX_CONFIG) return note(ctx, 'unknown', 'KERAS_LIMIT', 'config.json too large to check', member);
  const chunks: Buffer[] = [];
  let total = 0;
  while (await cur.ensure(1)) {
    const b = Buffer.from(cur.take(cur.available));
    total += b.length;
    if (total > MAX_CONFIG) return note(ctx, 'unknown', 'KERAS_LIMIT', 'config.json too large to check', member);
    chunks.push(b);
  }
  analyzeKerasJson(Buffer.concat(chunks).toString('utf8'), ctx, member, 'config.json');
}
