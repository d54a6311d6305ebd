import { strict as assert } from 'node:assert';
import { compileGitignore, matchGitignore } from '../../../../src/core/report/gitignore';

describe('gitignore matcher', () => {
  const gi = compileGitignore(['# comment', '', '*.log', '!keep.log', 'build/', '/dist', 'docs/*.md', 'a/**/z.py', '**/gen', 'cache?', '\\#hash', 'tmp[0-9]'].join('\n'));
  const cases: Array<[string, boolean, boolean | undefined]> = [
    ['x.log', false, true],
    ['deep/dir/x.log', false, true],
    ['keep.log', false, false],
    ['build', true, true],
    ['build/out.js', false, true],
    ['src/build/out.js', false, true],
    ['build', false, undefined], // a file named build is not the folder pattern
    ['dist', true, true],
    ['dist/a.js', false, true],
    ['src/dist/a.js', false, undefined], // anchored to the root
    ['docs/readme.md', false, true],
    ['docs/sub/readme.md', false, undefined], // * does not cross '/'
    ['a/z.py', false, true],
    ['a/b/c/z.py', false, true],
    ['x/gen/y.py', false, true],
    ['cache1', false, true],
    ['cache12', false, undefined],
    ['#hash', false, true],
    ['tmp7', true, true],
    ['tmpx', true, undefined],
    ['src/app.py', false, undefined],
  ];
  for (const [p, isDir, expected] of cases) {
    it(`${p}${isDir ? '/' : ''} -> ${expected}`, () => assert.equal(matchGitignore(gi, p, isDir), expected));
  }
});
