/**
 * A static pickle reader: it walks the opcodes of protocols 0-5 with a small symbolic stack and
 * memo (the same MARK/metastack model as CPython's `_Unpickler`), so a name assembled through the
 * memo or STACK_GLOBAL on memoised strings still resolves. It reports every imported global with
 * its byte offset and flags constructs that only an attack needs (calling a computed callable,
 * mutating an imported object, unresolvable imports). Nothing is ever unpickled or executed.
 * Memory is bounded: long strings/bytes are skipped by length, containers keep a few items.
 */
import { throwIfAborted } from '../abort';
import type { Cursor } from './byteSource';
import { HIGHEST_PROTOCOL, OP, OPCODE_NAMES } from './pickleOpcodes';
import type { SafetyLimits, SafetyVerdict } from './types';

/** Symbolic value on the stack / in the memo. */
export type Sym =
  | { k: 'str'; v: string | null; len: number }
  | { k: 'bytes'; data: Buffer | null; len: number; offset: number }
  | { k: 'int'; v: number | bigint | null }
  | { k: 'const'; v: 'none' | 'true' | 'false' | 'float' }
  | { k: 'global'; module: string; name: string; resolved: boolean; offset: number }
  | { k: 'call'; fn: Sym; args: Sym[]; offset: number; op: string; state?: Sym }
  | { k: 'tuple'; items: Sym[]; n: number }
  | { k: 'list' | 'dict' | 'set'; items: Sym[]; n: number }
  | { k: 'opaque'; what: string };

/** Callbacks through which the reader reports what it sees. */
export interface PickleSink {
  global(module: string, name: string, offset: number, opcode: string, resolved: boolean): void;
  finding(verdict: SafetyVerdict, code: string, message: string, offset: number): void;
  /** A byte string passed to a nested loader (pickle.loads, torch.storage._load_from_bytes…). */
  nested?(data: Buffer, label: string, offset: number): Promise<void>;
}

/** Outcome of reading one pickle (up to and including STOP). */
export interface OnePickleResult {
  /** True when STOP was reached. */
  complete: boolean;
  /** The value STOP returned (symbolic). */
  value?: Sym;
  /** Why reading stopped early. */
  error?: { code: string; message: string; offset: number };
}

const KEEP_ITEMS = 64;
/** Memo entries beyond this count are stored shallow (see memoPut). */
const MEMO_FULL_VALUES = 200_000;
/** Keys below this live in a plain array (fast, and holes stay cheap for such sizes). */
const DENSE_MEMO = 1 << 23;
/** Past the kept-characters budget, strings up to this length are still kept (see keepLimit). */
const NAME_SIZED = 96;
const NONE: Sym = { k: 'const', v: 'none' };
const TRUE: Sym = { k: 'const', v: 'true' };
const FALSE: Sym = { k: 'const', v: 'false' };
const FLOAT: Sym = { k: 'const', v: 'float' };
const SMALL_INTS: Sym[] = Array.from({ length: 1024 }, (_, i) => ({ k: 'int', v: i }));

function intSym(n: number): Sym {
  return n >= 0 && n < SMALL_INTS.length ? SMALL_INTS[n] : { k: 'int', v: n };
}

const SHALLOW: Record<'tuple' | 'list' | 'dict' | 'set', Sym> = {
  tuple: { k: 'tuple', items: [], n: -1 },
  list: { k: 'list', items: [], n: -1 },
  dict: { k: 'dict', items: [], n: -1 },
  set: { k: 'set', items: [], n: -1 },
};

/** A memo copy that keeps names, imports and callables but drops container contents and call arguments. */
function shallow(v: Sym): Sym {
  switch (v.k) {
    case 'tuple':
    case 'list':
    case 'dict':
    case 'set':
      return SHALLOW[v.k];
    case 'call':
      return { k: 'call', fn: v.fn.k === 'global' ? v.fn : { k: 'opaque', what: 'callable' }, args: [], offset: v.offset, op: v.op };
    case 'bytes':
      return v.data ? { k: 'bytes', data: null, len: v.len, offset: v.offset } : v;
    default:
      return v;
  }
}
const MAX_LINE = 1 << 16;
const utf8 = new TextDecoder('utf-8');

