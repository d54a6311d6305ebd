/**
 * Scans a byte stream holding one or more concatenated pickles (plain .pkl, joblib, dill, raw
 * legacy torch.save streams, npy object arrays) and feeds what it finds into the report.
 * Nested payloads (pickle.loads(b'...'), torch.storage._load_from_bytes) are scanned recursively.
 */
import { Cursor, type ByteSource } from './byteSource';
import { TORCH_LEGACY_MAGIC } from './pickleOpcodes';
import { readOnePickle, type PickleSink } from './pickleScanner';
import { bufferAccess } from './randomAccess';
import { ReportBuilder } from './report';
// Circular by design (nested payloads are blobs too); only used at call time.
import { scanBlob } from './scanBlob';
import { at, nestedContext, note, type ScanContext } from './scanContext';

/** What a pickle stream turned out to be. */
export interface PickleStreamResult {
  pickles: number;
  /** The stream started with torch's legacy magic number (pre-zip torch.save). */
  torchLegacy: boolean;
  /** Every pickle read to STOP and nothing unexplained followed. */
  complete: boolean;
}

/** Options of `scanPickleStream`. */
export interface PickleStreamOptions {
  /** Member label for locations. */
  member?: string;
  /** Stop after this many pickles (legacy torch: raw storage bytes follow). */
  maxPickles?: number;
  /** Speculative scan of bytes that merely look like a pickle: report only if it parses or is dangerous. */
  speculative?: boolean;
}

/** The sink that records into a report, with nested scanning. */
function sinkFor(ctx: ScanContext, report: ReportBuilder, member: string | undefined): PickleSink {
  return {
    global: (module, name, offset, opcode, resolved) => report.addGlobal(module, name, opcode, resolved, at(member, offset)),
    finding: (verdict, code, message, offset) => report.addFinding(verdict, code, message, at(member, offset)),
    nested: async (data, label, offset) => {
      const where = `${member ?? ''}@${offset}:${label}`;
      if (ctx.depth + 1 > ctx.limits.maxDepth) {
        report.addFinding('unknown', 'NESTING_LIMIT', `nested payload of ${label} not scanned: nesting too deep`, at(member, offset));
        return;
      }
      report.addFinding('suspicious', 'PICKLE_NESTED_PAYLOAD', `${label} loads an embedded ${data.length}-byte payload; scanned as ${where}`, at(member, offset));
      // The loader tells the format: pickle.loads & co. take a pickle, torch loaders a torch.save blob.
      await scanBlob(bufferAccess(data), nestedContext({ ...ctx, report }, where), label.startsWith('torch') ? 'nested.pt' : 'nested.pkl');
    },
  };
}

/** Scans pickles from `source` until it ends (or `maxPickles`), recording into `ctx.report`. */
export async function scanPickleStream(source: ByteSource | Cursor, ctx: ScanContext, opts: PickleStreamOptions = {}): Promise<PickleStreamResult> {
  const cur = source instanceof Cursor ? source : new Cursor(source, ctx.signal);
  const member = opts.member;
  // A speculative scan records into a scratch report and is merged only when it proves meaningful.
  const report = opts.speculative ? new ReportBuilder(ctx.report.path, ctx.report.size) : ctx.report;
  const sink = sinkFor(ctx, report, member);
  const max = Math.min(opts.maxPickles ?? Infinity, ctx.limits.maxPicklesPerStream);
  const result: PickleStreamResult = { pickles: 0, torchLegacy: false, complete: true };
  let limit = max;
  for (;;) {
    if (result.pickles >= limit) break;
    if (await cur.atEnd()) break;
    if (result.pickles >= ctx.limits.maxPicklesPerStream) {
      note(ctx, 'unknown', 'PICKLE_LIMIT', `more than ${ctx.limits.maxPicklesPerStream} pickles in one stream; the rest was not checked`, member, cur.pos);
      result.complete = false;
      break;
    }
    const start = cur.pos;
    const r = await readOnePickle(cur, { limits: ctx.limits, sink, signal: ctx.signal });
    if (!r.complete) {
      const err = r.error!;
      result.complete = false;
      if (result.pickles > 0 && err.offset === start && err.code === 'PICKLE_MALFORMED') {
        report.addFinding('suspicious', 'PICKLE_TRAILING_DATA', `non-pickle data after pickle #${result.pickles} (a plain pickle.load ignores it; custom loaders may not)`, at(member, start));
      } else if (!opts.speculative || result.pickles > 0) {
        report.addFinding('unknown', err.code, `pickle #${result.pickles + 1}: ${err.message}`, at(member, err.offset));
      }
      break;
    }
    result.pickles++;
    if (result.pickles === 1 && r.value?.k === 'int' && r.value.v === TORCH_LEGACY_MAGIC && opts.maxPickles === undefined) {
      // Legacy torch.save: magic, protocol, sys_info, the object, storage keys; then raw storage bytes.
      result.torchLegacy = true;
      limit = 5;
    }
  }
  if (result.torchLegacy && result.pickles === 5) result.complete = true;
  if (opts.speculative) {
    const scratch = report.build(0);
    if (result.pickles > 0 || scratch.verdict === 'dangerous') mergeInto(ctx.report, scratch.globals, scratch.findings);
  }
  return result;
}

function mergeInto(target: ReportBuilder, globals: ReturnType<ReportBuilder['build']>['globals'], findings: ReturnType<ReportBuilder['build']>['findings']): void {
  for (const g of globals) for (const loc of g.locations) target.addGlobal(g.module, g.name, g.opcode, g.resolved, loc);
  for (const f of findings) target.addFinding(f.verdict, f.code, f.message, f.location);
}
