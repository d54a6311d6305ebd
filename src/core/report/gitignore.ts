/**
 * A small .gitignore matcher for folders outside git (inside a repository the CLI asks git).
 * Supports comments, blank lines, `!` negation, trailing `/` (directories only), leading or
 * inner `/` (anchored to the .gitignore's folder), `*`, `?`, `[…]` classes, `**` (any depth)
 * and `\` escapes. Last matching pattern wins, as in git.
 */

interface Pattern {
  negate: boolean;
  dirOnly: boolean;
  re: RegExp;
}

function globToRegex(glob: string, anchored: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) {
      re += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        const before = i === 0 || glob[i - 1] === '/';
        const after = glob[i + 2] === '/' || i + 2 === glob.length;
        if (before && after) {
          i += 2; // consume "**/" (or final "**")
          re += i >= glob.length ? '.*' : '(?:.*/)?';
          continue;
        }
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let cls = glob.slice(i + 1, end);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  // a pattern matching a directory also matches everything below it
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}(?:/.*)?$`);
}

/** Compiles one .gitignore's text. */
export function compileGitignore(text: string): Pattern[] {
  const out: Pattern[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    line = line.replace(/(?<!\\)\s+$/, '');
    if (!line) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (!line) continue;
    out.push({ negate, dirOnly, re: globToRegex(line, anchored) });
  }
  return out;
}

/**
 * Whether `relPath` (relative to the .gitignore's folder, forward slashes) is ignored by the
 * patterns: true, false (re-included by `!`), or undefined when no pattern matches.
 * Directory-only patterns match a file only through one of its parent folders.
 */
export function matchGitignore(patterns: readonly Pattern[], relPath: string, isDir: boolean): boolean | undefined {
  let result: boolean | undefined;
  for (const p of patterns) {
    if (p.dirOnly && !isDir) {
      // "build/" ignores files below a folder named build, not a file named build
      const parts = relPath.split('/');
      let hit = false;
      for (let k = 1; k < parts.length && !hit; k++) hit = p.re.test(parts.slice(0, k).join('/'));
      if (!hit) continue;
    } else if (!p.re.test(relPath)) continue;
    result = !p.negate;
  }
  return result;
}
