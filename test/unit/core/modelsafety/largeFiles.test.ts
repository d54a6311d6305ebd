import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { scanModelFile } from '../../../../src/core/modelsafety';
import { CancellationError } from '../../../../src/core/errors';
import { P, pk, reducePickle, tempDir, torchStyleDataPkl } from './fixtures';

const GB2 = 2 * 1024 * 1024 * 1024;

function localHeader(name: string, size: number, crc: number, method = 0, csize = size): Buffer {
  const n = Buffer.from(name);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(method, 8);
  h.writeUInt32LE(crc, 14);
  h.writeUInt32LE(csize, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(n.length, 26);
  return Buffer.concat([h, n]);
}

function centralHeader(name: string, size: number, crc: number, offset: number, method = 0, csize = size): Buffer {
  const n = Buffer.from(name);
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(method, 10);
  h.writeUInt32LE(crc, 16);
  h.writeUInt32LE(csize, 20);
  h.writeUInt32LE(size, 24);
  h.writeUInt16LE(n.length, 28);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, n]);
}

function eocd(count: number, cdSize: number, cdOffset: number): Buffer {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(count, 8);
  e.writeUInt16LE(count, 10);
  e.writeUInt32LE(cdSize, 12);
  e.writeUInt32LE(cdOffset, 16);
  return e;
}

/**
 * Writes a sparse torch-style archive: data.pkl (stored) + one 2 GB stored storage member whose
 * bytes are a hole, + the central directory. Returns the file size. CRCs of the hole are not
 * computed (scanners must not need them).
 */
export function writeSparseTorchZip(file: string, dataPkl: Buffer, storageBytes = GB2 - 4096): number {
  const fd = fs.openSync(file, 'w');
  try {
    let pos = 0;
    const lh1 = localHeader('archive/data.pkl', dataPkl.length, zlib.crc32(dataPkl));
    fs.writeSync(fd, Buffer.concat([lh1, dataPkl]), 0, lh1.length + dataPkl.length, pos);
    const off2 = lh1.length + dataPkl.length;
    const lh2 = localHeader('archive/data/0', storageBytes, 0);
    fs.writeSync(fd, lh2, 0, lh2.length, off2);
    pos = off2 + lh2.length + storageBytes;
    const cd = Buffer.concat([centralHeader('archive/data.pkl', dataPkl.length, zlib.crc32(dataPkl), 0), centralHeader('archive/data/0', storageBytes, 0, off2)]);
    const tail = Buffer.concat([cd, eocd(2, cd.length, pos)]);
    fs.writeSync(fd, tail, 0, tail.length, pos);
    return pos + tail.length;
  } finally {
    fs.closeSync(fd);
  }
}

async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; growthMb: number; ms: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growthMb: (peak - base) / 1e6, ms: performance.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