/** Loader callables whose first argument is itself a serialized object: scan it too. */
const NESTED_LOADERS = new Set([
  'pickle.loads', '_pickle.loads', 'cPickle.loads', 'dill.loads', 'dill._dill.loads', 'cloudpickle.loads',
  'torch.storage._load_from_bytes', 'torch.load', 'joblib.load', 'numpy.loads', 'marshal.loads',
]);

class StopRead extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Decodes CPython's `int()` of an ASCII line the way PUT/GET/INT/LONG arguments are parsed. */
export function parsePyInt(text: string): bigint | null {
  const t = text.trim().replace(/L$/, '');
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) return null;
  return BigInt(t.replace(/_/g, ''));
}

/** Python repr-style string literal (STRING opcode): quotes and backslash escapes. */
function decodeStringLiteral(raw: string): string | null {
  if (raw.length < 2 || (raw[0] !== "'" && raw[0] !== '"') || raw[raw.length - 1] !== raw[0]) return null;
  const body = raw.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/gs, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' } as Record<string, string>)[e] ?? `\\${e}`;
  });
}

/** raw-unicode-escape (UNICODE opcode): only \uXXXX and \UXXXXXXXX are escapes. */
function decodeRawUnicodeEscape(bytes: Buffer): string {
  const latin = bytes.toString('latin1');
  return latin.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a?: string, b?: string) => String.fromCodePoint(parseInt(a ?? b!, 16)));
}

function leSignedBig(b: Buffer): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

/** A plain string value of a symbolic value, when it is one. */
export function symString(s: Sym | undefined): string | undefined {
  return s && s.k === 'str' && s.v !== null ? s.v : undefined;
}

/** Options of `readOnePickle`. */
export interface ReadOptions {
  limits: SafetyLimits;
  sink: PickleSink;
  signal?: AbortSignal;
}

/**
 * Reads one pickle from the cursor, up to and including STOP, reporting to the sink.
 * Never throws for malformed input (that becomes `error`); throws only CancellationError.
 */
export async function readOnePickle(cur: Cursor, opts: ReadOptions): Promise<OnePickleResult> {
  const reader = new PickleMachine(cur, opts);
  try {
    const value = await reader.run();
    return { complete: true, value };
  } catch (e) {
    if (e instanceof StopRead) return { complete: false, error: { code: e.code, message: e.message, offset: e.offset } };
    throw e;
  }
}

class PickleMachine {
  private stack: Sym[] = [];
  private readonly metastack: Sym[][] = [];
  private depth = 0;
  // The memo: dense keys (the common case, MEMOIZE) in an array, others in a Map; `memoSize` is len(memo).
  private readonly memoDense: Array<Sym | undefined> = [];
  private readonly memoSparse = new Map<number, Sym>();
  private memoSize = 0;
  private keptChars = 0;
  private op = 0;
  private opOffset = 0;
  private ops = 0;
  private proto = 0;

  constructor(
    private readonly cur: Cursor,
    private readonly o: ReadOptions,
  ) {}

  private fail(code: string, message: string): never {
    throw new StopRead(code, message, this.opOffset);
  }

  private async need(n: number): Promise<void> {
    if (this.cur.available < n && !(await this.cur.ensure(n))) this.fail('PICKLE_TRUNCATED', `stream ends inside ${this.name()} (needs ${n} more bytes)`);
  }

  /** Fixed-size argument right after the opcode: the loop buffered 9 bytes, so this never awaits. */
  private needNow(n: number): void {
    if (this.cur.available < n) this.fail('PICKLE_TRUNCATED', `stream ends inside ${this.name()} (needs ${n} more bytes)`);
  }

  private name(): string {
    return OPCODE_NAMES.get(this.op) ?? `0x${this.op.toString(16)}`;
  }

