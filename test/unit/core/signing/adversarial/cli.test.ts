import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../../../src/cli/main';
import { KEYS, makeModel, removeTemp } from '../vectors';

function run(argv: string[], cwd: string) {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), cwd };
  return main(argv, io).then((code) => ({ code, out, err }));
}
const K = (f: string) => path.join(KEYS, f);
const posix = process.platform !== 'win32';

describe('adversarial: the sign / verify CLI', () => {
  const tmp: string[] = [];
  const track = (p: string) => (tmp.push(p), p);
  after(() => tmp.forEach(removeTemp));

  it('sign --signature naming the single-file model exits non-zero and leaves the model intact', async () => {
    const model = track(makeModel({ 'w.bin': 'precious' }));
    const r = await run(['sign', 'key', 'w.bin', '--private-key', K('signing-key.pem'), '--signature', 'w.bin'], model);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /SIGNATURE_WRITE/);
    assert.equal(fs.readFileSync(path.join(model, 'w.bin'), 'utf8'), 'precious');
  });

  (posix ? it : it.skip)('file names with terminal control sequences cannot forge a "Verification succeeded" line', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const cwd = path.dirname(model);
    assert.equal((await run(['sign', 'key', 'model', '--private-key', K('signing-key.pem')], cwd)).code, 0);
    const forged = '\x1b[2K\x1b[1A\x1b[2K\rVerification succeeded: model';
    fs.writeFileSync(path.join(model, forged), 'x');
    const r = await run(['verify', 'key', 'model', '--public-key', K('signing-key-pub.pem')], cwd);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.out + r.err, /[\x00-\x08\x0b-\x1f\x7f]/, 'raw control characters reached the terminal');
    assert.match(r.err, /extra\s+\\x1b\[2K/);
  });

  (posix ? it : it.skip)('C1 controls and bidi overrides in file names are made visible too', async () => {
    const model = track(makeModel({ 'w.bin': 'w' }));
    const cwd = path.dirname(model);
    assert.equal((await run(['sign', 'key', 'model', '--private-key', K('signing-key.pem')], cwd)).code, 0);
    fs.writeFileSync(path.join(model, 'a\u009b2Jb\u202Egnp.py'), 'x');
    const r = await run(['verify', 'key', 'model', '--public-key', K('signing-key-pub.pem')], cwd);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.err, /[\u0080-\u009f\u202a-\u202e]/);
    assert.match(r.err, /a\\x9b2Jb\\u202egnp\.py/);
  });
});
