/**
 * Random access to a file or an in-memory blob (a nested archive), with the stream factories the
 * format readers need. File-backed access reads only what is asked for.
 */
import type { FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { ByteCoverage } from './byteCoverage';
import { bufferSource, fileRangeSource, inflateRawSource, InflateError, type ByteSource } from './byteSource';

/** A seekable blob. */
export interface RandomAccess {
  readonly size: number;
  /** Reads up to `length` bytes at `position` (fewer at the end). */
  readAt(position: number, length: number): Promise<Buffer>;
  /** A stream over [start, end). */
  range(start: number, end: number, signal?: AbortSignal): ByteSource;
  /** A stream inflating the deflate data (raw, zlib-wrapped or gzip) at [start, start+compressedSize). */
  inflate(start: number, compressedSize: number, signal?: AbortSignal, kind?: 'raw' | 'zlib' | 'gzip'): ByteSource;
  /** Bytes read from disk so far by readAt (streams count their own); re-reads count again. */
  readonly diskBytes: number;
  /** Distinct bytes of the underlying file read so far (each byte counts once; 0 for in-memory blobs). */
  readonly coveredBytes: number;
}

/** Random access over an open file handle. */
export function fileAccess(fh: FileHandle, size: number): RandomAccess {
  let disk = 0;
  let closedStreams = 0;
  const coverage = new ByteCoverage();
  const onRead = (position: number, length: number) => coverage.add(position, length);
  const live = new Set<ByteSource>();
  // Count what every stream pulled from disk, without keeping finished streams alive.
  const track = (src: ByteSource): ByteSource => {
    live.add(src);
    const close = src.close?.bind(src);
    src.close = () => {
      if (live.delete(src)) closedStreams += src.diskBytes;
      close?.();
    };
    return src;
  };
  return {
    size,
    get diskBytes() {
      let n = disk + closedStreams;
      for (const s of live) n += s.diskBytes;
      return n;
    },
    get coveredBytes() {
      return coverage.size;
    },
    async readAt(position, length) {
      const n = Math.max(0, Math.min(length, size - position));
      const buf = Buffer.alloc(n);
      if (n === 0) return buf;
      const { bytesRead } = await fh.read(buf, 0, n, position);
      disk += bytesRead;
      coverage.add(position, bytesRead);
      return buf.subarray(0, bytesRead);
    },
    range: (start, end, signal) => track(fileRangeSource(fh, start, Math.min(end, size), signal, onRead)),
    inflate: (start, csize, signal, kind) => track(inflateRawSource(fh, start, Math.max(0, Math.min(csize, size - start)), signal, kind, onRead)),
  };
}

/** Random access over a buffer; inflation is bounded by `maxInflated`. */
export function bufferAccess(data: Buffer, maxInflated = 256 * 1024 * 1024): RandomAccess {
  return {
    size: data.length,
    diskBytes: 0,
    coveredBytes: 0,
    async readAt(position, length) {
      return data.subarray(Math.max(0, position), Math.min(data.length, position + length));
    },
    range: (start, end) => bufferSource(data.subarray(start, Math.min(end, data.length))),
    inflate(start, csize, _signal, kind = 'raw') {
      const input = data.subarray(start, Math.min(data.length, start + csize));
      const opts = { maxOutputLength: maxInflated };
      try {
        const out = kind === 'raw' ? zlib.inflateRawSync(input, opts) : kind === 'zlib' ? zlib.inflateSync(input, opts) : zlib.gunzipSync(input, opts);
        return bufferSource(out);
      } catch (e) {
        return failingSource(new InflateError((e as Error).message));
      }
    },
  };
}

/** A source that fails on first use (a corrupt compressed member). */
function failingSource(error: Error): ByteSource {
  return {
    diskBytes: 0,
    read: () => Promise.reject(error),
    skip: () => Promise.reject(error),
  };
}

/** A window [start, start+size) of another blob, itself random-access (a stored nested archive). */
export function subAccess(ra: RandomAccess, start: number, size: number): RandomAccess {
  const end = Math.min(ra.size, start + size);
  return {
    size: end - start,
    get diskBytes() {
      return ra.diskBytes;
    },
    get coveredBytes() {
      return ra.coveredBytes;
    },
    readAt: (position, length) => ra.readAt(start + position, Math.max(0, Math.min(length, end - start - position))),
    range: (s, e, signal) => ra.range(start + s, start + Math.min(e, end - start), signal),
    inflate: (s, csize, signal, kind) => ra.inflate(start + s, Math.min(csize, end - start - s), signal, kind),
  };
}