  private push(s: Sym): void {
    this.stack.push(s);
    if (++this.depth > this.o.limits.maxStack) this.fail('PICKLE_LIMIT', `stack exceeds ${this.o.limits.maxStack} items`);
  }

  private pop(): Sym {
    const s = this.stack.pop();
    if (!s) this.fail('PICKLE_MALFORMED', `${this.name()} on an empty stack`);
    this.depth--;
    return s;
  }

  private top(): Sym {
    const s = this.stack[this.stack.length - 1];
    if (!s) this.fail('PICKLE_MALFORMED', `${this.name()} on an empty stack`);
    return s;
  }

  private popMark(): Sym[] {
    const items = this.stack;
    const prev = this.metastack.pop();
    if (!prev) this.fail('PICKLE_MALFORMED', `${this.name()} without a MARK`);
    this.stack = prev;
    this.depth -= 1; // the mark itself
    return items;
  }

  private async line(): Promise<Buffer> {
    const l = await this.cur.readLine(MAX_LINE);
    if (l === null) this.fail('PICKLE_TRUNCATED', `${this.name()} argument is not newline-terminated within ${MAX_LINE} bytes`);
    return l;
  }

  /** Reads a length-prefixed string/bytes payload, keeping it only when small. */
  private async payload(len: number, keepMax: number): Promise<{ data: Buffer | null; offset: number }> {
    const offset = this.cur.pos;
    if (!Number.isFinite(len) || len < 0) this.fail('PICKLE_MALFORMED', `${this.name()} with an invalid length`);
    if (len <= keepMax) {
      if (this.cur.available < len) await this.need(len);
      return { data: Buffer.from(this.cur.take(len)), offset };
    }
    if (!(await this.cur.skip(len))) this.fail('PICKLE_TRUNCATED', `stream ends inside a ${len}-byte ${this.name()} payload`);
    return { data: null, offset };
  }

  /**
   * How long a string may be to be kept. Past a per-pickle budget of kept characters only
   * name-sized strings are kept, so a hostile stream of long strings cannot grow memory
   * without bound (a dropped string used as an import name becomes an unresolved import).
   */
  private keepLimit(_len: number): number {
    return this.keptChars < this.o.limits.maxKeptChars ? this.o.limits.maxKeptString : NAME_SIZED;
  }

  private textSym(v: string): Sym {
    if (v.length > this.keepLimit(v.length)) return { k: 'str', v: null, len: v.length };
    this.keptChars += v.length;
    return { k: 'str', v, len: v.length };
  }

  /** The payload as a value when it is already buffered and small enough to keep; else undefined. */
  private strNow(len: number, latin1 = false): Sym | undefined {
    if (!Number.isFinite(len) || len > this.cur.available || len > this.keepLimit(len)) return undefined;
    this.keptChars += len;
    return { k: 'str', v: this.cur.text(len, latin1 ? 'latin1' : 'utf8'), len };
  }

  private async strPayload(len: number, latin1 = false): Promise<Sym> {
    const { data } = await this.payload(len, this.keepLimit(len));
    if (data) this.keptChars += len;
    return { k: 'str', v: data === null ? null : latin1 ? data.toString('latin1') : utf8.decode(data), len };
  }

  private bytesNow(len: number): Sym | undefined {
    if (!Number.isFinite(len) || len > this.cur.available || len > this.o.limits.maxKeptBytes) return undefined;
    const offset = this.cur.pos;
    return { k: 'bytes', data: Buffer.from(this.cur.take(len)), len, offset };
  }

  private async bytesPayload(len: number): Promise<Sym> {
    const { data, offset } = await this.payload(len, this.o.limits.maxKeptBytes);
    return { k: 'bytes', data, len, offset };
  }

  private memoGet(big: bigint | number | null): Sym {
    const key = big === null ? NaN : Number(big);
    if (!Number.isSafeInteger(key)) this.fail('PICKLE_MALFORMED', `${this.name()} with a non-integer memo key`);
    const v = key < DENSE_MEMO ? this.memoDense[key] : this.memoSparse.get(key);
    if (!v) this.fail('PICKLE_MALFORMED', `${this.name()} of memo key ${key} that was never stored (CPython raises KeyError here)`);
    return v;
  }

