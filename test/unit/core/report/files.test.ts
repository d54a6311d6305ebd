import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TrustLensError } from '../../../../src/core/errors';
import { collectFiles } from '../../../../src/core/report/files';

describe('collectFiles (outside git)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tl-files-'));
    const files: Record<string, string> = {
      '.gitignore': '*.tmp\n/out\n',
      'a.py': '',
      'b.tmp': '',
      'out/x.py': '',
      'src/out/y.py': '', // "/out" is anchored to the root: not ignored here
      'src/.gitignore': 'secret/\n!keep.tmp\n',
      'src/keep.tmp': '', // re-included by the nested .gitignore
      'src/secret/z.py': '',
      'src/ok.py': '',
      'node_modules/m/index.js': '',
      '.venv/lib/v.py': '',
      'myenv/pyvenv.cfg': '',
      'myenv/lib/w.py': '',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('honours nested .gitignore files and skips dependency and virtualenv folders', async () => {
    const got = await collectFiles(['.'], { cwd: dir, root: dir, accept: () => true });
    assert.deepEqual(got.map((f) => f.rel).sort(), ['.gitignore', 'a.py', 'src/.gitignore', 'src/keep.tmp', 'src/ok.py', 'src/out/y.py']);
  });

  it('always includes a file named explicitly, dedupes, and reports paths relative to the root', async () => {
    const got = await collectFiles(['b.tmp', 'src', 'src/ok.py'], { cwd: dir, root: dir, accept: (f) => f.endsWith('.py') || f.endsWith('.tmp') });
    assert.deepEqual(got.map((f) => f.rel), ['b.tmp', 'src/keep.tmp', 'src/ok.py', 'src/out/y.py']);
  });

  it('throws PATH_NOT_FOUND for a missing input', async () => {
    await assert.rejects(collectFiles(['nope'], { cwd: dir, root: dir, accept: () => true }), (e: unknown) => TrustLensError.is(e, 'PATH_NOT_FOUND'));
  });
});
