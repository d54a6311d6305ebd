import { strict as assert } from 'node:assert';
import { main } from '../../src/cli/main';

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (t: string) => (out += t), err: (t: string) => (err += t), cwd: process.cwd() }, get out() { return out; }, get err() { return err; } };
}

describe('trustlens CLI dispatcher', () => {
  it('exits 2 with usage when no command is given', async () => {
    const c = capture();
    assert.equal(await main([], c.io), 2);
    assert.match(c.out, /Usage: trustlens/);
  });
  it('exits 2 on an unknown command and names it', async () => {
    const c = capture();
    assert.equal(await main(['frobnicate'], c.io), 2);
    assert.match(c.err, /unknown command 'frobnicate'/);
  });
});