  private memoPut(big: bigint | number | null): void {
    const key = big === null ? NaN : Number(big);
    if (!Number.isSafeInteger(key) || key < 0) this.fail('PICKLE_MALFORMED', `${this.name()} with an invalid memo key`);
    const v = this.top();
    // Past a soft size, keep only what analysis needs (names, imports, callables) so that a
    // multi-million-entry memo does not keep every container alive.
    const stored = this.memoSize < MEMO_FULL_VALUES ? v : shallow(v);
    if (key < DENSE_MEMO) {
      if (this.memoDense[key] === undefined) this.memoSize++;
      this.memoDense[key] = stored;
    } else {
      if (!this.memoSparse.has(key)) this.memoSize++;
      this.memoSparse.set(key, stored);
    }
    if (this.memoSize > this.o.limits.maxMemo) this.fail('PICKLE_LIMIT', `memo exceeds ${this.o.limits.maxMemo} entries`);
  }

  private importGlobal(module: string, name: string, opcode: string): Sym {
    this.o.sink.global(module, name, this.opOffset, opcode, true);
    return { k: 'global', module, name, resolved: true, offset: this.opOffset };
  }

  private unresolved(why: string, opcode: string): Sym {
    const placeholder = `<unresolved: ${why}>`;
    this.o.sink.global(placeholder, placeholder, this.opOffset, opcode, false);
    return { k: 'global', module: placeholder, name: placeholder, resolved: false, offset: this.opOffset };
  }

  /** Flags calls whose callable is not an imported global, and scans nested payloads. */
  private checkCall(fn: Sym, args: Sym[], kind: string): Promise<void> | undefined {
    if (fn.k !== 'global') {
      this.o.sink.finding(
        'dangerous',
        'PICKLE_COMPUTED_CALL',
        `${kind} calls a ${fn.k === 'call' ? 'value returned by another call' : `${fn.k} value`}, not an imported global: a way to reach callables no import names (e.g. getattr results)`,
        this.opOffset,
      );
      return;
    }
    const full = `${fn.module}.${fn.name}`;
    if (full === '_codecs.encode') {
      const [text, enc] = args;
      const encName = symString(enc)?.toLowerCase();
      // An empty list means the arguments came from a memo entry stored shallow: nothing to judge.
      if (args.length > 0 && (text?.k !== 'str' || !(encName === 'latin1' || encName === 'latin-1' || (encName === undefined && args.length === 1)))) {
        this.o.sink.finding('suspicious', 'PICKLE_CODECS_UNUSUAL', '_codecs.encode called other than as NumPy/PyTorch do (str, "latin1")', this.opOffset);
      }
    }
    if (NESTED_LOADERS.has(full)) {
      let first = args[0];
      // torch.load(io.BytesIO(b'...')): look through the wrapper.
      if (first?.k === 'call' && first.fn.k === 'global' && /^_?io$/.test(first.fn.module) && first.fn.name === 'BytesIO') first = first.args[0];
      if (first?.k === 'bytes' && first.data && this.o.sink.nested) return this.o.sink.nested(first.data, full, first.offset);
      else if (first?.k === 'bytes') this.o.sink.finding('suspicious', 'PICKLE_NESTED_TOO_LARGE', `${full} payload of ${first.len} bytes is too large to inspect`, this.opOffset);
    }
  }

  private checkMutation(target: Sym, what: string): void {
    if (target.k === 'global') {
      this.o.sink.finding(
        'dangerous',
        'PICKLE_MUTATES_GLOBAL',
        `${what} applied to the imported object ${target.module}.${target.name}: modifies module/class state (modelscan#85 style)`,
        this.opOffset,
      );
    }
  }

  private keepInto(container: Sym, items: Sym[]): void {
    if (container.k === 'list' || container.k === 'dict' || container.k === 'set') {
      for (const it of items) if (container.items.length < KEEP_ITEMS) container.items.push(it);
      container.n += items.length;
    }
  }

