/**
 * Format dispatch: decides what a blob is from its first bytes (extension only as a hint) and
 * hands it to the right reader. Used for files and, recursively, for archive members and nested
 * payloads. A renamed file is still recognised (picklescan CVE-2025-10155: a pickle named `.bin`).
 */
import { Cursor } from './byteSource';
import { looksLikeGguf, scanGguf } from './formats/gguf';
import { looksLikeHdf5, scanHdf5 } from './formats/hdf5';
import { looksLikeNpy, scanNpy } from './formats/numpy';
import { looksLikeSafetensors, scanSafetensors } from './formats/safetensors';
import { looksLikeTar, scanTorchTar } from './formats/torchTar';
import { looksLikeProtoPickle, scanZip } from './formats/zipContainer';
import { OPCODE_NAMES } from './pickleOpcodes';
import { scanPickleStream } from './pickleStream';
import type { RandomAccess } from './randomAccess';
import { note, type ScanContext } from './scanContext';
import type { ModelFormat } from './types';
import { hasZipTrailer, looksLikeZip } from './zipReader';

/** Extensions that name pickle-bearing files (modelscan's list plus a few). */
export const PICKLE_EXTENSIONS = /\.(pkl|pickle|joblib|dill|dat|data|p|pck|pt|pth|ckpt|bin|mar|pyt|pkl\.gz)$/i;

/** First bytes a protocol 0/1 pickle can start with (no PROTO opcode). */
function startsLikeOldPickle(head: Buffer): boolean {
  return head.length > 0 && OPCODE_NAMES.has(head[0]) && head[0] !== 0x80 && /[(c\]})NIJKLMSTUVXdlg]/.test(String.fromCharCode(head[0]));
}

function isZlibHeader(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x78 && ((head[0] << 8) | head[1]) % 31 === 0;
}

/** Scans one blob; returns the detected format (for the top level). */
export async function scanBlob(ra: RandomAccess, ctx: ScanContext, name: string): Promise<ModelFormat> {
  const member = ctx.memberPrefix;
  if (ra.size === 0) {
    note(ctx, 'unknown', 'EMPTY_FILE', 'empty file', member);
    return 'unknown';
  }
  const head = await ra.readAt(0, 512);
  const setFormat = (f: ModelFormat) => {
    if (ctx.depth === 0) ctx.report.format = f;
    return f;
  };
  if (looksLikeZip(head)) return setFormat(await scanZip(ra, { ...ctx }));
  if (looksLikeNpy(head)) {
    setFormat('numpy');
    await scanNpy(new Cursor(ra.range(0, ra.size, ctx.signal), ctx.signal), ctx, member, ra.size);
    return 'numpy';
  }
  if (looksLikeGguf(head)) {
    setFormat('gguf');
    await scanGguf(ra, ctx, member);
    return 'gguf';
  }
  if (looksLikeHdf5(head)) {
    setFormat('keras-h5');
    await scanHdf5(ra, ctx, member);
    return 'keras-h5';
  }
  if (looksLikeTar(head)) {
    setFormat('pytorch-legacy-tar');
    await scanTorchTar(ra, ctx);
    return 'pytorch-legacy-tar';
  }
  if (!looksLikeProtoPickle(head) && looksLikeSafetensors(head, ra.size, name)) {
    setFormat('safetensors');
    await scanSafetensors(ra, ctx, member);
    return 'safetensors';
  }
  if (looksLikeProtoPickle(head) || (PICKLE_EXTENSIONS.test(name) && startsLikeOldPickle(head))) {
    setFormat('pickle');
    const r = await scanPickleStream(ra.range(0, ra.size, ctx.signal), ctx, { member });
    if (await hasZipTrailer(ra)) {
      // A pickle that is also a zip (fickling's polyglot check): different loaders see different files.
      note(ctx, 'suspicious', 'POLYGLOT_ZIP', 'file is both a pickle and a zip archive (polyglot): the zip part was scanned too', member);
      await scanZip(ra, ctx);
    }
    if (r.torchLegacy) {
      setFormat('pytorch-legacy');
      note(ctx, 'safe', 'TORCH_LEGACY', 'legacy torch.save stream: 5 pickles checked, raw storage bytes skipped', member);
    }
    return r.torchLegacy ? 'pytorch-legacy' : 'pickle';
  }
  if (PICKLE_EXTENSIONS.test(name) && (isZlibHeader(head) || (head[0] === 0x1f && head[1] === 0x8b))) {
    // joblib.dump(compress=…) writes a zlib or gzip stream of the pickle.
    setFormat('pickle');
    note(ctx, 'safe', 'COMPRESSED_PICKLE', `${head[0] === 0x1f ? 'gzip' : 'zlib'}-compressed pickle (joblib compress=)`, member);
    const src = ra.inflate(0, ra.size, ctx.signal, head[0] === 0x1f ? 'gzip' : 'zlib');
    try {
      await scanPickleStream(src, ctx, { member });
    } catch (e) {
      if ((e as Error).name !== 'InflateError') throw e;
      note(ctx, 'unknown', 'CORRUPT_COMPRESSION', `cannot decompress: ${(e as Error).message}`, member);
    } finally {
      src.close?.();
    }
    return 'pickle';
  }
  if (await hasZipTrailer(ra)) {
    // Python's zipfile accepts data prepended to an archive (self-extractors, polyglots).
    note(ctx, 'suspicious', 'ZIP_PREPENDED_DATA', 'zip archive with data prepended before the first member', member);
    return setFormat(await scanZip(ra, ctx));
  }
  note(ctx, 'unknown', 'UNKNOWN_FORMAT', `unrecognised format${PICKLE_EXTENSIONS.test(name) ? ' (extension suggests a pickle, but the content does not start like one)' : ''}`, member);
  return 'unknown';
}
