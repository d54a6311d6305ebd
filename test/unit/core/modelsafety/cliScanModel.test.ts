import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../../src/cli/main';
import { makeZip, reducePickle, tempDir, torchStyleDataPkl } from './fixtures';

function capture(cwd: string) {
  let out = '';
  let err = '';
  return {
    io: { out: (s: string) => (out += s), err: (s: string) => (err += s), cwd },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}

describe('trustlens scan-model', () => {
  let t: ReturnType<typeof tempDir>;
  before(() => {
    t = tempDir();
    fs.writeFileSync(path.join(t.dir, 'good.pt'), makeZip([{ name: 'archive/data.pkl', data: torchStyleDataPkl() }]));
    fs.writeFileSync(path.join(t.dir, 'evil.pkl'), reducePickle('os', 'system'));
    fs.mkdirSync(path.join(t.dir, 'model'));
    fs.writeFileSync(path.join(t.dir, 'model', 'custom.pkl'), reducePickle('mylib.layers', 'Block'));
    fs.writeFileSync(path.join(t.dir, 'model', 'notes.txt'), 'hello');
  });
  after(() => t.cleanup());

  it('exits 0 for a safe file and prints its verdict', async () => {
    const c = capture(t.dir);
    assert.equal(await main(['scan-model', 'good.pt'], c.io), 0);
    assert.match(c.out, /^SAFE\s+good\.pt\s+\[pytorch-zip\]/m);
  });

  it('exits 1 when a file is dangerous and names the global with its offset and reason', async () => {
    const c = capture(t.dir);
    assert.equal(await main(['scan-model', 'good.pt', 'evil.pkl'], c.io), 1);
    assert.match(c.out, /DANGEROUS\s+evil\.pkl/);
    assert.match(c.out, /os\.system @ 0x2 via GLOBAL: module os: /);
    assert.match(c.out, /2 file\(s\): 1 dangerous, 0 suspicious, 0 unknown, 1 safe/);
  });

  it('scans a directory; --fail-on suspicious turns a suspicious file into exit 1', async () => {
    const c = capture(t.dir);
    assert.equal(await main(['scan-model', 'model'], c.io), 0);
    assert.match(c.out, /SUSPICIOUS\s+model\/custom\.pkl/);
    const c2 = capture(t.dir);
    assert.equal(await main(['scan-model', '--fail-on', 'suspicious', 'model'], c2.io), 1);
  });

  it('prints machine-readable JSON with --json', async () => {
    const c = capture(t.dir);
    assert.equal(await main(['scan-model', '--json', 'evil.pkl', 'model'], c.io), 1);
    const j = JSON.parse(c.out);
    assert.equal(j.worst, 'dangerous');
    assert.deepEqual(j.counts, { dangerous: 1, suspicious: 1, unknown: 0, safe: 0 });
    assert.equal(j.files[0].globals[0].module, 'os');
    assert.deepEqual(j.files[0].globals[0].locations, [{ offset: 2 }]);
    assert.deepEqual(j.skipped, ['model/notes.txt']);
  });

  it('exits 2 for a missing path, no path, or a bad --fail-on', async () => {
    const c = capture(t.dir);
    assert.equal(await main(['scan-model', 'nope.pt'], c.io), 2);
    assert.match(c.err, /MODELSAFETY_NOT_FOUND/);
    assert.equal(await main(['scan-model'], capture(t.dir).io), 2);
    assert.equal(await main(['scan-model', '--fail-on', 'bad', 'good.pt'], capture(t.dir).io), 2);
  });
});
