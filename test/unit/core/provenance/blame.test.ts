import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GitBlameProvenance, parseLinePorcelain } from '../../../../src/core/provenance/blame';
import { parseGitAiNote } from '../../../../src/core/provenance/gitAiNote';
import { WorkspaceProvenance } from '../../../../src/core/provenance/collect';
import { linesOf } from '../../../../src/core/provenance/types';

/** A throwaway repository with deterministic authors and dates. */
function makeRepo() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tl-blame-'));
  let t = 1_700_000_000;
  const git = (args: string[], author = 'Human Dev <dev@example.com>') => {
    const [name, email] = /^(.*) <(.*)>$/.exec(author)!.slice(1);
    const date = `@${(t += 60)} +0000`;
    return execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      encoding: 'utf8',
    });
  };
  git(['init', '-q', '-b', 'main']);
  return { dir, git, write: (rel: string, text: string) => writeFileSync(path.join(dir, rel), text) };
}

describe('git blame provenance (throwaway repo)', function () {
  this.timeout(30000);
  let repo: ReturnType<typeof makeRepo>;
  before(() => {
    repo = makeRepo();
    repo.write('app.py', 'import os\n\ndef main():\n    pass\n');
    repo.git(['add', 'app.py']);
    repo.git(['commit', '-qm', 'Initial human commit']);
    // an assistant-written commit appends lines 5-7
    repo.write('app.py', 'import os\n\ndef main():\n    pass\n\ndef run(cmd):\n    os.system(cmd)\n');
    repo.git(['commit', '-qam', 'Add run helper\n\nCo-authored-by: Claude <noreply@anthropic.com>']);
    // a human edits line 1 afterwards
    repo.write('app.py', 'import os  # stdlib\n\ndef main():\n    pass\n\ndef run(cmd):\n    os.system(cmd)\n');
    repo.git(['commit', '-qam', 'Comment import']);
    // a git-ai note on a fourth commit that adds lines 8-9 (authorship by prompt p1)
    repo.write('app.py', 'import os  # stdlib\n\ndef main():\n    pass\n\ndef run(cmd):\n    os.system(cmd)\nx = 1\ny = 2\n');
    repo.git(['commit', '-qam', 'Add x, y']);
    const note = 'app.py\n  abcd1234abcd1234 9\n---\n{"schema_version":"authorship/3.0.0","prompts":{"abcd1234abcd1234":{"agent_id":{"tool":"cursor","id":"s1","model":"gpt-4o"}}}}\n';
    repo.git(['notes', '--ref=ai', 'add', '-m', note, 'HEAD']);
  });
  after(() => rmSync(repo.dir, { recursive: true, force: true }));

  it('attributes exactly the lines of the trailer commit, with tool, time and evidence', async () => {
    const ranges = await new GitBlameProvenance(repo.dir).aiRanges('app.py');
    const git = ranges.filter((r) => r.source === 'git');
    assert.equal(git.length, 1);
    assert.deepEqual(linesOf(git[0].range), { first: 4, last: 6 }); // lines 5-7, 0-based 4..6
    assert.equal(git[0].tool, 'Claude');
    assert.match(git[0].evidence, /Co-authored-by: Claude/);
    assert.equal(git[0].at!.toISOString(), new Date((1_700_000_000 + 4 * 60) * 1000).toISOString());
  });

  it('attributes git-ai note lines (source record) through blame, line-exact', async () => {
    const ranges = await new GitBlameProvenance(repo.dir).aiRanges('app.py');
    const rec = ranges.filter((r) => r.source === 'record');
    assert.equal(rec.length, 1);
    assert.deepEqual(linesOf(rec[0].range), { first: 8, last: 8 });
    assert.equal(rec[0].tool, 'Cursor');
    assert.match(rec[0].evidence, /git-ai note .*model gpt-4o/);
  });

  it('follows the editor buffer: lines inserted above shift the AI lines, uncommitted lines are not attributed', async () => {
    const buffer = '# new header\nimport os  # stdlib\n\ndef main():\n    pass\n\ndef run(cmd):\n    os.system(cmd)\nx = 1\ny = 2\n';
    const ranges = await new GitBlameProvenance(repo.dir).aiRanges('app.py', { contents: buffer });
    assert.deepEqual(ranges.filter((r) => r.source === 'git').map((r) => linesOf(r.range)), [{ first: 5, last: 7 }]);
  });

  it('returns no ranges for an untracked file instead of failing', async () => {
    repo.write('new.py', 'print(1)\n');
    assert.deepEqual(await new GitBlameProvenance(repo.dir).aiRanges('new.py'), []);
  });

  it('refuses to blame a repository whose own config defines filter commands (nothing from the workspace runs)', async () => {
    const evil = makeRepo();
    try {
      const witness = path.join(evil.dir, 'ran');
      evil.git(['config', 'filter.x.clean', `touch '${witness}'; cat`]);
      evil.write('.gitattributes', '*.py filter=x\n');
      evil.write('a.py', 'x = 1\n');
      evil.git(['add', '.gitattributes']);
      evil.git(['commit', '-qm', 'attrs\n\nCo-authored-by: Claude <noreply@anthropic.com>']);
      const g = new GitBlameProvenance(evil.dir);
      assert.match((await g.unsafeReason()) ?? '', /filter\.x\.clean/);
      assert.deepEqual(await g.aiRanges('a.py', { contents: 'x = 2\n' }), []);
      assert.equal(existsSync(witness), false);
      assert.match((await new WorkspaceProvenance(evil.dir).gitSkipReason()) ?? '', /blame skipped/);
    } finally {
      rmSync(evil.dir, { recursive: true, force: true });
    }
  });

  it('WorkspaceProvenance merges git evidence with marker comments', async () => {
    const text = 'import os  # stdlib\n\ndef main():\n    pass  # @ai-generated by Copilot\n\ndef run(cmd):\n    os.system(cmd)\nx = 1\ny = 2\n';
    const merged = await new WorkspaceProvenance(repo.dir).aiRanges(path.join(repo.dir, 'app.py'), text);
    const summary = merged.map((r) => [r.source, linesOf(r.range).first, linesOf(r.range).last]);
    assert.deepEqual(summary, [
      ['marker', 3, 3],
      ['git', 4, 6],
      ['record', 8, 8],
    ]);
  });
});