describe('modelsafety on large files (bounded memory)', function () {
  this.timeout(60_000);
  let t: ReturnType<typeof tempDir>;
  before(() => (t = tempDir()));
  after(() => t.cleanup());

  it('checks a 2 GB torch-style zip without reading the storage (RSS growth < 200 MB, < 20 s)', async () => {
    const file = path.join(t.dir, 'big.pt');
    const size = writeSparseTorchZip(file, reducePickle('os', 'system'));
    assert.ok(size > 2e9);
    const { value: r, growthMb, ms } = await withPeakRss(() => scanModelFile(file));
    assert.equal(r.verdict, 'dangerous');
    assert.ok(growthMb < 200, `RSS grew ${growthMb.toFixed(1)} MB`);
    assert.ok(ms < 20_000, `took ${ms} ms`);
    assert.ok(r.bytesRead < 10 * 1024 * 1024, `read ${r.bytesRead} bytes of ${size}`);
  });

  it('skips a 2 GB BINBYTES8 payload inside a pickle and still sees the call after it', async () => {
    const file = path.join(t.dir, 'big.pkl');
    const head = pk(P.proto(4), Buffer.from([0x8e]), (() => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt(GB2));
      return b;
    })());
    const tail = pk(P.pop, P.global('os', 'system'), P.binunicode('id'), P.tuple1, P.reduce, P.stop);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, head, 0, head.length, 0);
    fs.writeSync(fd, tail, 0, tail.length, head.length + GB2);
    fs.closeSync(fd);
    const { value: r, growthMb } = await withPeakRss(() => scanModelFile(file));
    assert.equal(r.verdict, 'dangerous', JSON.stringify(r.findings));
    assert.equal(r.globals[0].locations[0].offset, head.length + GB2 + 1);
    assert.ok(growthMb < 200, `RSS grew ${growthMb.toFixed(1)} MB`);
  });

  it('streams a deflated member of 256 MB (inflated on the fly, never held whole)', async () => {
    const file = path.join(t.dir, 'deflated.pt');
    const payload = 256 * 1024 * 1024;
    const lenBuf = Buffer.alloc(8);
    lenBuf.writeBigUInt64LE(BigInt(payload));
    const pre = pk(P.proto(4), Buffer.from([0x8e]), lenBuf);
    const post = pk(P.pop, torchStyleDataPkl().subarray(2));
    // Deflate [pre | zeros | post] chunk by chunk.
    const deflate = zlib.createDeflateRaw();
    const out: Buffer[] = [];
    deflate.on('data', (d: Buffer) => out.push(d));
    const done = new Promise((r) => deflate.on('end', r));
    let crc = zlib.crc32(pre);
    deflate.write(pre);
    const zeros = Buffer.alloc(1 << 20);
    for (let i = 0; i < payload / zeros.length; i++) {
      deflate.write(zeros);
      crc = zlib.crc32(zeros, crc);
    }
    deflate.end(post);
    crc = zlib.crc32(post, crc);
    await done;
    const body = Buffer.concat(out);
    const usize = pre.length + payload + post.length;
    const lh = localHeader('archive/data.pkl', usize, crc, 8, body.length);
    const cd = centralHeader('archive/data.pkl', usize, crc, 0, 8, body.length);
    fs.writeFileSync(file, Buffer.concat([lh, body, cd, eocd(1, cd.length, lh.length + body.length)]));
    const { value: r, growthMb } = await withPeakRss(() => scanModelFile(file));
    assert.equal(r.verdict, 'safe', JSON.stringify(r.findings));
    assert.ok(growthMb < 200, `RSS grew ${growthMb.toFixed(1)} MB`);
  });

  it('reads zip64 archives: a 4.5 GB stored storage member, then data.pkl at an offset past 4 GB', async () => {
    const file = path.join(t.dir, 'zip64.pt');
    const big = 4.5 * 1024 * 1024 * 1024;
    const pkl = reducePickle('os', 'system');
    const zip64Extra = (...vals: number[]) => {
      const e = Buffer.alloc(4 + 8 * vals.length);
      e.writeUInt16LE(1, 0);
      e.writeUInt16LE(8 * vals.length, 2);
      vals.forEach((v, i) => e.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
      return e;
    };
    const local = (name: string, size: number, extra: Buffer) => {
      const n = Buffer.from(name);
      const h = Buffer.alloc(30);
      h.writeUInt32LE(0x04034b50, 0);
      h.writeUInt16LE(45, 4);
      h.writeUInt32LE(size > 0xfffffffe ? 0xffffffff : size, 18);
      h.writeUInt32LE(size > 0xfffffffe ? 0xffffffff : size, 22);
      h.writeUInt16LE(n.length, 26);
      h.writeUInt16LE(extra.length, 28);
      return Buffer.concat([h, n, extra]);
    };
    const central = (name: string, size: number, offset: number) => {
      const n = Buffer.from(name);
      const big32 = size > 0xfffffffe;
      const off32 = offset > 0xfffffffe;
      const extra = zip64Extra(...(big32 ? [size, size] : []), ...(off32 ? [offset] : []));
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(45, 4);
      h.writeUInt16LE(45, 6);
      h.writeUInt32LE(big32 ? 0xffffffff : size, 20);
      h.writeUInt32LE(big32 ? 0xffffffff : size, 24);
      h.writeUInt16LE(n.length, 28);
      h.writeUInt16LE(extra.length, 30);
      h.writeUInt32LE(off32 ? 0xffffffff : offset, 42);
      return Buffer.concat([h, n, extra]);
    };
    const fd = fs.openSync(file, 'w');
    const l1 = local('archive/data/0', big, zip64Extra(big, big));
    fs.writeSync(fd, l1, 0, l1.length, 0);
    const off2 = l1.length + big;
    const l2 = Buffer.concat([local('archive/data.pkl', pkl.length, Buffer.alloc(0)), pkl]);
    fs.writeSync(fd, l2, 0, l2.length, off2);
    const cdOff = off2 + l2.length;
    const cd = Buffer.concat([central('archive/data/0', big, 0), central('archive/data.pkl', pkl.length, off2)]);
    const z64 = Buffer.alloc(56);
    z64.writeUInt32LE(0x06064b50, 0);
    z64.writeBigUInt64LE(44n, 4);
    z64.writeBigUInt64LE(2n, 24);
    z64.writeBigUInt64LE(2n, 32);
    z64.writeBigUInt64LE(BigInt(cd.length), 40);
    z64.writeBigUInt64LE(BigInt(cdOff), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(cdOff + cd.length), 8);
    loc.writeUInt32LE(1, 16);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(0xffff, 8);
    end.writeUInt16LE(0xffff, 10);
    end.writeUInt32LE(0xffffffff, 12);
    end.writeUInt32LE(0xffffffff, 16);
    const tail = Buffer.concat([cd, z64, loc, end]);
    fs.writeSync(fd, tail, 0, tail.length, cdOff);
    fs.closeSync(fd);
    const r = await scanModelFile(file);
    assert.equal(r.format, 'pytorch-zip');
    assert.equal(r.verdict, 'dangerous', JSON.stringify(r.findings));
    assert.ok(!r.findings.some((f) => f.code === 'ZIP_HIDDEN_ENTRY' || f.verdict === 'unknown'), JSON.stringify(r.findings));
    fs.rmSync(file);
  });

  it('aborts a scan in progress with CancellationError', async () => {
    const file = path.join(t.dir, 'deflated.pt'); // written by the previous test; inflating it takes ~1 s
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const t0 = performance.now();
    await assert.rejects(scanModelFile(file, { signal: ac.signal }), CancellationError);
    assert.ok(performance.now() - t0 < 1000, 'stopped promptly');
  });
});
