import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readOptionFile } from '../../../src/cli/signingOptions';
import { UsageError } from '../../../src/cli/command';

describe('CLI option files (keys, certificates, trust configs)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-optfile-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file', () => {
    fs.writeFileSync(path.join(dir, 'k.pem'), 'PEM');
    assert.equal(readOptionFile('k.pem', '--public-key', dir).toString(), 'PEM');
  });

  it('refuses a FIFO without blocking', function () {
    const fifo = path.join(dir, 'fifo');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      this.skip();
    }
    assert.throws(() => readOptionFile(fifo, '--public-key', dir), (e: unknown) => e instanceof UsageError && /not a regular file/.test(e.message));
  });

  it('refuses a device such as /dev/zero', () => {
    assert.throws(() => readOptionFile('/dev/zero', '--public-key', dir), (e: unknown) => e instanceof UsageError && /not a regular file/.test(e.message));
  });

  it('names the option and the file when it is missing', () => {
    assert.throws(() => readOptionFile('nope.pem', '--private-key', dir), /--private-key nope\.pem: cannot read \(ENOENT\)/);
  });
});