  async run(): Promise<Sym> {
    const cur = this.cur;
    const L = this.o.limits;
    for (;;) {
      if ((++this.ops & 0xfff) === 0) throwIfAborted(this.o.signal);
      this.opOffset = cur.pos;
      if (cur.available < 9 && !(await cur.ensure(1))) this.fail('PICKLE_TRUNCATED', 'stream ends before STOP');
      if (cur.available < 9) await cur.ensure(9);
      const op = (this.op = cur.u8());
      switch (op) {
        case OP.PROTO: {
          this.needNow(1);
          const p = cur.u8();
          if (p > HIGHEST_PROTOCOL) this.fail('PICKLE_MALFORMED', `unsupported pickle protocol ${p}`);
          this.proto = p;
          break;
        }
        case OP.FRAME:
          this.needNow(8);
          cur.u64();
          break;
        case OP.STOP:
          return this.pop();
        case OP.MARK:
          this.metastack.push(this.stack);
          this.stack = [];
          if (++this.depth > L.maxStack) this.fail('PICKLE_LIMIT', `stack exceeds ${L.maxStack} items`);
          break;
        case OP.POP:
          if (this.stack.length) this.pop();
          else this.popMark();
          break;
        case OP.POP_MARK:
          this.depth -= this.popMark().length;
          break;
        case OP.DUP:
          this.push(this.top());
          break;
        // --- constants
        case OP.NONE:
          this.push(NONE);
          break;
        case OP.NEWTRUE:
          this.push(TRUE);
          break;
        case OP.NEWFALSE:
          this.push(FALSE);
          break;
        case OP.INT: {
          const t = (await this.line()).toString('latin1');
          if (t === '00') this.push(FALSE);
          else if (t === '01') this.push(TRUE);
          else {
            const v = parsePyInt(t);
            if (v === null) this.fail('PICKLE_MALFORMED', 'INT argument is not an integer');
            this.push({ k: 'int', v });
          }
          break;
        }
        case OP.LONG: {
          const v = parsePyInt((await this.line()).toString('latin1'));
          if (v === null) this.fail('PICKLE_MALFORMED', 'LONG argument is not an integer');
          this.push({ k: 'int', v });
          break;
        }
        case OP.BININT:
          this.needNow(4);
          this.push(intSym(cur.i32()));
          break;
        case OP.BININT1:
          this.needNow(1);
          this.push(intSym(cur.u8()));
          break;
        case OP.BININT2:
          this.needNow(2);
          this.push(intSym(cur.u16()));
          break;
        case OP.LONG1:
        case OP.LONG4: {
          let n: number;
          if (op === OP.LONG1) {
            this.needNow(1);
            n = cur.u8();
          } else {
            this.needNow(4);
            n = cur.i32();
            if (n < 0) this.fail('PICKLE_MALFORMED', 'LONG4 with a negative length');
          }
          const { data } = await this.payload(n, 64);
          this.push({ k: 'int', v: data ? leSignedBig(data) : null });
          break;
        }
        case OP.FLOAT:
          await this.line();
          this.push(FLOAT);
          break;
        case OP.BINFLOAT:
          this.needNow(8);
          cur.f64();
          this.push(FLOAT);
          break;
        // --- strings and bytes
        case OP.STRING: {
          const raw = (await this.line()).toString('latin1');
          const v = decodeStringLiteral(raw);
          if (v === null) this.fail('PICKLE_MALFORMED', 'STRING argument is not a quoted literal');
          this.push(this.textSym(v));
          break;
        }
        case OP.UNICODE: {
          const v = decodeRawUnicodeEscape(await this.line());
          this.push(this.textSym(v));
          break;
        }
        case OP.BINSTRING: {
          this.needNow(4);
          const n = cur.i32();
          if (n < 0) this.fail('PICKLE_MALFORMED', 'BINSTRING with a negative length');
          this.push(this.strNow(n, true) ?? (await this.strPayload(n, true)));
          break;
        }
        case OP.SHORT_BINSTRING: {
          this.needNow(1);
          const n = cur.u8();
          this.push(this.strNow(n, true) ?? (await this.strPayload(n, true)));
          break;
        }
        case OP.BINUNICODE: {
          this.needNow(4);
          const n = cur.u32();
          this.push(this.strNow(n) ?? (await this.strPayload(n)));
          break;
        }
        case OP.SHORT_BINUNICODE: {
          this.needNow(1);
          const n = cur.u8();
          this.push(this.strNow(n) ?? (await this.strPayload(n)));
          break;
        }
        case OP.BINUNICODE8: {
          this.needNow(8);
          const n = cur.u64();
          this.push(this.strNow(n) ?? (await this.strPayload(n)));
          break;
        }
        case OP.BINBYTES:
          this.needNow(4);
          {
          const n = cur.u32();
          this.push(this.bytesNow(n) ?? (await this.bytesPayload(n)));
        }
          break;
        case OP.SHORT_BINBYTES:
          this.needNow(1);
          {
          const n = cur.u8();
          this.push(this.bytesNow(n) ?? (await this.bytesPayload(n)));
        }
          break;
        case OP.BINBYTES8:
        case OP.BYTEARRAY8:
          this.needNow(8);
          {
          const n = cur.u64();
          this.push(this.bytesNow(n) ?? (await this.bytesPayload(n)));
        }
          break;
        case OP.NEXT_BUFFER:
          this.push({ k: 'opaque', what: 'out-of-band buffer' });
          break;
        case OP.READONLY_BUFFER:
          this.top();
          break;
        // --- containers
        case OP.EMPTY_TUPLE:
          this.push({ k: 'tuple', items: [], n: 0 });
          break;
        case OP.TUPLE1:
        case OP.TUPLE2:
        case OP.TUPLE3: {
          const n = op - OP.TUPLE1 + 1;
          const items: Sym[] = [];
          for (let i = 0; i < n; i++) items.unshift(this.pop());
          this.push({ k: 'tuple', items, n });
          break;
        }
        case OP.TUPLE: {
          const items = this.popMark();
          this.depth -= items.length;
          this.push({ k: 'tuple', items: items.slice(0, 256), n: items.length });
          break;
        }
        case OP.EMPTY_LIST:
          this.push({ k: 'list', items: [], n: 0 });
          break;
        case OP.LIST: {
          const items = this.popMark();
          this.depth -= items.length;
          this.push({ k: 'list', items: items.slice(0, KEEP_ITEMS), n: items.length });
          break;
        }
        case OP.EMPTY_DICT:
          this.push({ k: 'dict', items: [], n: 0 });
          break;
        case OP.DICT: {
          const items = this.popMark();
          this.depth -= items.length;
          if (items.length % 2) this.fail('PICKLE_MALFORMED', 'DICT with an odd number of items');
          this.push({ k: 'dict', items: items.slice(0, KEEP_ITEMS), n: items.length });
          break;
        }
        case OP.EMPTY_SET:
          this.push({ k: 'set', items: [], n: 0 });
          break;
        case OP.FROZENSET: {
          const items = this.popMark();
          this.depth -= items.length;
          this.push({ k: 'set', items: items.slice(0, KEEP_ITEMS), n: items.length });
          break;
        }
        case OP.APPEND: {
          const v = this.pop();
          const target = this.top();
          this.checkMutation(target, 'APPEND');
          this.keepInto(target, [v]);
          break;
        }
        case OP.APPENDS:
        case OP.ADDITEMS: {
          const items = this.popMark();
          this.depth -= items.length;
          const target = this.top();
          this.checkMutation(target, this.name());
          this.keepInto(target, items);
          break;
        }
        case OP.SETITEM: {
          const v = this.pop();
          const key = this.pop();
          const target = this.top();
          this.checkMutation(target, 'SETITEM');
          this.keepInto(target, [key, v]);
          break;
        }
        case OP.SETITEMS: {
          const items = this.popMark();
          this.depth -= items.length;
          if (items.length % 2) this.fail('PICKLE_MALFORMED', 'SETITEMS with an odd number of items');
          const target = this.top();
          this.checkMutation(target, 'SETITEMS');
          this.keepInto(target, items);
          break;
        }
        // --- memo
        case OP.PUT:
          this.memoPut(parsePyInt((await this.line()).toString('latin1')));
          break;
        case OP.BINPUT:
          this.needNow(1);
          this.memoPut(cur.u8());
          break;
        case OP.LONG_BINPUT:
          this.needNow(4);
          this.memoPut(cur.u32());
          break;
        case OP.MEMOIZE:
          this.memoPut(this.memoSize);
          break;
        case OP.GET:
          this.push(this.memoGet(parsePyInt((await this.line()).toString('latin1'))));
          break;
        case OP.BINGET:
          this.needNow(1);
          this.push(this.memoGet(cur.u8()));
          break;
        case OP.LONG_BINGET:
          this.needNow(4);
          this.push(this.memoGet(cur.u32()));
          break;
        // --- imports and calls
        case OP.GLOBAL: {
          const module = utf8.decode(await this.line());
          const name = utf8.decode(await this.line());
          this.push(this.importGlobal(module, name, 'GLOBAL'));
          break;
        }
        case OP.STACK_GLOBAL: {
          const nameSym = this.pop();
          const modSym = this.pop();
          const module = symString(modSym);
          const name = symString(nameSym);
          if (module !== undefined && name !== undefined) this.push(this.importGlobal(module, name, 'STACK_GLOBAL'));
          else {
            const why = `STACK_GLOBAL operands are ${modSym.k}/${nameSym.k}, not constant strings`;
            this.o.sink.finding('dangerous', 'PICKLE_UNRESOLVED_IMPORT', `${why}: the imported name is computed at load time`, this.opOffset);
            this.push(this.unresolved(why, 'STACK_GLOBAL'));
          }
          break;
        }
        case OP.INST: {
          const module = utf8.decode(await this.line());
          const name = utf8.decode(await this.line());
          const cls = this.importGlobal(module, name, 'INST');
          const args = this.popMark();
          this.depth -= args.length;
          {
            const pending = this.checkCall(cls, args, 'INST');
            if (pending) await pending;
          }
          this.push({ k: 'call', fn: cls, args, offset: this.opOffset, op: 'INST' });
          break;
        }
        case OP.OBJ: {
          const items = this.popMark();
          this.depth -= items.length;
          const cls = items.shift();
          if (!cls) this.fail('PICKLE_MALFORMED', 'OBJ without a class');
          {
            const pending = this.checkCall(cls, items, 'OBJ');
            if (pending) await pending;
          }
          this.push({ k: 'call', fn: cls, args: items, offset: this.opOffset, op: 'OBJ' });
          break;
        }
        case OP.REDUCE: {
          const args = this.pop();
          const fn = this.pop();
          const list = args.k === 'tuple' ? args.items : [];
          if (args.k !== 'tuple') this.o.sink.finding('suspicious', 'PICKLE_REDUCE_ARGS', `REDUCE arguments are a ${args.k}, not a tuple`, this.opOffset);
          {
            const pending = this.checkCall(fn, list, 'REDUCE');
            if (pending) await pending;
          }
          this.push({ k: 'call', fn, args: list, offset: this.opOffset, op: 'REDUCE' });
          break;
        }
        case OP.NEWOBJ: {
          const args = this.pop();
          const cls = this.pop();
          {
            const pending = this.checkCall(cls, args.k === 'tuple' ? args.items : [], 'NEWOBJ');
            if (pending) await pending;
          }
          this.push({ k: 'call', fn: cls, args: args.k === 'tuple' ? args.items : [], offset: this.opOffset, op: 'NEWOBJ' });
          break;
        }
        case OP.NEWOBJ_EX: {
          this.pop(); // kwargs
          const args = this.pop();
          const cls = this.pop();
          {
            const pending = this.checkCall(cls, args.k === 'tuple' ? args.items : [], 'NEWOBJ_EX');
            if (pending) await pending;
          }
          this.push({ k: 'call', fn: cls, args: args.k === 'tuple' ? args.items : [], offset: this.opOffset, op: 'NEWOBJ_EX' });
          break;
        }
        case OP.BUILD: {
          const state = this.pop();
          const target = this.top();
          this.checkMutation(target, 'BUILD');
          if (target.k === 'call') target.state = state;
          // joblib streams interleave raw array bytes after NumpyArrayWrapper BUILDs.
          if (target.k === 'call' && target.fn.k === 'global' && target.fn.module === 'joblib.numpy_pickle' && target.fn.name === 'NumpyArrayWrapper') {
            await this.skipJoblibArray(state);
          }
          break;
        }
        case OP.EXT1:
        case OP.EXT2:
        case OP.EXT4: {
          const n = op === OP.EXT1 ? 1 : op === OP.EXT2 ? 2 : 4;
          this.needNow(n);
          const code = n === 1 ? cur.u8() : n === 2 ? cur.u16() : cur.i32();
          const why = `extension code ${code} (copyreg registry of the loading process)`;
          this.o.sink.finding('dangerous', 'PICKLE_UNRESOLVED_IMPORT', `${this.name()} imports ${why}: cannot be resolved statically`, this.opOffset);
          this.push(this.unresolved(why, this.name()));
          break;
        }
        case OP.PERSID:
          await this.line();
          this.push({ k: 'opaque', what: 'persistent id' });
          break;
        case OP.BINPERSID:
          this.pop();
          this.push({ k: 'opaque', what: 'persistent id' });
          break;
        default:
          this.fail('PICKLE_MALFORMED', `invalid opcode 0x${op.toString(16).padStart(2, '0')}`);
      }
    }
  }