describe('porcelain and note parsers', () => {
  it('parses --line-porcelain records', () => {
    const sha = 'a'.repeat(40);
    const out = `${sha} 3 1 1\nauthor A\nauthor-mail <a@x>\nauthor-time 10\nfilename old/name.py\n\tcode\n${sha} 4 2\nauthor A\nauthor-mail <a@x>\nauthor-time 10\nfilename old/name.py\n\tmore\n`;
    assert.deepEqual(parseLinePorcelain(out).map((l) => [l.origLine, l.finalLine, l.filename, l.authorMail]), [
      [3, 1, 'old/name.py', 'a@x'],
      [4, 2, 'old/name.py', 'a@x'],
    ]);
  });
  it('parses git-ai notes with quoted paths and rejects other notes', () => {
    const n = parseGitAiNote('"dir/a b.ts"\n  p1 1-3,7\n---\n{"schema_version":"authorship/3.0.0","prompts":{"p1":{"agent_id":{"tool":"claude"}}}}');
    assert.ok(n);
    assert.deepEqual(n.files.get('dir/a b.ts'), [{ promptId: 'p1', ranges: [[1, 3], [7, 7]] }]);
    assert.equal(n.prompts.get('p1')?.tool, 'claude');
    assert.equal(parseGitAiNote('just a human note'), null);
    assert.equal(parseGitAiNote('a.ts\n  p1 3-1\n'), null);
  });
});
