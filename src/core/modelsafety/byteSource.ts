/**
 * Pull-based byte streams over a file region, an inflated zip member or a buffer, plus a cursor
 * that parsers use synchronously once enough bytes are buffered. Nothing ever reads a whole file:
 * callers `skip` over tensor payloads, which costs no I/O on file regions.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { throwIfAborted } from '../abort';

const CHUNK = 256 * 1024;

/** A forward-only byte stream. */
export interface ByteSource {
  /** Next chunk (at most `max` bytes), or null at end of stream. */
  read(max: number): Promise<Buffer | null>;
  /** Skips up to `n` bytes; returns how many were skipped (fewer at end of stream). */
  skip(n: number): Promise<number>;
  /** Bytes pulled from disk so far (for progress and the `bytesRead` statistic). */
  readonly diskBytes: number;
  /** Releases resources (streams) early; optional. */
  close?(): void;
}

/** Told about every successful disk read: `length` bytes at file offset `position`. */
export type ReadRecorder = (position: number, length: number) => void;

/** A region [start, end) of an open file. `skip` moves the position without I/O. */
export function fileRangeSource(fh: FileHandle, start: number, end: number, signal?: AbortSignal, onRead?: ReadRecorder): ByteSource {
  let pos = start;
  let disk = 0;
  return {
    get diskBytes() {
      return disk;
    },
    async read(max) {
      throwIfAborted(signal);
      const n = Math.min(max, end - pos, CHUNK * 4);
      if (n <= 0) return null;
      const buf = Buffer.allocUnsafe(n);
      const { bytesRead } = await fh.read(buf, 0, n, pos);
      if (bytesRead <= 0) return null;
      onRead?.(pos, bytesRead);
      pos += bytesRead;
      disk += bytesRead;
      return bytesRead === n ? buf : buf.subarray(0, bytesRead);
    },
    async skip(n) {
      const k = Math.max(0, Math.min(n, end - pos));
      pos += k;
      return k;
    },
  };
}

/** An in-memory buffer as a source (nested pickles, tests). */
export function bufferSource(data: Uint8Array): ByteSource {
  let pos = 0;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return {
    diskBytes: 0,
    async read(max) {
      if (pos >= buf.length) return null;
      const out = buf.subarray(pos, Math.min(buf.length, pos + max));
      pos += out.length;
      return out;
    },
    async skip(n) {
      const k = Math.max(0, Math.min(n, buf.length - pos));
      pos += k;
      return k;
    },
  };
}

/**
 * Inflates a raw-deflate region of a file incrementally (zip method 8). Output is produced on
 * demand (stream back-pressure), so memory stays at a few chunks whatever the member size; a zip
 * bomb only costs time, and the caller stops pulling as soon as its parser is done.
 */
