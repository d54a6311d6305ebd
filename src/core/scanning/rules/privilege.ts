/** POSIX privilege and file-race misuse in C/C++: privilege drops (CWE-273/252/696), chroot jails (243), check-then-use races (367). */
import type { Node } from 'web-tree-sitter';
import type { Hit, RuleContext } from '../rule';
import { defineRule } from '../rule';
import type { CallSite } from '../syntax';

/** The function's code without comments. */
function code(ctx: RuleContext): string {
  return ctx.functionText().replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
}

/** The call is a statement of its own: its result is thrown away. */
function resultIgnored(c: CallSite): boolean {
  let p: Node | null = c.node.parent;
  while (p && p.type === 'parenthesized_expression') p = p.parent;
  return p?.type === 'expression_statement' || (p?.type === 'cast_expression' && /^\(\s*void\s*\)/.test(p.text));
}

const SET_ID = ['setuid', 'setgid', 'seteuid', 'setegid', 'setreuid', 'setregid', 'setresuid', 'setresgid', 'initgroups', 'setgroups'];

function privilegeDropHit(c: CallSite, ctx: RuleContext): Hit | undefined {
  if (c.receiver) return undefined;
  if (resultIgnored(c)) return { cwe: 'CWE-252', message: `The result of ${c.name}() is ignored: if the drop fails the program keeps running with its old privileges; check it and exit on failure` };
  // setuid() first gives up the right to change the group: the later setgid() fails (or is a no-op).
  if (/^set(?:e|re|res)?uid$/.test(c.name)) {
    const fn = code(ctx);
    const at = ctx.functionText().indexOf(c.node.text);
    const after = at >= 0 ? fn.slice(at + c.node.text.length) : '';
    if (/\bset(?:e|re|res)?gid\s*\(|\b(?:initgroups|setgroups)\s*\(/.test(after)) return { cwe: 'CWE-696', message: `${c.name}() runs before the group is dropped: once the user id is unprivileged, setgid()/setgroups() can no longer drop the group; drop supplementary groups and the gid first` };
  }
  return undefined;
}

export const privilegeDrop = defineRule({
  id: 'privilege-drop',
  name: 'Unsafe privilege drop or chroot',
  cwe: 'CWE-273',
  severity: 'medium',
  pattern: 0,
  message: 'Privileges are dropped in a way that can fail silently or leave them in place',
  why: 'OpenSSF AI code assistant guide: "Follow least privilege" and "drop privileges"; CERT POS36-C/POS37-C: drop group before user and check every result.',
  description: 'C/C++: setuid/setgid-family calls whose result is ignored (CWE-252), setuid before setgid/setgroups (CWE-696), chroot() not followed by chdir("/") (CWE-243).',
  matchers: {
    c: [
      { kind: 'call', names: SET_ID, check: (c, ctx) => privilegeDropHit(c, ctx) },
      {
        kind: 'call',
        names: ['chroot'],
        check: (c, ctx) => {
          const at = ctx.functionText().indexOf(c.node.text);
          const after = at >= 0 ? code(ctx).slice(at) : code(ctx);
          return /\bchdir\s*\(\s*"\/"\s*\)/.test(after) ? undefined : { cwe: 'CWE-243', message: 'chroot() without chdir("/") leaves the working directory outside the jail: relative paths escape it' };
        },
      },
    ],
  },
});

/** `access(path)` / `stat(path)` then `open(path)` on the same name: checked and used at different times. */
function toctouHit(c: CallSite, ctx: RuleContext): Hit | undefined {
  const path = c.args[0]?.text ?? '';
  if (c.receiver || !path || /^"/.test(path)) return undefined;
  const fn = code(ctx);
  const at = ctx.functionText().indexOf(c.node.text);
  if (at < 0) return undefined;
  const after = fn.slice(at + c.node.text.length);
  const esc = path.replace(/[.*+?^${}()|[\]\\>-]/g, '\\$&');
  const use = new RegExp(`\\b(?:open|fopen|creat|unlink|remove|rename|chmod|chown|truncate|execv?p?e?|std::ofstream|std::ifstream)\\s*\\(\\s*${esc}\\s*[,)]`).exec(after);
  if (!use) return undefined;
  return { message: `${c.name}(${path}) checks the file and ${use[0].replace(/\s*\(.*$/, '')}() opens it later by name: it can be swapped (symlink) in between (TOCTOU); open it once and check the descriptor (fstat, O_NOFOLLOW)` };
}

export const toctouRace = defineRule({
  id: 'toctou-race',
  name: 'File checked, then used by name',
  cwe: 'CWE-367',
  severity: 'medium',
  pattern: 0,
  message: 'The file is checked and then opened by name: another process can replace it in between',
  why: 'CERT FIO45-C "Avoid TOCTOU race conditions while accessing files": check properties on the open descriptor (fstat), not on the path before opening it.',
  description: 'C/C++: access()/stat()/lstat() on a path variable followed in the same function by open/fopen/creat/unlink/rename/chmod/exec of the same path.',
  matchers: { c: [{ kind: 'call', names: ['access', 'stat', 'lstat', 'eaccess', 'faccessat'], check: (c, ctx) => (c.name === 'faccessat' ? undefined : toctouHit(c, ctx)) }] },
});
