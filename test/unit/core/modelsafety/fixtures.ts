/**
 * Fixture builders for the model-safety tests: raw pickle opcode assembly, a zip writer with
 * knobs for the tricks scanners trip on, and a python3 runner (tests skip when python3 is absent).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-modelsafety-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

let pythonOk: boolean | undefined;
/** True when Debian's python3 can be run. */
export function hasPython(): boolean {
  if (pythonOk === undefined) {
    const r = spawnSync('python3', ['-c', 'import pickle; print(1)'], { encoding: 'utf8' });
    pythonOk = r.status === 0;
  }
  return pythonOk;
}

/** Runs python3 code with `OUT` set to the output dir; throws with stderr on failure. */
export function python(code: string, outDir: string): void {
  const r = spawnSync('python3', ['-c', `import os\nOUT=${JSON.stringify(outDir)}\n${code}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
}

/** Raw opcode assembly helpers (protocol-level building blocks). */
export const P = {
  proto: (n: number) => Buffer.from([0x80, n]),
  frame: (n: number) => Buffer.concat([Buffer.from([0x95]), u64(n)]),
  global: (m: string, n: string) => Buffer.from(`c${m}\n${n}\n`, 'utf8'),
  inst: (m: string, n: string) => Buffer.from(`i${m}\n${n}\n`, 'utf8'),
  sbu: (s: string) => {
    const b = Buffer.from(s, 'utf8');
    return Buffer.concat([Buffer.from([0x8c, b.length]), b]);
  },
  binunicode: (s: string) => {
    const b = Buffer.from(s, 'utf8');
    const h = Buffer.alloc(5);
    h[0] = 0x58;
    h.writeUInt32LE(b.length, 1);
    return Buffer.concat([h, b]);
  },
  binunicode8: (s: string) => {
    const b = Buffer.from(s, 'utf8');
    return Buffer.concat([Buffer.from([0x8d]), u64(b.length), b]);
  },
  unicode: (s: string) => Buffer.from(`V${s}\n`, 'latin1'),
  string: (s: string) => Buffer.from(`S'${s}'\n`, 'latin1'),
  shortBinbytes: (b: Buffer) => Buffer.concat([Buffer.from([0x43, b.length]), b]),
  binbytes: (b: Buffer) => {
    const h = Buffer.alloc(5);
    h[0] = 0x42;
    h.writeUInt32LE(b.length, 1);
    return Buffer.concat([h, b]);
  },
  bytearray8: (b: Buffer) => Buffer.concat([Buffer.from([0x96]), u64(b.length), b]),
  memoize: Buffer.from([0x94]),
  binput: (i: number) => Buffer.from([0x71, i]),
  binget: (i: number) => Buffer.from([0x68, i]),
  put: (i: string) => Buffer.from(`p${i}\n`, 'latin1'),
  get: (i: string) => Buffer.from(`g${i}\n`, 'latin1'),
  stackGlobal: Buffer.from([0x93]),
  mark: Buffer.from('('),
  tuple: Buffer.from('t'),
  tuple1: Buffer.from([0x85]),
  tuple2: Buffer.from([0x86]),
  emptyTuple: Buffer.from(')'),
  emptyDict: Buffer.from('}'),
  emptyList: Buffer.from(']'),
  setitem: Buffer.from('s'),
  reduce: Buffer.from('R'),
  build: Buffer.from('b'),
  newobj: Buffer.from([0x81]),
  obj: Buffer.from('o'),
  pop: Buffer.from('0'),
  none: Buffer.from('N'),
  binint1: (n: number) => Buffer.from([0x4b, n]),
  ext1: (n: number) => Buffer.from([0x82, n]),
  stop: Buffer.from('.'),
};

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

/** Concatenates opcode pieces. */
export function pk(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

/** `callable(arg)` via GLOBAL + REDUCE, protocol 2. */
export function reducePickle(module: string, name: string, arg = 'id'): Buffer {
  return pk(P.proto(2), P.global(module, name), P.binunicode(arg), P.tuple1, P.reduce, P.stop);
}

export interface ZipMember {
  name: string;
  data: Buffer;
  /** 0 stored (default), 8 deflated. */
  method?: 0 | 8;
  /** General-purpose flag bits to set (e.g. 0x1 encrypted, 0x20, 0x40). */
  flags?: number;
  /** Name written in the local header instead of `name`. */
  localName?: string;
  /** Leave the member out of the central directory (hidden local entry). */
  hidden?: boolean;
  /** Write sizes in a data descriptor (bit 3) with zeros in the local header. */
  dataDescriptor?: boolean;
  /** Write a wrong CRC. */
  badCrc?: boolean;
}

/** Writes a zip archive with per-member tricks. */
export function makeZip(members: ZipMember[], prefix = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [prefix];
  const central: Buffer[] = [];
  let offset = prefix.length;
  for (const m of members) {
    const method = m.method ?? 0;
    const body = method === 8 ? zlib.deflateRawSync(m.data) : m.data;
    const crc = m.badCrc ? 0xdeadbeef : zlib.crc32(m.data);
    const flags = (m.flags ?? 0) | (m.dataDescriptor ? 8 : 0);
    const localName = Buffer.from(m.localName ?? m.name, 'utf8');
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(m.dataDescriptor ? 0 : crc, 14);
    lh.writeUInt32LE(m.dataDescriptor ? 0 : body.length, 18);
    lh.writeUInt32LE(m.dataDescriptor ? 0 : m.data.length, 22);
    lh.writeUInt16LE(localName.length, 26);
    parts.push(lh, localName, body);
    const localOffset = offset;
    offset += 30 + localName.length + body.length;
    if (m.dataDescriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc, 4);
      dd.writeUInt32LE(body.length, 8);
      dd.writeUInt32LE(m.data.length, 12);
      parts.push(dd);
      offset += 16;
    }
    if (m.hidden) continue;
    const name = Buffer.from(m.name, 'utf8');
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(m.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(localOffset - prefix.length, 42);
    central.push(ch, name);
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  const count = members.filter((m) => !m.hidden).length;
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset - prefix.length, 16);
  return Buffer.concat([...parts, cd, eocd]);
}

/** A benign torch-like data.pkl: OrderedDict of one tensor rebuilt via _rebuild_tensor_v2 + persistent id. */
export function torchStyleDataPkl(): Buffer {
  return pk(
    P.proto(2),
    P.global('collections', 'OrderedDict'),
    P.emptyTuple,
    P.reduce,
    P.binunicode('weight'),
    P.global('torch._utils', '_rebuild_tensor_v2'),
    P.mark,
    P.mark,
    P.binunicode('storage'),
    P.global('torch', 'FloatStorage'),
    P.binunicode('0'),
    P.binunicode('cpu'),
    P.binint1(4),
    P.tuple,
    Buffer.from('Q'), // BINPERSID
    P.binint1(0),
    P.binint1(2),
    P.binint1(2),
    P.tuple2,
    P.binint1(2),
    P.binint1(1),
    P.tuple2,
    Buffer.from([0x89]), // NEWFALSE
    P.global('collections', 'OrderedDict'),
    P.emptyTuple,
    P.reduce,
    P.tuple,
    P.reduce,
    P.setitem,
    P.stop,
  );
}