export function inflateRawSource(
  fh: FileHandle,
  start: number,
  compressedSize: number,
  signal?: AbortSignal,
  kind: 'raw' | 'zlib' | 'gzip' = 'raw',
  onRead?: ReadRecorder,
): ByteSource {
  if (compressedSize <= 0) return bufferSource(new Uint8Array(0));
  // Read through our own range source: a FileHandle read stream would close the shared handle when destroyed.
  const raw = fileRangeSource(fh, start, start + compressedSize, signal, onRead);
  const rs = Readable.from(
    (async function* () {
      for (let c = await raw.read(CHUNK); c; c = await raw.read(CHUNK)) yield c;
    })(),
    { objectMode: false },
  );
  const opts = { chunkSize: 64 * 1024 };
  const inflate = kind === 'raw' ? zlib.createInflateRaw(opts) : kind === 'zlib' ? zlib.createInflate(opts) : zlib.createGunzip(opts);
  rs.on('error', (e) => inflate.destroy(e));
  rs.pipe(inflate);
  const it = inflate[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let carry: Buffer | null = null;
  let done = false;
  async function next(): Promise<Buffer | null> {
    if (done) return null;
    throwIfAborted(signal);
    try {
      const r = await it.next();
      if (r.done) {
        done = true;
        return null;
      }
      return r.value;
    } catch (e) {
      done = true;
      throw new InflateError((e as Error).message);
    }
  }
  return {
    get diskBytes() {
      return raw.diskBytes;
    },
    async read(max) {
      const b = carry ?? (await next());
      carry = null;
      if (!b) return null;
      if (b.length > max) {
        carry = b.subarray(max);
        return b.subarray(0, max);
      }
      return b;
    },
    async skip(n) {
      let left = n;
      while (left > 0) {
        const b = await this.read(Math.min(left, CHUNK));
        if (!b) break;
        left -= b.length;
      }
      return n - left;
    },
    close() {
      done = true;
      rs.unpipe(inflate);
      rs.destroy();
      inflate.destroy();
    },
  };
}

/** Raised when a deflate stream is corrupt. */
export class InflateError extends Error {
  override readonly name = 'InflateError';
}

/**
 * Buffered reader over a ByteSource. `ensure(n)` is the only await in parser loops; the
 * accessors are synchronous and assume the bytes were ensured. `pos` is the absolute offset.
 */
export class Cursor {
  private buf: Buffer = Buffer.alloc(0);
  private off = 0;
  private eof = false;
  /** Absolute offset of the next unread byte. */
  pos = 0;

  constructor(
    readonly source: ByteSource,
    private readonly signal?: AbortSignal,
  ) {}

  /** Bytes buffered and not yet consumed. */
  get available(): number {
    return this.buf.length - this.off;
  }

  /** Buffers at least `n` bytes; false when the stream ends first. */
  async ensure(n: number): Promise<boolean> {
    while (this.buf.length - this.off < n) {
      if (this.eof) return false;
      throwIfAborted(this.signal);
      const chunk = await this.source.read(Math.max(CHUNK, n - this.available));
      if (!chunk) {
        this.eof = true;
        return false;
      }
      const rest = this.buf.subarray(this.off);
      this.buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      this.off = 0;
    }
    return true;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.ensure(1));
  }

  u8(): number {
    this.pos++;
    return this.buf[this.off++];
  }
  peek(i = 0): number {
    return this.buf[this.off + i];
  }
  u16(): number {
    const v = this.buf.readUInt16LE(this.off);
    this.off += 2;
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.buf.readUInt32LE(this.off);
    this.off += 4;
    this.pos += 4;
    return v;
  }
  i32(): number {
    const v = this.buf.readInt32LE(this.off);
    this.off += 4;
    this.pos += 4;
    return v;
  }
  /** Little-endian u64 as a number; values above 2^53 come back as Infinity (callers treat them as out of bounds). */
  u64(): number {
    const v = this.buf.readBigUInt64LE(this.off);
    this.off += 8;
    this.pos += 8;
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v);
  }
  f64(): number {
    const v = this.buf.readDoubleBE(this.off);
    this.off += 8;
    this.pos += 8;
    return v;
  }
  /** Consumes `n` buffered bytes as a string, without allocating a view. */
  text(n: number, encoding: 'utf8' | 'latin1'): string {
    const v = this.buf.toString(encoding, this.off, this.off + n);
    this.off += n;
    this.pos += n;
    return v;
  }
  /** Consumes `n` buffered bytes (a view, valid until the next ensure). */
  take(n: number): Buffer {
    const out = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    this.pos += n;
    return out;
  }

  /** Skips `n` bytes, using the source's cheap skip beyond the buffer. Returns false if the stream ended first. */
  async skip(n: number): Promise<boolean> {
    const inBuf = Math.min(n, this.available);
    this.off += inBuf;
    this.pos += inBuf;
    let left = n - inBuf;
    if (left === 0) return true;
    this.buf = Buffer.alloc(0);
    this.off = 0;
    while (left > 0) {
      throwIfAborted(this.signal);
      const k = await this.source.skip(left);
      if (k === 0) {
        this.eof = true;
        return false;
      }
      left -= k;
      this.pos += k;
    }
    return true;
  }

  /** Reads up to and including '\n' (at most `max` bytes); returns the line without '\n', or null. */
  async readLine(max: number): Promise<Buffer | null> {
    for (let scanned = 0; ; ) {
      const idx = this.buf.indexOf(0x0a, this.off + scanned);
      if (idx >= 0 && idx - this.off <= max) {
        const line = this.buf.subarray(this.off, idx);
        this.pos += idx + 1 - this.off;
        this.off = idx + 1;
        return line;
      }
      scanned = this.available;
      if (scanned > max) return null;
      if (!(await this.ensure(this.available + 1))) return null;
    }
  }
}
