import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanModelFile } from '../../../../src/core/modelsafety';
import { ByteCoverage } from '../../../../src/core/modelsafety/byteCoverage';
import { makeZip, P, pk, reducePickle, tempDir, torchStyleDataPkl } from './fixtures';

describe('modelsafety bytesRead statistic', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir()));
  after(() => tmp.cleanup());

  it('counts each byte of a small pickle once (sniffing re-reads the head; it used to report 3x the size)', async () => {
    const data = reducePickle('os', 'system');
    const file = path.join(tmp.dir, 'evil.pkl');
    fs.writeFileSync(file, data);
    const r = await scanModelFile(file);
    assert.equal(r.verdict, 'dangerous');
    // The scanner must read a plain pickle completely, and no byte twice.
    assert.equal(r.bytesRead, data.length);
    assert.equal(r.size, data.length);
  });

  it('never exceeds the file size, and still skips stored tensor payloads in an archive', async () => {
    const cases: Array<[string, Buffer]> = [
      ['two.pkl', pk(reducePickle('builtins', 'print'), pk(P.proto(2), P.emptyDict, P.stop))],
      ['truncated.pkl', reducePickle('os', 'system').subarray(0, 9)],
      ['model.pt', makeZip([{ name: 'archive/data.pkl', data: torchStyleDataPkl() }, ...Array.from({ length: 8 }, (_, i) => ({ name: `archive/data/${i}`, data: Buffer.alloc(256 * 1024, i) }))])],
    ];
    for (const [name, data] of cases) {
      const file = path.join(tmp.dir, name);
      fs.writeFileSync(file, data);
      const r = await scanModelFile(file);
      assert.ok(r.bytesRead > 0 && r.bytesRead <= r.size, `${name}: ${r.bytesRead} of ${r.size}`);
      if (name === 'model.pt') assert.ok(r.bytesRead < r.size / 4, `storages skipped: ${r.bytesRead} of ${r.size}`);
    }
  });

  it('ByteCoverage merges overlapping, touching and disjoint ranges', () => {
    const c = new ByteCoverage();
    c.add(0, 16);
    c.add(8, 16); // overlaps → [0, 24)
    c.add(24, 4); // touches → [0, 28)
    c.add(100, 10);
    c.add(100, 10); // a re-read
    c.add(50, 0); // empty
    assert.equal(c.size, 28 + 10);
    // Many small reads trigger compaction and still count correctly.
    const d = new ByteCoverage();
    for (let i = 0; i < 10_000; i++) d.add((i * 7) % 5000, 3);
    let expected = 0;
    const seen = new Uint8Array(5003);
    for (let i = 0; i < 10_000; i++) for (let k = 0; k < 3; k++) seen[((i * 7) % 5000) + k] = 1;
    for (const b of seen) expected += b;
    assert.equal(d.size, expected);
  });
});
