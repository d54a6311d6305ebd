/**
 * Minimal glob matching for the `trustlens.models.include/exclude` settings: `**` (any number of
 * path segments), `*` (within a segment), `?`, and `{a,b}`. Paths are POSIX, relative to the
 * workspace folder. A pattern without a slash matches the last segment (like .gitignore).
 */
export function globToRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (!p.includes('/')) p = `**/${p}`;
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        const slashAfter = p[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = p.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${p.slice(i + 1, end).split(',').map(escape).join('|')})`;
        i = end;
      }
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** True when `relPath` (POSIX) matches any of the patterns. */
export function matchesAny(relPath: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((r) => r.test(relPath));
}
