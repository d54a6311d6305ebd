import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { blake3 } from '@noble/hashes/blake3.js';
import { serializeModel, type SerializeModelOptions } from '../../../../../src/core/signing/serialization';
import { makeTempDir } from './helpers';

/**
 * Independent reference for CPython's PurePosixPath ordering: split into components, turn each
 * into its array of code points, compare lexicographically; shards then by numeric (start, end).
 */
function referenceCompare(a: { path: string; start?: number; end?: number }, b: { path: string; start?: number; end?: number }): number {
  const pa = a.path.split('/').map((c) => Array.from(c, (ch) => ch.codePointAt(0)!));
  const pb = b.path.split('/').map((c) => Array.from(c, (ch) => ch.codePointAt(0)!));
  const lex = (x: number[], y: number[]) => {
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  };
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = lex(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return pa.length - pb.length || (a.start ?? 0) - (b.start ?? 0) || (a.end ?? 0) - (b.end ?? 0);
}

// Characters that stress ordering: separators-adjacent punctuation, colons, spaces, BMP high, astral.
const nameChar = fc.constantFrom('a', 'b', 'A', 'Z', '0', '9', ' ', '-', '.', '_', ':', '~', 'é', 'ß', 'ä', '中', '\uFF21', '😀', '\u{1D11E}');
const segment = fc
  .array(nameChar, { minLength: 1, maxLength: 6 })
  .map((cs) => cs.join(''))
  .filter((s) => s !== '.' && s !== '..' && !s.startsWith('.git'));
const filePath = fc.array(segment, { minLength: 1, maxLength: 5 });
const tree = fc.uniqueArray(fc.tuple(filePath, fc.integer({ min: 0, max: 40 })), { minLength: 0, maxLength: 14, selector: ([p]) => p.join('/') });

/** Keeps only paths where no file is also used as a directory of another path. */
function consistent(entries: [string[], number][]): [string, number][] {
  const files = new Set<string>();
  const dirs = new Set<string>();
  const out: [string, number][] = [];
  for (const [parts, size] of entries) {
    const p = parts.join('/');
    const prefixes = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
    if (files.has(p) || dirs.has(p) || prefixes.some((d) => files.has(d))) continue;
    prefixes.forEach((d) => dirs.add(d));
    files.add(p);
    out.push([p, size]);
  }
  return out;
}

const contentOf = (p: string, size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (p.length * 17 + i * 13) & 255));

describe('serialization properties (fast-check, random trees)', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('tl-prop-')));
  after(() => tmp.cleanup());
  let n = 0;

  const digestOf = (alg: 'sha256' | 'blake3', b: Buffer) => (alg === 'sha256' ? createHash('sha256').update(b).digest('hex') : Buffer.from(blake3(b)).toString('hex'));
  for (const [method, alg] of [['files', 'sha256'], ['shards', 'sha256'], ['files', 'blake3']] as const) {
    it(`${method}/${alg}: deterministic, reference-ordered, digests and root recomputable`, async () => {
      await fc.assert(
        fc.asyncProperty(tree, fc.integer({ min: 1, max: 16 }), async (entries, shardSize) => {
          const files = consistent(entries);
          const root = path.join(tmp.dir, `m${n++}`);
          fs.mkdirSync(root, { recursive: true });
          for (const [p, size] of files) {
            const abs = path.join(root, ...p.split('/'));
            fs.mkdirSync(path.dirname(abs), { recursive: true });
            fs.writeFileSync(abs, contentOf(p, size));
          }
          const opts: SerializeModelOptions = { method, shardSize, hashAlgorithm: alg, ignorePaths: [], ignoreGitPaths: true, allowSymlinks: false, inlineThresholdBytes: n % 2 ? 0 : Infinity };
          const m1 = await serializeModel(root, opts);
          const m2 = await serializeModel(root, { ...opts, inlineThresholdBytes: opts.inlineThresholdBytes === 0 ? Infinity : 0 });
          assert.deepEqual(m2, m1, 'deterministic across runs and hashing paths');

          // Expected resources built independently from what was written.
          const expected: { path: string; start?: number; end?: number; name: string; digest: string }[] = [];
          for (const [p, size] of files) {
            const c = contentOf(p, size);
            if (method === 'files') expected.push({ path: p, name: p, digest: digestOf(alg, c) });
            else for (let s = 0; s < size; s += shardSize) {
              const e = Math.min(size, s + shardSize);
              expected.push({ path: p, start: s, end: e, name: `${p}:${s}:${e}`, digest: digestOf(alg, c.subarray(s, e)) });
            }
          }
          expected.sort(referenceCompare);
          assert.deepEqual(m1.resources.map((r) => r.name), expected.map((e) => e.name));
          assert.deepEqual(m1.resources.map((r) => r.digest), expected.map((e) => e.digest));
          const algo = method === 'files' ? alg : `${alg}-sharded-${shardSize}`;
          assert.ok(m1.resources.every((r) => r.algorithm === algo));
          const rootDigest = createHash('sha256');
          for (const r of m1.resources) rootDigest.update(Buffer.from(r.digest, 'hex'));
          assert.equal(m1.rootDigest, rootDigest.digest('hex'));
          fs.rmSync(root, { recursive: true, force: true });
        }),
        { numRuns: 25 },
      );
    });
  }
});
