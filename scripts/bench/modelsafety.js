#!/usr/bin/env node
// Model-safety benchmark: `trustlens scan-model` (the shipped dist/cli.js) side by side with a
// baseline doing the minimum a pickle scanner must do: CPython's `pickletools.genops` walk over
// the same pickle bytes (what picklescan does), run in the same way (one fresh process each).
//
//   npm run bench:modelsafety            (builds, then runs this script)
//   node scripts/bench/modelsafety.js    [--entries 400000] [--runs 3] [--dense]
//
// Cases (written once into .bench/modelsafety/):
//  1. big.pt: a 2 GB torch-style zip (stored data.pkl + one 2 GB storage member). Sparse unless
//     --dense, in which case the storage bytes are really written (same scan work: storages are
//     skipped by offset either way, so only the page cache differs).
//  2. state.pkl: a large protocol-4 pickle (an OrderedDict of --entries tensor-like records,
//     ~40 MB at the default) - the case where time is dominated by the opcode walk.
//  3. state.zip: the same pickle as a deflated archive/data.pkl (inflate + walk).
//  4. real-2g.pt (only when python3 can import torch): torch.save of 2000 512x512 float tensors.
// Reports wall time (best of --runs), MB/s of file size, and the ratio TrustLens / baseline.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { spawnSync } = require('node:child_process');
const { parseArgs } = require('node:util');

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, '.bench', 'modelsafety');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const { values: args } = parseArgs({
  options: {
    entries: { type: 'string', default: '400000' },
    runs: { type: 'string', default: '3' },
    dense: { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const GB2 = 2 * 1024 * 1024 * 1024;

function hasPython() {
  return spawnSync('python3', ['-c', 'import pickletools'], { encoding: 'utf8' }).status === 0;
}

function zipHeaders(name, data, method, body, offset) {
  const n = Buffer.from(name);
  const crc = zlib.crc32(data);
  const lh = Buffer.alloc(30);
  lh.writeUInt32LE(0x04034b50, 0);
  lh.writeUInt16LE(20, 4);
  lh.writeUInt16LE(method, 8);
  lh.writeUInt32LE(crc, 14);
  lh.writeUInt32LE(body.length, 18);
  lh.writeUInt32LE(data.length, 22);
  lh.writeUInt16LE(n.length, 26);
  const ch = Buffer.alloc(46);
  ch.writeUInt32LE(0x02014b50, 0);
  ch.writeUInt16LE(20, 4);
  ch.writeUInt16LE(20, 6);
  ch.writeUInt16LE(method, 10);
  ch.writeUInt32LE(crc, 16);
  ch.writeUInt32LE(body.length, 20);
  ch.writeUInt32LE(data.length, 24);
  ch.writeUInt16LE(n.length, 28);
  ch.writeUInt32LE(offset, 42);
  return { local: Buffer.concat([lh, n]), central: Buffer.concat([ch, n]) };
}

function eocd(count, cdSize, cdOffset) {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(count, 8);
  e.writeUInt16LE(count, 10);
  e.writeUInt32LE(cdSize, 12);
  e.writeUInt32LE(cdOffset, 16);
  return e;
}

function smallDataPkl() {
  const r = spawnSync('python3', ['-c', 'import pickle,sys,collections; sys.stdout.buffer.write(pickle.dumps(collections.OrderedDict(w=[1.0,2.0]), protocol=2))']);
  return r.status === 0 ? r.stdout : Buffer.from([0x80, 0x02, 0x7d, 0x2e]);
}

function writeBigZip(file, dense) {
  const pkl = smallDataPkl();
  const a = zipHeaders('archive/data.pkl', pkl, 0, pkl, 0);
  const storageSize = GB2 - 4096;
  const off2 = a.local.length + pkl.length;
  const n2 = Buffer.from('archive/data/0');
  const lh2 = Buffer.alloc(30);
  lh2.writeUInt32LE(0x04034b50, 0);
  lh2.writeUInt32LE(storageSize, 18);
  lh2.writeUInt32LE(storageSize, 22);
  lh2.writeUInt16LE(n2.length, 26);
  const ch2 = Buffer.alloc(46);
  ch2.writeUInt32LE(0x02014b50, 0);
  ch2.writeUInt32LE(storageSize, 20);
  ch2.writeUInt32LE(storageSize, 24);
  ch2.writeUInt16LE(n2.length, 28);
  ch2.writeUInt32LE(off2, 42);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, Buffer.concat([a.local, pkl, lh2, n2]));
  if (dense) {
    const chunk = Buffer.alloc(8 << 20);
    for (let i = 0; i < chunk.length; i += 4) chunk.writeFloatLE(Math.sin(i), i);
    for (let left = storageSize; left > 0; left -= chunk.length) fs.writeSync(fd, chunk, 0, Math.min(left, chunk.length));
  }
  const cdOffset = off2 + 30 + n2.length + storageSize;
  const cd = Buffer.concat([a.central, ch2, n2]);
  const tail = Buffer.concat([cd, eocd(2, cd.length, cdOffset)]);
  fs.writeSync(fd, tail, 0, tail.length, cdOffset);
  fs.closeSync(fd);
}

function writeStatePickle(file, entries) {
  const code = `
import pickle, collections, sys
d = collections.OrderedDict()
for i in range(${entries}):
    d['layers.%d.weight' % i] = (i, 'cpu', (64, 64), (64, 1), False, 1.5)
open(sys.argv[1], 'wb').write(pickle.dumps(d, protocol=4))`;
  const r = spawnSync('python3', ['-c', code, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

function writeDeflatedZip(file, pklFile) {
  const pkl = fs.readFileSync(pklFile);
  const body = zlib.deflateRawSync(pkl);
  const h = zipHeaders('archive/data.pkl', pkl, 8, body, 0);
  const cdOffset = h.local.length + body.length;
  fs.writeFileSync(file, Buffer.concat([h.local, body, h.central, eocd(1, h.central.length, cdOffset)]));
}

function time(cmd, argv) {
  let best = Infinity;
  let out = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
    out = r.stdout;
    best = Math.min(best, ms);
  }
  return { ms: best, out };
}

const BASELINE = (kind) =>
  kind === 'zip'
    ? `import sys, zipfile, pickletools
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        if n.endswith('.pkl'):
            with z.open(n) as f:
                for _ in pickletools.genops(f): pass`
    : `import sys, pickletools
with open(sys.argv[1], 'rb') as f:
    for _ in pickletools.genops(f): pass`;

function main() {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js missing: run `npm run build` first');
  fs.mkdirSync(DIR, { recursive: true });
  const py = hasPython();
  const big = path.join(DIR, args.dense ? 'big-dense.pt' : 'big.pt');
  if (!fs.existsSync(big)) writeBigZip(big, args.dense);
  const cases = [{ name: `2 GB torch zip (${args.dense ? 'dense' : 'sparse'})`, file: big, kind: 'zip' }];
  if (py) {
    const state = path.join(DIR, `state-${args.entries}.pkl`);
    if (!fs.existsSync(state)) writeStatePickle(state, Number(args.entries));
    const zip = path.join(DIR, `state-${args.entries}.zip`);
    if (!fs.existsSync(zip)) writeDeflatedZip(zip, state);
    cases.push({ name: 'large pickle (protocol 4)', file: state, kind: 'pickle' }, { name: 'same pickle, deflated in a zip', file: zip, kind: 'zip' });
  }
  // With torch importable (e.g. PYTHONPATH pointing at a pip --target dir): a real 2 GB torch.save archive of 2000 tensors.
  if (py && spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) {
    const real = path.join(DIR, 'real-2g.pt');
    if (!fs.existsSync(real)) {
      const code = `import torch, collections, sys\ntorch.save(collections.OrderedDict((f'layers.{i}.weight', torch.randn(512, 512)) for i in range(2000)), sys.argv[1])`;
      const r = spawnSync('python3', ['-c', code, real], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    }
    cases.push({ name: 'real torch.save, 2000 tensors', file: real, kind: 'zip' });
  }
  const node = process.execPath;
  const empty = time(node, [CLI, '--version']).ms;
  console.log(`node startup (trustlens --version): ${empty.toFixed(0)} ms; python3 baseline: ${py ? 'pickletools.genops' : 'absent'}; best of ${RUNS}`);
  console.log('case'.padEnd(34), 'size MB'.padStart(9), 'TrustLens ms'.padStart(13), 'MB/s'.padStart(9), 'baseline ms'.padStart(12), 'MB/s'.padStart(9), 'ratio'.padStart(7));
  for (const c of cases) {
    const size = fs.statSync(c.file).size;
    const tl = time(node, [CLI, 'scan-model', '--json', c.file]);
    const report = JSON.parse(tl.out).files[0];
    const base = py ? time('python3', ['-c', BASELINE(c.kind), c.file]).ms : NaN;
    const mbs = (ms) => (size / 1e6 / (ms / 1000)).toFixed(0);
    console.log(
      c.name.padEnd(34),
      (size / 1e6).toFixed(1).padStart(9),
      tl.ms.toFixed(0).padStart(13),
      mbs(tl.ms).padStart(9),
      (Number.isNaN(base) ? '-' : base.toFixed(0)).padStart(12),
      (Number.isNaN(base) ? '-' : mbs(base)).padStart(9),
      (Number.isNaN(base) ? '-' : (base / tl.ms).toFixed(2) + 'x').padStart(7),
      ` verdict=${report.verdict} read=${(report.bytesRead / 1e6).toFixed(1)}MB scan=${report.durationMs}ms`,
    );
  }
  console.log('ratio = baseline time / TrustLens time (higher is better for TrustLens). TrustLens additionally classifies every global and checks the container.');
}

main();