  /**
   * joblib writes each array's raw bytes right after the NumpyArrayWrapper BUILD (object arrays
   * as a nested pickle). Skip them, as joblib's NumpyUnpickler.load_build reads them.
   */
  private async skipJoblibArray(state: Sym): Promise<void> {
    const field = (key: string): Sym | undefined => {
      if (state.k !== 'dict') return undefined;
      for (let i = 0; i + 1 < state.items.length; i += 2) if (symString(state.items[i]) === key) return state.items[i + 1];
      return undefined;
    };
    const dtype = field('dtype');
    const shape = field('shape');
    const descr = dtype?.k === 'call' ? symString(dtype.args[0]) : undefined;
    if (descr === undefined || shape?.k !== 'tuple') this.fail('PICKLE_UNSUPPORTED', 'joblib array wrapper without a literal dtype/shape');
    if (/^[<>|=]?O/.test(descr)) {
      const nested = await readOnePickle(this.cur, this.o);
      if (!nested.complete) throw new StopRead(nested.error!.code, `joblib object array: ${nested.error!.message}`, nested.error!.offset);
      return;
    }
    const m = /^[<>|=]?([a-zA-Z])(\d+)/.exec(descr);
    if (!m) this.fail('PICKLE_UNSUPPORTED', `joblib array with dtype ${descr} of unknown size`);
    const item = Number(m[2]) * (m[1] === 'U' ? 4 : 1);
    let count = 1;
    for (const d of shape.items) {
      if (d.k !== 'int' || d.v === null || d.v < 0n) this.fail('PICKLE_UNSUPPORTED', 'joblib array shape is not literal');
      count *= Number(d.v);
    }
    const align = field('numpy_array_alignment_bytes');
    if (align && !(align.k === 'const' && align.v === 'none')) {
      await this.need(1);
      const pad = this.cur.u8();
      if (!(await this.cur.skip(pad))) this.fail('PICKLE_TRUNCATED', 'stream ends inside joblib padding');
    }
    if (!(await this.cur.skip(count * item))) this.fail('PICKLE_TRUNCATED', 'stream ends inside a joblib array payload');
  }
}
