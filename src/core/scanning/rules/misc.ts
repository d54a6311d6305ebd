/** File permissions/temp files, regex injection and ReDoS, URL validation, XPath injection, sensitive logging, untrusted system prompts. */
import type { Node } from 'web-tree-sitter';
import type { Hit, Matcher, RuleContext } from '../rule';
import { defineRule } from '../rule';
import type { CallSite } from '../syntax';
import { exponentialBacktracking } from '../regexShape';
import { San, dynamicFor, flowHit, kw, lastName, taintFor } from './helpers';

// ------------------------------------------------------------------ temp files

export const insecureTempFile = defineRule({
  id: 'insecure-temp-file',
  name: 'Predictable temporary file',
  cwe: 'CWE-377',
  severity: 'medium',
  pattern: 23,
  message: 'The temporary file name is predictable: another local user can pre-create or symlink it',
  why: 'OpenSSF AI code assistant guide: "avoid temp files without proper randomness"; use mkstemp/NamedTemporaryFile/mkdtemp.',
  description: 'tempfile.mktemp, tmpnam/tempnam/mktemp in C, os.tmpnam.',
  matchers: {
    python: [{ kind: 'call', names: ['mktemp', 'tmpnam', 'tempnam'], check: (c) => (/^(?:tempfile|os)\.(?:mktemp|tmpnam|tempnam)$|^mktemp$/.test(c.callee) ? {} : undefined) }],
    c: [{ kind: 'call', names: ['tmpnam', 'tempnam', 'mktemp', '_mktemp', 'tmpnam_r'], check: () => ({}) }],
    javascript: [{ kind: 'call', names: ['tmpNameSync', 'tmpName'], check: (c) => (/^(?:tmp|tempy)\./.test(c.callee) ? { severity: 'low' } : undefined) }],
    php: [{ kind: 'call', names: ['tempnam'], check: (c) => (/^["']\/tmp/.test(c.args[0]?.text ?? '') ? { severity: 'low' } : undefined) }],
  },
});

// ------------------------------------------------------------------ permissions

/** POSIX <sys/stat.h> permission macros. */
const C_MODE_BITS: Record<string, number> = {
  S_IRUSR: 0o400, S_IWUSR: 0o200, S_IXUSR: 0o100, S_IRWXU: 0o700, S_IRGRP: 0o40, S_IWGRP: 0o20, S_IXGRP: 0o10, S_IRWXG: 0o70,
  S_IROTH: 0o4, S_IWOTH: 0o2, S_IXOTH: 0o1, S_IRWXO: 0o7, S_IREAD: 0o400, S_IWRITE: 0o200, S_IEXEC: 0o100, ACCESSPERMS: 0o777, DEFFILEMODE: 0o666, ALLPERMS: 0o7777,
};

function modeValue(n: Node | undefined, ctx: RuleContext): number | undefined {
  if (!n) return undefined;
  // C: S_IRUSR | S_IWUSR | S_IROTH ... (octal literals mixed in too).
  if (ctx.family === 'c' && /^[\s()|]*(?:S_I\w+|ACCESSPERMS|DEFFILEMODE|ALLPERMS|0[0-7]*)(?:[\s()|]+(?:S_I\w+|ACCESSPERMS|DEFFILEMODE|ALLPERMS|0[0-7]*))*[\s()]*$/.test(n.text) && /S_I|PERMS|FILEMODE/.test(n.text)) {
    let m = 0;
    for (const tok of n.text.match(/\w+/g) ?? []) {
      if (/^0[0-7]*$/.test(tok)) m |= parseInt(tok, 8);
      else if (tok in C_MODE_BITS) m |= C_MODE_BITS[tok];
      else return undefined;
    }
    return m;
  }
  let t = n.text.trim().replace(/^["']|["']$/g, '');
  if (!/^(?:0[oO]?[0-7]+|[0-7]{3,4}|\d+|0x[0-9a-f]+)$/i.test(t)) {
    const v = ctx.val(n);
    if (!v.c) return undefined;
    t = v.text;
    if (!/^(?:0[oO]?[0-7]+|\d+)$/.test(t)) return undefined;
  }
  if (/^0x/i.test(t)) return parseInt(t, 16);
  if (/^0[oO]/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[0-7]+$/.test(t) || (n.text.startsWith('"') || n.text.startsWith("'"))) return parseInt(t, 8);
  return ctx.family === 'c' || ctx.family === 'go' || ctx.family === 'php' || ctx.family === 'ruby' ? parseInt(t, 8) : parseInt(t, 10);
}

/** The function handles a private key or credentials (so the file it writes holds them). */
const SECRET_CONTENT = /PRIVATE KEY|private_?key|PrivateKey|\bsecret|credential|passw(?:or)?d|refresh_token|access_token|api_?key\b/i;

function permHit(mode: number | undefined, c: CallSite, ctx: RuleContext): Hit | undefined {
  if (mode === undefined || mode > 0o7777) return undefined;
  if (mode & 0o002) return { message: `Mode ${'0o' + mode.toString(8)} makes the file world-writable; use 0o600/0o644 (0o700/0o755 for directories)` };
  // World-readable secrets (keys, tokens) also leak.
  if (mode & 0o044 && (/secret|key|token|passw|credential|private|\.pem/i.test(c.node.text + ctx.functionName()) || SECRET_CONTENT.test(ctx.functionText()))) return { message: `Mode ${'0o' + mode.toString(8)} lets other users read what looks like a secret file; use 0o600` };
  return undefined;
}

const perm = (names: string[], test: (c: CallSite) => boolean, idx: (c: CallSite) => Node | undefined): Matcher => ({
  kind: 'call',
  names,
  check: (c, ctx) => (test(c) ? permHit(modeValue(idx(c), ctx), c, ctx) : undefined),
});

export const permissiveFilePermissions = defineRule({
  id: 'permissive-file-permissions',
  name: 'World-writable (or secret world-readable) file mode',
  cwe: 'CWE-732',
  severity: 'medium',
  pattern: 23,
  message: 'Overly permissive file mode',
  why: 'OpenSSF AI code assistant guide: "Follow least privilege … secure file modes".',
  description: 'chmod/open/mkdir/umask/WriteFile with modes writable by others (e.g. 0777, 0666), umask(0), or secret-looking files readable by others.',
  matchers: {
    python: [
      perm(['chmod', 'fchmod', 'lchmod'], (c) => /^os\./.test(c.callee) || c.callee === 'chmod', (c) => c.args[1] ?? kw(c, 'mode')),
      perm(['open', 'makedirs', 'mkdir', 'mkfifo'], (c) => /^os\./.test(c.callee), (c) => kw(c, 'mode') ?? c.args[c.callee === 'os.open' ? 2 : 1]),
      perm(['chmod'], (c) => !!c.receiver && !/^os$/.test(c.receiver.text), (c) => c.args[0] ?? kw(c, 'mode')),
      { kind: 'call', names: ['umask'], check: (c) => (/^0(?:o0+)?$/.test(c.args[0]?.text ?? '') ? { message: 'umask(0) makes every file created afterwards world-writable' } : undefined) },
    ],
    c: [
      perm(['chmod', 'fchmod', 'mkdir', 'mkfifo'], () => true, (c) => c.args[1]),
      perm(['open', 'creat'], (c) => c.args.length >= 3 || c.name === 'creat', (c) => c.args[c.name === 'creat' ? 1 : 2]),
      {
        kind: 'call',
        names: ['umask'],
        check: (c, ctx) => {
          const t = c.args[0]?.text ?? '';
          if (/^0+$/.test(t)) return { message: 'umask(0) makes every file created afterwards world-writable' };
          // A umask that leaves "others" read access while a secret file is written (umask(022) -> 0644).
          const m = /^0[0-7]{1,3}$/.test(t) ? parseInt(t, 8) : NaN;
          return !Number.isNaN(m) && (m & 0o004) === 0 && /secret|private|passw|credential|token|\.pem\b|\bkey\b/i.test(ctx.functionName() + ' ' + ctx.functionText().slice(0, 600))
            ? { message: `umask(${t}) leaves files created here readable by other users, and this code writes a secret: use umask(077) and mode 0600` }
            : undefined;
        },
      },
    ],
    javascript: [perm(['chmod', 'chmodSync', 'mkdir', 'mkdirSync', 'writeFile', 'writeFileSync', 'open', 'openSync'], (c) => /^(?:fs|fsp|fs\.promises|promises)$/.test(c.receiver?.text ?? ''), (c) => (c.name.startsWith('chmod') ? c.args[1] : (optionFromArgs(c) ?? (c.name.startsWith('open') ? c.args[2] : undefined))))],
    go: [
      perm(['Chmod', 'WriteFile', 'OpenFile', 'Mkdir', 'MkdirAll'], (c) => /^(?:os|ioutil)\./.test(c.callee), (c) => c.args[c.args.length - 1]),
      {
        // os.Create makes the file 0666 before the umask (0644 with the usual 022): a secret file it
        // writes is readable by other users.
        kind: 'call',
        names: ['Create'],
        before: /\bos\.$/,
        check: (c, ctx) => {
          // The path or the function names the secret (not any word in a long function).
          if (c.callee !== 'os.Create' || !/secret|key|token|passw|credential|private|\.pem/i.test(`${c.node.text} ${ctx.functionName()}`)) return undefined;
          const h = permHit(0o644, c, ctx);
          return h ? { ...h, message: 'os.Create makes the file 0666 minus the umask (usually 0644): other users can read this secret file; use os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)' } : undefined;
        },
      },
    ],
    java: [
      { kind: 'call', names: ['fromString'], check: (c) => (/PosixFilePermissions/.test(c.receiver?.text ?? '') && /"[r-][w-][x-][r-][w-][x-][r-]w[x-]"/.test(c.args[0]?.text ?? '') ? { message: 'World-writable POSIX permissions' } : undefined) },
      { kind: 'call', names: ['setWritable', 'setReadable', 'setExecutable'], check: (c) => (c.args.length === 2 && /^true$/.test(c.args[0].text) && /^false$/.test(c.args[1].text) && c.name === 'setWritable' ? { message: 'setWritable(true, false) makes the file writable by everyone' } : undefined) },
      {
        // Android Context.MODE_WORLD_READABLE / MODE_WORLD_WRITEABLE (openFileOutput, getSharedPreferences…): every app on the device can read/write the file.
        kind: 'node', trigger: /\bMODE_WORLD_(?:READABLE|WRITEABLE)\b/,
        types: ['identifier'],
        check: (n) => (/^MODE_WORLD_(?:READABLE|WRITEABLE)$/.test(n.text) ? { cwe: 'CWE-276', message: `${n.text} lets every other app on the device ${n.text.endsWith('READABLE') ? 'read' : 'overwrite'} this file; use MODE_PRIVATE (and a ContentProvider/FileProvider to share)` } : undefined),
      },
      {
        // A PosixFilePermission set that grants OTHERS_WRITE (EnumSet.of(…, OTHERS_WRITE), perms.add(OTHERS_WRITE)); tests like perms.contains(OTHERS_WRITE) are not grants.
        kind: 'node', trigger: /\bOTHERS_WRITE\b/,
        types: ['identifier'],
        check: (n) => {
          if (n.text !== 'OTHERS_WRITE') return undefined;
          let p = n.parent;
          for (let i = 0; p && i < 4 && p.type !== 'method_invocation'; i++) p = p.parent;
          const m = p?.type === 'method_invocation' ? (p.childForFieldName('name')?.text ?? '') : '';
          return /^(?:contains|remove|removeAll|equals|containsAll)$/.test(m) ? undefined : { cwe: 'CWE-276', message: 'PosixFilePermission.OTHERS_WRITE makes the file writable by every user on the machine; grant OWNER_* only' };
        },
      },
    ],
    ruby: [perm(['chmod', 'mkdir', 'write'], (c) => /^(?:File|FileUtils|Dir)$/.test(c.receiver?.text ?? ''), (c) => (c.receiver?.text === 'FileUtils' || c.receiver?.text === 'File' ? c.args[0] : c.args[1]))],
    php: [perm(['chmod', 'mkdir'], (c) => !c.receiver, (c) => c.args[1]), { kind: 'call', names: ['umask'], check: (c) => (/^0+$/.test(c.args[0]?.text ?? '') ? {} : undefined) }],
  },
});

function optionFromArgs(c: CallSite): Node | undefined {
  for (const a of c.args) {
    if (a.type !== 'object') continue;
    for (const p of a.namedChildren) if (/^mode$/.test(p.childForFieldName('key')?.text ?? '')) return p.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

// ------------------------------------------------------------------ regex

/** A repeated group whose iterations can split the same text several ways, e.g. (a+)+ or (\w+\s?)* (not (?:-\w+)*). */
function redosHit(pattern: string): Hit | undefined {
  return exponentialBacktracking(pattern) ? { cwe: 'CWE-1333', message: 'Nested quantifiers make this regular expression backtrack exponentially on crafted input (ReDoS)' } : undefined;
}

const REGEX_CALL = /^(?:re\.(?:compile|match|search|fullmatch|findall|finditer|sub|subn|split)|regex\.\w+|Pattern\.compile|Pattern\.matches|Regexp\.new|Regexp\.compile|RegExp|preg_match|preg_match_all|preg_replace|preg_split|Regex|Regex\.(?:IsMatch|Match|Matches|Replace)|Regex\.new)$/;

function regexCall(c: CallSite, ctx: RuleContext): Hit | undefined {
  if (!REGEX_CALL.test(c.callee)) return undefined;
  const a = c.args[0];
  if (!a) return undefined;
  const v = ctx.val(a);
  const t = taintFor(v, San.Regex);
  if (t) return { taint: t, sink: c.callee, severity: 'medium', node: a, cwe: 'CWE-1333', message: 'A regular expression is built from untrusted input (regex injection / ReDoS); escape it first' };
  if (v.c && v.str) return redosHit(v.text);
  return undefined;
}

const regexMatcher: Matcher = { kind: 'call', names: ['compile', 'match', 'search', 'fullmatch', 'findall', 'finditer', 'sub', 'subn', 'split', 'matches', 'new', 'RegExp', 'preg_match', 'preg_match_all', 'preg_replace', 'preg_split', 'Regex', 'IsMatch', 'Match', 'Matches', 'Replace'], check: regexCall };

/**
 * `std::regex re(name)` where the parser saw a declaration, so `name` has no data-flow value:
 * a literal it was assigned in the function (checked for nested quantifiers), or a parameter
 * whose callers in this file pass program input (argv/getenv) straight in.
 */
function cppRegexFromName(name: string, at: Node, ctx: RuleContext): Hit | undefined {
  const fnText = ctx.functionText();
  const lit = new RegExp(`\\b${name}\\s*(?:=|\\{|\\()\\s*(?:u8|L|u|U)?(?:R"([^(]*)\\(([\\s\\S]*?)\\)\\1"|"((?:\\\\.|[^"\\\\])*)")`).exec(fnText);
  if (lit) return redosHit(lit[2] ?? lit[3].replace(/\\\\/g, '\\'));
  const fn = ctx.functionNode();
  const fname = ctx.functionName();
  if (!fn || !/^[A-Za-z_]\w*$/.test(fname)) return undefined;
  const sig = fn.text.slice(0, (fn.childForFieldName('body')?.startIndex ?? fn.endIndex) - fn.startIndex);
  const pos = new RegExp(`[(,][^(,]*\\b${name}\\s*[,)]`).exec(sig.slice(sig.indexOf('(')));
  if (!pos) return undefined;
  const idx = (sig.slice(sig.indexOf('('), sig.indexOf('(') + pos.index + 1).match(/,/g) ?? []).length;
  const rest = ctx.text.slice(0, fn.startIndex) + ctx.text.slice(fn.endIndex);
  for (const m of rest.matchAll(new RegExp(`(?:[=(,!]|\\breturn\\b|[;{}]\\s*)\\s*${fname}\\s*\\(([^;]*)\\)`, 'g'))) {
    const arg = (m[1].split(',')[idx] ?? '').trim();
    // Program input passed directly, or through a variable the caller set from it.
    const viaVar = /^[A-Za-z_]\w*$/.test(arg) && new RegExp(`\\b${arg}\\s*(?:=|\\(|\\{)\\s*[^;]*(?:\\bargv\\s*\\[|\\bgetenv\\s*\\(|\\boptarg\\b)`).test(rest);
    if (viaVar || /\bargv\s*\[|\bgetenv\s*\(|\boptarg\b/.test(arg)) return { node: at, severity: 'medium', cwe: 'CWE-1333', message: `\`${name}\` (program input passed by ${fname}()'s caller) is compiled as a regular expression: regex injection / ReDoS; escape it or match literally` };
  }
  return undefined;
}

export const regexDos = defineRule({
  id: 'regex-dos',
  name: 'ReDoS-prone or injected regular expression',
  cwe: 'CWE-1333',
  severity: 'medium',
  pattern: 0,
  message: 'Regular expression can be made to backtrack exponentially',
  why: 'OpenSSF Concise Guide #29 "Correctly Using Regular Expressions": avoid nested quantifiers and never compile untrusted patterns.',
  description: 'Regex literals/patterns with nested quantifiers ((a+)+, (\\w+\\s?)*), and patterns built from untrusted input (new RegExp(req.query.q), re.compile(user)).',
  matchers: {
    python: [regexMatcher],
    javascript: [
      regexMatcher,
      { kind: 'node', trigger: /\)[+*{]/, types: ['regex'], check: (n) => redosHit(n.childForFieldName('pattern')?.text ?? n.text) },
      {
        // `new RegExp(pattern)` / `new RegExp('^' + name)` where `pattern` is the function's own
        // parameter and nothing escapes it: callers handing user input inject regex syntax (ReDoS).
        kind: 'call',
        names: ['RegExp'],
        check: (c, ctx) => {
          const a = c.args[0];
          const fn = ctx.functionNode();
          const params = fn?.childForFieldName('parameters')?.text ?? fn?.childForFieldName('parameter')?.text;
          if (!a || !params || /escape|quote|\$&/i.test(ctx.functionText())) return undefined;
          const parts = a.type === 'binary_expression' ? a.text.split(/\s*\+\s*/) : [a.text];
          const param = parts.find((x) => /^[A-Za-z_$][\w$]*$/.test(x) && new RegExp(`(?<![\\w$.])${x.replace(/\$/g, '\\$')}(?![\\w$])`).test(params));
          if (!param || (ctx.val(a).san & San.Regex) !== 0) return undefined;
          return { node: a, severity: 'low', cwe: 'CWE-1333', message: `The regular expression is compiled from parameter \`${param}\` without escaping: a caller passing user input injects regex syntax (wrong matches, catastrophic backtracking); escape it or validate it first` };
        },
      },
    ],
    java: [regexMatcher],
    ruby: [regexMatcher, { kind: 'node', trigger: /\)[+*{]/, types: ['regex'], check: (n) => redosHit(n.text) }],
    php: [regexMatcher],
    csharp: [regexMatcher],
    c: [
      {
        // C++ `std::regex re(pattern)` / `std::regex(pattern)` / boost::regex.
        // `std::regex re(pattern);` parses as a function declaration (the most vexing parse): its
        // one "parameter" is the argument.
        kind: 'node', trigger: /\bregex\s*[({]|(?<=\bregex\s+)\w+\s*[({]/, types: ['init_declarator', 'call_expression', 'function_declarator'],
        check: (n, ctx) => {
          const decl = n.type !== 'call_expression';
          const type = decl ? (n.parent?.childForFieldName('type')?.text ?? '') : (n.childForFieldName('function')?.text ?? '');
          if (!/^(?:std::|boost::)?w?regex$/.test(type.replace(/\s+/g, ''))) return undefined;
          if (n.type === 'function_declarator' && n.parent?.parent?.type !== 'compound_statement') return undefined;
          const args = n.type === 'init_declarator' ? (n.childForFieldName('value') ?? n.namedChildren[n.namedChildren.length - 1]) : n.childForFieldName(n.type === 'function_declarator' ? 'parameters' : 'arguments');
          const a = args?.namedChildren[0];
          if (a?.type === 'parameter_declaration') {
            const name = a.namedChildCount === 1 && a.namedChildren[0]?.type === 'type_identifier' ? a.namedChildren[0].text : '';
            return name ? cppRegexFromName(name, a, ctx) : undefined;
          }
          if (!a) return undefined;
          const v = ctx.val(a);
          const t = taintFor(v, San.Regex);
          if (t) return { taint: t, sink: 'std::regex', severity: 'medium', node: a, cwe: 'CWE-1333', message: 'A regular expression is compiled from untrusted input (regex injection / ReDoS); escape it or match literally' };
          const lit = a.type === 'raw_string_literal' ? /^[\w]*R"([^(]*)\(([\s\S]*)\)\1"$/.exec(a.text)?.[2] : undefined;
          return lit !== undefined ? redosHit(lit) : v.c && v.str ? redosHit(v.text) : undefined;
        },
      },
    ],
  },
});

// ------------------------------------------------------------------ incomplete URL/host validation

const DOMAIN_LIT = /^["'`](?:https?:\/\/)?[a-z0-9-]+(?:\.[a-z0-9-]+)+\/?["'`]$/i;
const HOSTISH = /netloc|host|domain|origin/i;

/** `host.endswith(domain)`: a suffix test against another host value without a leading dot. */
function suffixHostHit(recv: Node | null, arg: Node | undefined, ctx: RuleContext): Hit | undefined {
  if (!recv || !arg) return undefined;
  if (DOMAIN_LIT.test(arg.text)) return URLISH.test(recv.text) ? {} : undefined;
  if (/^["'`]/.test(arg.text) || /["'`]\.["'`]?\s*\+|\+\s*["'`]\./.test(arg.text) || /^f["']\./.test(arg.text)) return undefined;
  // The dot before the suffix is checked elsewhere in the function (`s[len-n-1] == '.'`, "." + d).
  if (/(?:==|===)\s*['"`]\.['"`]|['"`]\.['"`]\s*(?:\+|==)|\+\s*['"`]\.['"`]/.test(ctx.functionText())) return undefined;
  return HOSTISH.test(recv.text) && HOSTISH.test(arg.text) ? {} : undefined;
}
const URLISH = /url|uri|host|domain|netloc|origin|referr?er|redirect|link|site|target|next|return/i;

/**
 * Go `strings.Contains(host, "example.com")` or `strings.Contains(targetHost, domain)`: a substring
 * test between two host values accepts example.com.evil.io and evil-example.com.
 */
function goContainsHostHit(c: CallSite): Hit | undefined {
  const hay = c.args[0];
  const needle = c.args[1];
  if (!hay || !needle) return undefined;
  if (DOMAIN_LIT.test(needle.text)) return URLISH.test(hay.text) ? {} : undefined;
  const hayName = lastName(hay.text.replace(/\(\)$/, ''));
  return /^[\w.]+$/.test(needle.text) && HOSTISH.test(lastName(needle.text)) && /^[\w.]+(?:\(\))?$/.test(hay.text) && URLISH.test(hayName) && !/s$/i.test(hayName) ? {} : undefined;
}

/**
 * Go `strings.HasPrefix(target, "https://"+domain)`: a scheme+host prefix with no "/" after the
 * host also accepts https://example.com.evil.io and https://example.com@evil.io.
 */
function goPrefixHostHit(c: CallSite): Hit | undefined {
  const hay = c.args[0];
  const p = c.args[1]?.text.replace(/\s+/g, '') ?? '';
  if (!hay || !URLISH.test(hay.text)) return undefined;
  const open = /^"https?:\/\/"\+\w+(?:\.\w+)*(?:\(\))?$/.test(p) || /^fmt\.Sprintf\("https?:\/\/%s",\w+(?:\.\w+)*\)$/.test(p) || /^"https?:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+"$/i.test(p);
  return open ? { message: 'URL prefix check with no "/" after the host: https://example.com.evil.io and https://example.com@evil.io pass; parse the URL and compare the host exactly or by "."+domain suffix' } : undefined;
}

export const incompleteUrlValidation = defineRule({
  id: 'incomplete-url-validation',
  name: 'Incomplete URL/host check',
  cwe: 'CWE-20',
  severity: 'medium',
  pattern: 22,
  message: 'Host check by suffix/substring accepts attacker domains (evil-example.com, example.com.evil.io); parse the URL and compare the host exactly or with a leading dot',
  why: 'OpenSSF AI code assistant guide: "user inputs should be checked for expected format"; substring checks on URLs are a classic bypass (CWEval cwe_020).',
  description: 'endswith/endsWith/HasSuffix/end_with? with a domain literal lacking a leading dot, and substring tests (in/includes/indexOf/contains/strpos) of a domain literal on a URL-like value.',
  matchers: {
    python: [
      { kind: 'call', names: ['endswith'], check: (c, ctx) => suffixHostHit(c.receiver, c.args[0], ctx) },
      { kind: 'node', trigger: /["'][a-z0-9-]+(?:\.[a-z0-9-]+)+\/?["']\s+(?:not\s+)?in\b/i, types: ['comparison_operator'], check: (n) => { const l = n.namedChildren[0]; const r = n.namedChildren[1]; return l && r && /\bin\b/.test(n.text.slice(l.endIndex - n.startIndex, r.startIndex - n.startIndex)) && DOMAIN_LIT.test(l.text) && URLISH.test(r.text) ? {} : undefined; } },
    ],
    javascript: [
      { kind: 'call', names: ['endsWith', 'includes', 'indexOf'], check: (c, ctx) => (c.name === 'endsWith' ? suffixHostHit(c.receiver, c.args[0], ctx) : c.args[0] && DOMAIN_LIT.test(c.args[0].text) && URLISH.test(c.receiver?.text ?? '') ? {} : undefined) },
      // `url.hostname.includes(domain)`: a substring test of a parsed host against another host value.
      { kind: 'call', names: ['includes', 'indexOf', 'search'], check: (c) => (c.receiver && c.args[0] && /(?:^|\.)(?:hostname|host|origin)$/i.test(c.receiver.text) && /^[\w$.]+$/.test(c.args[0].text) && HOSTISH.test(lastName(c.args[0].text)) && !/s$/i.test(lastName(c.args[0].text)) ? {} : undefined) },
    ],
    go: [{ kind: 'call', names: ['HasSuffix', 'Contains', 'HasPrefix'], check: (c, ctx) => (!/^strings\./.test(c.callee) ? undefined : c.name === 'HasSuffix' ? suffixHostHit(c.args[0] ?? null, c.args[1], ctx) : c.name === 'HasPrefix' ? goPrefixHostHit(c) : goContainsHostHit(c)) }],
    java: [{ kind: 'call', names: ['endsWith', 'contains', 'indexOf'], check: (c) => (c.args[0] && DOMAIN_LIT.test(c.args[0].text) && URLISH.test(c.receiver?.text ?? '') ? {} : undefined) }],
    ruby: [
      { kind: 'call', names: ['end_with?', 'include?'], check: (c) => (c.args[0] && DOMAIN_LIT.test(c.args[0].text) && URLISH.test(c.receiver?.text ?? '') ? {} : undefined) },
      {
        // Brakeman ValidationRegex: in Ruby ^ and $ match at every line break, so "evil\nok" passes /^ok$/; use \A and \z.
        kind: 'node', trigger: /\/\^[^\n]*\$\/[a-z]*/,
        types: ['regex'],
        check: (n) => {
          // (Blank-line and comment tests like /^\s*$/ or /^#.*$/ validate nothing.)
          if (!/^\/\^[\s\S]*\$\/[a-z]*$/.test(n.text) || /^\/\^(?:\\s[*+]?|\.\*|#\.\*|\s*)\$\/[a-z]*$/.test(n.text)) return undefined;
          const p = n.parent;
          const pt = p?.type ?? '';
          const key = pt === 'pair' ? (p!.childForFieldName('key')?.text ?? '') : '';
          const op = pt === 'binary' ? (p!.childForFieldName('operator')?.text ?? '') : '';
          const call = pt === 'argument_list' ? p!.parent : null;
          const validation = /^:?with:?$/.test(key) || op === '=~' || op === '!~' || /^(?:match\?|match|validates_format_of)$/.test(call?.childForFieldName('method')?.text ?? '');
          return validation ? { node: n, message: 'In Ruby ^ and $ match at line breaks: a value like "attacker\\nvalid" passes this check; anchor with \\A and \\z' } : undefined;
        },
      },
    ],
    c: [
      { kind: 'call', names: ['strstr'], check: (c) => (c.args[1] && DOMAIN_LIT.test(c.args[1].text) && URLISH.test(c.args[0]?.text ?? '') ? {} : undefined) },
      // `strstr(target_host, domain)` / `url.find(domain) != npos`: a substring test between a URL/host
      // and a domain variable accepts example.com.evil.io and evil-example.com.
      {
        kind: 'call', names: ['strstr', 'find'],
        check: (c) => {
          const [hay, needle] = c.name === 'strstr' ? [c.args[0], c.args[1]] : [c.receiver ?? undefined, c.args[0]];
          if (!hay || !needle || c.args.length !== (c.name === 'strstr' ? 2 : 1) || !/^[A-Za-z_]\w*(?:\.c_str\(\))?$/.test(needle.text)) return undefined;
          return /domain|host/i.test(needle.text) && URLISH.test(hay.text) && !/^(?:"|')/.test(hay.text) ? { message: `A substring test of \`${needle.text}\` in \`${hay.text}\` accepts attacker hosts that merely contain it (example.com.evil.io); parse the host and compare it exactly or as a ".domain" suffix` } : undefined;
        },
      },
    ],
  },
});

// ------------------------------------------------------------------ XPath injection

const XPATHISH = /^\/\/?[\w*@]|\[@?\w+\s*=|\/text\(\)|::/;

function xpathHit(c: CallSite, ctx: RuleContext, a: Node | undefined): Hit | undefined {
  if (!a) return undefined;
  const v = ctx.val(a);
  if (!dynamicFor(v, San.Html | San.Sql) || !v.str || !XPATHISH.test(v.text)) return undefined;
  return flowHit(v, San.None, c.callee, a);
}

export const xpathInjection = defineRule({
  id: 'xpath-injection',
  name: 'XPath built from non-constant data',
  cwe: 'CWE-643',
  severity: 'medium',
  pattern: 0,
  message: 'XPath expression built by string concatenation/formatting; use XPath variables/parameters',
  why: 'OpenSSF AI code assistant guide: use parameterized interfaces for queries; quotes in the data change the XPath query.',
  description: 'An XPath-looking string built from non-constant data passed to xpath/evaluate/compile/selectNodes/SelectSingleNode/find.',
  matchers: {
    python: [{ kind: 'call', names: ['xpath', 'find', 'findall', 'findtext', 'iterfind', 'XPath'], check: (c, ctx) => xpathHit(c, ctx, c.args[0]) }],
    java: [{ kind: 'call', names: ['evaluate', 'compile', 'selectNodes', 'selectSingleNode'], check: (c, ctx) => xpathHit(c, ctx, c.args[0]) }],
    javascript: [{ kind: 'call', names: ['evaluate', 'select', 'select1', 'selectNodes'], check: (c, ctx) => xpathHit(c, ctx, c.args[0]) }],
    csharp: [{ kind: 'call', names: ['SelectNodes', 'SelectSingleNode', 'Evaluate', 'Compile', 'XPathSelectElement', 'XPathSelectElements'], check: (c, ctx) => xpathHit(c, ctx, c.args[0]) }],
    php: [{ kind: 'call', names: ['query', 'evaluate', 'xpath'], check: (c, ctx) => xpathHit(c, ctx, c.args[0]) }],
    ruby: [{ kind: 'call', names: ['xpath', 'at_xpath', 'first', 'each', 'match'], check: (c, ctx) => (c.name === 'xpath' || c.name === 'at_xpath' || /XPath/.test(c.callee) ? xpathHit(c, ctx, c.args[c.args.length > 1 && /XPath/.test(c.callee) ? 1 : 0]) : undefined) }],
    // antchfx xmlquery/htmlquery/xpath, ChrisTrenkamp goxpath, gopkg.in/xmlpath, beevik/etree paths.
    go: [
      { kind: 'call', names: ['Find', 'FindOne', 'QueryAll', 'Query', 'Compile', 'MustCompile', 'Parse', 'MustParse', 'ParseExec'], check: (c, ctx) => (/^(?:xmlquery|htmlquery|xpath|goxpath|xmlpath)\./.test(c.callee) ? xpathHit(c, ctx, c.args[c.name === 'ParseExec' ? 0 : c.args.length - 1]) : undefined) },
      { kind: 'call', names: ['FindElements', 'FindElement', 'CompilePath', 'MustCompilePath'], check: (c, ctx) => (c.receiver && (c.name.startsWith('Find') || c.receiver.text === 'etree') ? xpathHit(c, ctx, c.args[0]) : undefined) },
    ],
    c: [{ kind: 'call', names: ['xmlXPathEvalExpression', 'xmlXPathEval'], check: (c, ctx) => xpathHit(c, ctx, c.args[0]) }],
  },
});

// ------------------------------------------------------------------ integer narrowing (Go)

const NARROW = /^u?int(?:8|16|32)$/;

export const integerNarrowing = defineRule({
  id: 'integer-narrowing',
  name: 'Parsed integer narrowed without a bounds check',
  cwe: 'CWE-681',
  severity: 'medium',
  pattern: 0,
  message: 'A value parsed with strconv.Atoi/ParseInt(…, 64) is converted to a smaller integer type without a range check: out-of-range input silently wraps',
  why: 'OpenSSF ML-driven guide on LLM root causes ("missing/incorrect conditional check"); parse with the target bit size (strconv.ParseInt(s, 10, 32)) or check the range first.',
  description: 'Go: int8/16/32 or uint8/16/32 conversion of a variable that was assigned from strconv.Atoi or strconv.Parse(U)Int with bit size 64 (or 0) in the same function, with no comparison against math.MaxInt*/MinInt* or a numeric limit.',
  matchers: {
    go: [
      {
        kind: 'call',
        names: ['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32'],
        check: (c, ctx) => {
          const a = c.args[0];
          if (!NARROW.test(c.callee) || !a || a.type !== 'identifier') return undefined;
          const fn = ctx.functionText();
          const v = a.text;
          // The nearest parse of `v` before the conversion (a type switch may parse with 8, 16 and 64 bits in turn).
          const start = ctx.functionNode()?.startIndex ?? 0;
          const defs = [...fn.slice(0, Math.max(0, c.node.startIndex - start)).matchAll(new RegExp(`\\b${v}\\s*,\\s*\\w+\\s*:?=\\s*strconv\\.(Atoi\\(|Parse(?:Int|Uint)\\([^)]*\\))`, 'g'))];
          const last = defs.length ? defs[defs.length - 1][1] : '';
          const parsed = last.startsWith('Atoi') || /,\s*(?:64|0)\s*\)$/.test(last);
          if (!parsed) return undefined;
          if (new RegExp(`\\b${v}\\s*(?:<|<=|>|>=)|(?:<|<=|>|>=)\\s*${v}\\b|math\\.(?:Max|Min)(?:Int|Uint)(?:8|16|32)`).test(fn)) return undefined;
          return { node: c.node };
        },
      },
    ],
  },
});

// ------------------------------------------------------------------ prototype pollution (JS)

const PROTO_GUARD = /__proto__|['"]constructor['"]|['"]prototype['"]|hasOwnProperty|Object\.hasOwn\(|isSafeKey|isPrototypePolluted|Object\.create\(\s*null\s*\)/;

export const prototypePollution = defineRule({
  id: 'prototype-pollution',
  name: 'Recursive merge without a __proto__ guard',
  cwe: 'CWE-1321',
  severity: 'medium',
  pattern: 0,
  message: 'Keys copied from one object into another (deep merge/extend) with no guard for "__proto__"/"constructor": a crafted JSON object pollutes Object.prototype',
  why: 'OpenSSF AI code assistant guide: validate input before use; skip "__proto__", "constructor" and "prototype" keys (or use Object.create(null) / Map) when merging untrusted objects.',
  description: 'A for…in loop over an object that assigns target[key] from the source object (merge-like) or recursively, in a function with no __proto__/constructor/hasOwnProperty guard.',
  matchers: {
    javascript: [
      {
        kind: 'node',
        trigger: /\bfor\s*\(\s*(?:var|let|const)?\s*[\w$]+\s+in\b/,
        types: ['for_in_statement'],
        check: (n, ctx) => {
          const left = n.childForFieldName('left');
          const right = n.childForFieldName('right');
          const body = n.childForFieldName('body');
          if (!left || !right || !body || !/\bin\b/.test(ctx.text.slice(left.endIndex, right.startIndex))) return undefined;
          const k = left.text.replace(/^(?:var|let|const)\s+/, '');
          if (!/^[\w$]+$/.test(k)) return undefined;
          const esc = k.replace(/\$/g, '\\$');
          const b = body.text;
          if (!new RegExp(`[\\w$\\].)]\\[\\s*${esc}\\s*\\]\\s*=(?!=)`).test(b)) return undefined;
          if (PROTO_GUARD.test(ctx.functionText())) return undefined;
          const fname = ctx.functionName();
          const recursive = !!fname && new RegExp(`\\b${fname.replace(/[$.]/g, '\\$&')}\\s*\\(`).test(b);
          const mergeLike = new RegExp(`\\[\\s*${esc}\\s*\\]\\s*=[^;\\n]*\\[\\s*${esc}\\s*\\]`).test(b) || new RegExp(`=\\s*${right.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\[\\s*${esc}\\s*\\]`).test(b);
          return recursive || mergeLike ? { node: n.childForFieldName('left') ?? n } : undefined;
        },
      },
      {
        // Set-by-path helpers (`set(obj, 'a.b.c', v)`, query-string parsers): the key path is
        // split on dots and walked (`cur = cur[part]`) or recursed into, so "__proto__.x" writes
        // Object.prototype.x.
        kind: 'binding',
        trigger: /(?:split|indexOf)\s*\(\s*(?:['"`]\.['"`]|\/[^/\n]*\\\.)/,
        anchor: /\]\s*=(?!=)/,
        check: (b, ctx) => {
          if (b.pair || !b.value) return undefined;
          // A computed key that is not a literal (`cur[parts[i]]`, `res[key]`).
          if (!/^[\w$.]+\[\s*[^\s'"`\d\]].*\]$/.test(b.targetText)) return undefined;
          const fn = ctx.functionText();
          if (!/(?:split|indexOf)\s*\(\s*(?:['"`]\.['"`]|\/[^/\n]*\\\.)/.test(fn) || PROTO_GUARD.test(fn)) return undefined;
          const fname = ctx.functionName();
          const recursive = !!fname && new RegExp(`(?:^|[^\\w$.])${fname.replace(/[$]/g, '\\$')}\\s*\\(`).test(b.value.text);
          const walks = /\b([\w$]+)\s*=\s*\1\s*\[/.test(fn);
          return recursive || walks ? { node: b.node, message: 'An object property is set along a dotted key path with no "__proto__"/"constructor" check: a path like "__proto__.isAdmin" pollutes Object.prototype' } : undefined;
        },
      },
      {
        // Path-walking setters whose path is split elsewhere (`key = path.shift(); target = target[key]`
        // … `target[key] = val`): the last write lands on Object.prototype for ["__proto__", "x"].
        kind: 'binding',
        // Superset of `cur = cur[key]` that starts at `=` (a backreference from every identifier costs more).
        trigger: /=\s*[\w$]+\s*\[\s*[\w$]+\s*\]\s*(?:[;}\n\r]|$)/,
        anchor: /\]\s*=(?!=)/,
        check: (b, ctx) => {
          const m = /^([\w$]+)\[\s*([A-Za-z_$][\w$]*)\s*\]$/.exec(b.targetText);
          if (b.pair || !b.value || !m) return undefined;
          const [, obj, key] = m.map((x) => x.replace(/\$/g, '\\$'));
          const fn = ctx.functionText();
          if (PROTO_GUARD.test(fn) || !new RegExp(`\\b${obj}\\s*=\\s*${obj}\\s*\\[\\s*[\\w$]+\\s*\\]`).test(fn)) return undefined;
          // The key is taken off a path array (`path.shift()`, `keys[i]`, `parts.pop()`).
          if (!new RegExp(`\\b${key}\\s*=\\s*[\\w$.]*(?:\\.(?:shift|pop)\\(\\s*\\)|(?:path|keys|parts|segments|props|properties)\\w*\\s*\\[)`, 'i').test(fn)) return undefined;
          return { node: b.node, message: 'An object is walked and written along a key path with no "__proto__"/"constructor" check: a path like ["__proto__", "isAdmin"] pollutes Object.prototype' };
        },
      },
      {
        // Parsers that build nested objects from text (`result[section][key] = value` in an INI or
        // query-string parser): a section or key named "__proto__" writes Object.prototype.
        kind: 'binding',
        trigger: /\[\s*[A-Za-z_$][\w$]*\s*\]\s*\[\s*[A-Za-z_$][\w$]*\s*\]\s*=(?!=)/,
        check: (b, ctx) => {
          const m = /^[\w$.]+\[\s*([A-Za-z_$][\w$]*)\s*\]\[\s*([A-Za-z_$][\w$]*)\s*\]$/.exec(b.targetText);
          if (b.pair || !b.value || !m || [m[1], m[2]].some((k) => /^(?:i|j|k|n|x|y|idx|index|row|col|r|c)$/i.test(k))) return undefined;
          const fn = ctx.functionText();
          if (PROTO_GUARD.test(fn)) return undefined;
          // Evidence the keys are parsed out of text: one is sliced/matched/split from a string.
          const parsed = [m[1], m[2]].some((k) => new RegExp(`\\b${k.replace(/\$/g, '\\$')}\\s*=\\s*[^;\\n]*(?:\\[\\d\\]|\\.(?:substr|substring|slice|split|trim|shift)\\(|decodeURIComponent\\()`).test(fn));
          return parsed ? { node: b.node, message: 'Keys parsed from text are used as nested property names with no "__proto__"/"constructor" check: a section or key named "__proto__" pollutes Object.prototype' } : undefined;
        },
      },
    ],
  },
});

// ------------------------------------------------------------------ reverse tabnabbing (JSX)

export const reverseTabnabbing = defineRule({
  id: 'reverse-tabnabbing',
  name: 'Link opens a new tab without rel="noopener"',
  // CWE-200 as CodeQL's js/unsafe-external-link (tagged 200 and 1022): browsers now imply
  // noopener for _blank, so what remains is the page URL leaking in the Referer header.
  cwe: 'CWE-200',
  severity: 'low',
  pattern: 0,
  message: 'target="_blank" link without rel="noopener noreferrer": the linked site receives this page\'s URL (Referer) and, in older browsers, window.opener to redirect this tab',
  why: 'OpenSSF AI code assistant guide: "use frameworks\' built-in protections"; add rel="noopener noreferrer" to links that open untrusted pages in a new tab.',
  description: 'JSX <a> elements with target _blank and a non-literal href, without a rel containing noopener or noreferrer.',
  matchers: {
    javascript: [
      {
        kind: 'node',
        trigger: /target\s*=\s*\{?\s*["'`]_?blank/,
        types: ['jsx_opening_element', 'jsx_self_closing_element'],
        check: (n) => {
          const t = n.text;
          if (!/^<a\b/.test(t) || !/target\s*=\s*\{?\s*["'`]_?blank/.test(t)) return undefined;
          if (/\brel\s*=\s*\{?\s*["'`][^"'`]*\bnoopener|\brel\s*=\s*\{?\s*["'`][^"'`]*\bnoreferrer|\{\s*\.\.\./.test(t)) return undefined;
          // A literal same-site href is harmless; dynamic or absolute ones are not.
          const href = /\bhref\s*=\s*(\{[^}]*\}|"[^"]*"|'[^']*')/.exec(t)?.[1];
          if (!href || /^["'](?:\/(?!\/)|#|\.)/.test(href)) return undefined;
          return {};
        },
      },
    ],
  },
});

// ------------------------------------------------------------------ sensitive data in logs

const SENSITIVE_ID = /\b[A-Za-z_]*(?:password|passwd|passphrase|secret|api_?key|apikey|access_?token|auth_?token|refresh_?token|id_?token|session_?token|bearer_?token|private_?key|credit_?card|card_?number|\bssn\b|\bcvv\b)[A-Za-z_]*\b/i;
/** A variable named just `token`/`authorization`/`bearer`: a credential in code that handles auth headers or OAuth. */
const BARE_TOKEN = /\b(?:token|authorization|bearer|authHeader|auth_header)\b/i;
const AUTH_CONTEXT = /Authorization|Bearer|\bjwt\b|oauth|OAuth|access_token|accessToken|verifyToken|VerifyToken|\.Verify\s*\(/;
/** Calls that act on a secret rather than return it (`create_private_key()`, `hashPassword(pw)`). */
const ACTION_CALL = /\b(?:[\w$]+\.)*(?:create|generate|make|new|validate|verify|check|hash|mask|redact|encrypt|is|has|load|read|fetch|refresh|rotate|revoke|set|update|delete|remove|store|save|len|count|size)[\w$]*\s*\(/gi;

function logArgs(c: CallSite, ctx?: RuleContext): Hit | undefined {
  for (const a of c.args) {
    // Identifiers only: strip string literals so "Invalid password" messages do not count,
    // but keep what is interpolated into them (#{x}, ${x}).
    const interp = (a.text.match(/#\{[^}]*\}|\$\{[^}]*\}/g) ?? []).join(' ');
    // Function names (`create_private_key()`) are not data.
    const code = (a.text.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""') + ' ' + interp).replace(ACTION_CALL, '(');
    if (/^f["']/.test(a.text)) {
      const holes = a.text.match(/\{[^{}]*\}/g)?.join(' ') ?? '';
      if (SENSITIVE_ID.test(holes)) return { node: a };
      continue;
    }
    if (SENSITIVE_ID.test(code) && !/(?:len|length|size|count|is_?valid|hash|_?hashed|mask|redact)/i.test(code)) return { node: a };
    if (ctx && BARE_TOKEN.test(code) && !/(?:len|length|size|count|valid|hash|mask|redact|type|kind)/i.test(code) && AUTH_CONTEXT.test(ctx.text)) return { node: a };
  }
  return undefined;
}

const LOGGER = /^(?:logging|logger|log|_log|_logger|self\.logger|self\.log|LOG|LOGGER|console|Log|Logger|slog|zap|logrus|Rails\.logger|this\.logger|this\.log|System\.(?:out|err))$/;

const logMatcher: Matcher = {
  kind: 'call',
  names: ['debug', 'info', 'warning', 'warn', 'error', 'critical', 'exception', 'log', 'trace', 'fatal', 'Printf', 'Println', 'Print', 'Infof', 'Debugf', 'Warnf', 'Errorf', 'println', 'printf', 'print', 'LogInformation', 'LogDebug', 'LogWarning', 'LogError'],
  before: /\b(?:logging|logger|log|_log|_logger|LOG|LOGGER|console|Log|Logger|slog|zap|logrus|Rails\.logger|System\.(?:out|err))\s*\.\s*$/,
  check: (c, ctx) => (c.receiver && LOGGER.test(c.receiver.text) ? logArgs(c, ctx) : undefined),
};

export const sensitiveLogging = defineRule({
  id: 'sensitive-data-logged',
  name: 'Secret or personal data written to logs',
  cwe: 'CWE-532',
  severity: 'low',
  pattern: 0,
  message: 'A password/secret/token (or card/SSN) is written to the log',
  why: 'OpenSSF AI code assistant guide: "Avoid logging sensitive information or PII"; pyscg-0019; OWASP LLM02 for prompts and completions.',
  description: 'Logging/console calls whose arguments reference variables named like passwords, secrets, API keys, tokens, card numbers or SSNs.',
  matchers: { python: [logMatcher], javascript: [logMatcher], java: [logMatcher], go: [logMatcher], ruby: [logMatcher], php: [{ kind: 'call', names: ['error_log'], check: (c) => logArgs(c) }], csharp: [logMatcher] },
});

// ------------------------------------------------------------------ log injection (Go matchers of rules/logInjection.ts)

/** Go neutralisation of line breaks: a replace/check of "\n"/"\r", a rune test, %q, strconv.Quote, or a regexp validation. */
const GO_LOG_GUARD = /(?:Replace(?:All)?|NewReplacer|ContainsAny|ContainsRune|IndexAny|IndexByte|IndexRune|Trim\w*)\s*\([^;\n]*["'`]\\[rn]|==\s*'\\[rn]'|case\s+'\\[rn]'|strconv\.Quote|unicode\.Is(?:Control|Print)|%q|\bsanitiz|\bescape|\.MatchString\s*\(/i;

/** Go log calls with a printf-style or plain message: std log, glog/klog, and `logger.Printf`-style methods. */
const GO_LOGGER = /^(?:log|glog|klog|logger|l|lg|s\.log(?:ger)?|\w+\.(?:log|logger|Logger))$/;

/** A Go variable named for a log entry (`logEntry`, `logLine`, `accessLog`), not `catalog`/`login`. */
const GO_LOG_VAR = /^(?:log|[a-z]\w*(?:Log|_log))(?:Entry|Line|Msg|Message|Record|Text|_entry|_line|_msg)?$|^log(?:Entry|Line|Msg|Message|Record|Text)$/;

/** A Go function named for producing a log entry (`generateReceiveLog`, `logRequest`, `formatLogLine`), not `Login`. */
const GO_LOG_FUNC = /(?:^|[a-z0-9])Log(?:[A-Z]\w*)?$|^log[A-Z]/;

/** A string formatted or concatenated right here (`fmt.Sprintf(…)`, `a + b`), not a helper's result. */
function goBuiltHere(n: Node): boolean {
  const e = n.type === 'expression_list' && n.namedChildCount === 1 ? n.namedChildren[0] : n;
  return e.type === 'binary_expression' || (e.type === 'call_expression' && /^fmt\.Sprint(?:f|ln)?\s*\(/.test(e.text));
}

/**
 * The piece reads the source itself (`r.FormValue("q")`), or a variable assigned from it here,
 * directly or through string/format functions: not a value some other call derived from it (an
 * upload's server-made ETag, a saved record), which taint through unknown calls would also reach.
 */
export function goReadsSource(n: Node, label: string, ctx: RuleContext): boolean {
  const src = label.replace(/ \([^()]*\)$/, '').replace(/\.\.\.$/, '');
  if (!src) return false;
  if (n.text.replace(/\s+/g, ' ').includes(src)) return true;
  if (n.type !== 'identifier') return false;
  const defs = [...ctx.functionText().matchAll(new RegExp(`\\b${n.text}\\s*(?:,\\s*\\w+\\s*)?:?=\\s*([^\\n]*)`, 'g'))];
  const expr = defs.length ? defs[defs.length - 1][1].replace(/\s+/g, ' ') : '';
  if (!expr.includes(src)) return false;
  const rest = expr.replace(src, '').replace(/"(?:\\.|[^"\\])*"/g, '""');
  return !/(?<![\w.])(?!(?:strings|fmt|strconv)\.|string\s*\()[\w.]+\s*\(/.test(rest);
}

/** Identifiers in an expression outside string literals (`fmt.Sprintf("[%s] %s", ts, string(msg))` -> ts, msg). */
function goIdents(n: Node): string[] {
  const code = n.text.replace(/"(?:\\.|[^"\\])*"|`[^`]*`|'(?:\\.|[^'\\])*'/g, '""').replace(/[\w.]+\s*\(/g, '(');
  return [...new Set(code.match(/(?<![\w.])[A-Za-z_]\w*(?![\w(])/g) ?? [])];
}

/**
 * A log entry built from a string parameter or a proven untrusted source with no line-break
 * neutralisation in the function (request data: medium; the caller's string: low).
 */
function goLogPieces(n: Node, ctx: RuleContext, sink: string, paramsToo: boolean): Hit | undefined {
  if (GO_LOG_GUARD.test(ctx.functionText().replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ''))) return undefined;
  const v = ctx.val(n);
  if (v.c) return undefined;
  const t = taintFor(v, San.None);
  if (t && (t.kind === 'request' || t.kind === 'llm') && goReadsSource(n, t.label, ctx)) return { node: n, sink, taint: t, severity: 'medium', message: 'Request data is written into a log entry with no CR/LF neutralisation: a value containing a newline forges extra log lines; replace \\r and \\n (or log it with %q)' };
  if (!paramsToo) return undefined;
  const fn = ctx.functionNode();
  const body = fn?.childForFieldName('body');
  const sig = fn && body ? fn.text.slice(0, body.startIndex - fn.startIndex) : '';
  const name = goIdents(n).find((x) => new RegExp(`(?<![\\w.])${x}(?:\\s*,\\s*\\w+)*\\s+string\\b`).test(sig));
  return name ? { node: n, sink, severity: 'low', message: `The parameter \`${name}\` is written into a log entry with no CR/LF neutralisation: a value containing a newline forges extra log lines; replace \\r and \\n (or format it with %q)` } : undefined;
}

/** Go matchers for the `log-injection` rule (CWE-117). */
/** JS CR/LF handling in a function: a `\n`/`\r`/`\s` pattern, JSON.stringify/encodeURIComponent/util.inspect, or an escape/sanitize helper. */
const JS_LOG_GUARD = /(?:replace\w*|split|includes|indexOf|test|match|search)\s*\(\s*(?:\/[^/\n]*\\[rns]|["'`][^"'`\n]*\\[rn])|\/[^/\n]*\\[rn][^/\n]*\/[gimsuy]*\s*\.\s*test\s*\(|JSON\.stringify\s*\(|encodeURI(?:Component)?\s*\(|\binspect\s*\(|\w*(?:escape|sanitiz)\w*\s*\(/i;

/**
 * JS: a log entry built as a template string from a parameter of this function (`return
 * \`[${ts}] Received: ${msg}\`` in a `*_log`/`formatLog` helper, or assigned to `logLine`), with no
 * CR/LF neutralisation in the function: a newline in the value forges extra log lines.
 */
export const jsLogInjection: Matcher[] = [
  {
    kind: 'node',
    // A log-named function or variable is declared/called somewhere (`formatLog(`, `logLine =`).
    trigger: /(?:_log|[a-z]log|\blog)\w*\s*(?:=[^=]|\(|:)/i,
    anchor: /`(?=[^`]*\$\{)/,
    types: ['template_string'],
    check: (n, ctx) => {
      const p = n.parent;
      const pt = p?.type ?? '';
      // Cheap shape test first: only a returned or assigned template can be a log entry.
      if (pt !== 'return_statement' && pt !== 'variable_declarator' && pt !== 'assignment_expression') return undefined;
      const target = pt === 'variable_declarator' ? (p?.childForFieldName('name')?.text ?? '') : pt === 'assignment_expression' ? (p?.childForFieldName('left')?.text ?? '') : '';
      const logVar = /(?:^|_|[a-z](?=L))(?:log|Log|LOG)(?:_?(?:[eE]ntry|[lL]ine|[mM]sg|[mM]essage))?$/.test(lastName(target)) && !/[lL]ogin|[cC]atalog|[dD]ialog/.test(target);
      const fname = logVar || pt !== 'return_statement' ? '' : ctx.functionName();
      const logFn = /(?:^|_)log(?:_|$)|[a-z]Log(?:[A-Z]|$)|^log(?:[A-Z]|$)/.test(fname) && !/^(?:is)?[lL]ogged|[lL]ogin|[lL]ogout|[cC]atalog|[dD]ialog/.test(fname);
      if (!logVar && !logFn) return undefined;
      const fn = ctx.functionNode();
      const params = (fn?.childForFieldName('parameters')?.text ?? fn?.childForFieldName('parameter')?.text ?? '').replace(/[()\s]/g, '').split(',').map((x) => x.replace(/[?]?[:=].*$/, ''));
      const code = ctx.functionText().replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
      if (JS_LOG_GUARD.test(code)) return undefined;
      for (const sub of n.namedChildren) {
        const e = sub.type === 'template_substitution' ? sub.namedChildren[0] : undefined;
        if (!e || e.type !== 'identifier' || !params.includes(e.text) || ctx.val(e).c) continue;
        return { node: e, severity: 'low', message: `\`${e.text}\` is written into a log entry with no CR/LF neutralisation: a value containing a newline forges extra log lines; replace \\r and \\n (or JSON.stringify it) first` };
      }
      return undefined;
    },
  },
];

export const goLogInjection: Matcher[] = [
  {
    // `log.Printf("login failed for %s", r.FormValue("user"))`: request data only (a parameter
    // logged by a helper is the norm, not evidence).
    kind: 'call',
    names: ['Printf', 'Println', 'Print', 'Fatalf', 'Fatal', 'Panicf', 'Infof', 'Info', 'Warnf', 'Warningf', 'Warning', 'Errorf', 'Debugf'],
    before: /\b(?:log|glog|klog|logger|l|lg|Logger)\s*\.\s*$/,
    check: (c, ctx) => {
      if (!GO_LOGGER.test(c.receiver?.text ?? '') || !ctx.mayTaint()) return undefined;
      // Structured loggers (log/slog, zap, logrus, zerolog) quote or JSON-encode attribute values:
      // `logger.Info("request", "path", r.URL.Path)` cannot forge a line.
      if (!/f$/.test(c.name) && c.args.length >= 3 && /^["`]/.test(c.args[1]?.text ?? '') && ctx.fileHas(/"log\/slog"|go\.uber\.org\/zap|sirupsen\/logrus|rs\/zerolog/)) return undefined;
      for (const a of c.args) {
        if (!ctx.mayTaintExpr(a)) continue;
        const h = goLogPieces(a, ctx, c.callee, false);
        if (h) return h;
      }
      return undefined;
    },
  },
  {
    // `logEntry := fmt.Sprintf("[%s] Received: %s", ts, msg)`.
    kind: 'binding',
    trigger: /\b(?:log|[a-z]\w*(?:Log|_log))(?:Entry|Line|Msg|Message|Record|Text|_entry|_line|_msg)?\s*(?::=|=|\+=)/,
    check: (b, ctx) => {
      if (b.pair || b.loop || !b.value || !GO_LOG_VAR.test(b.targetText)) return undefined;
      return goBuiltHere(b.value) ? goLogPieces(b.value, ctx, b.targetText, true) : undefined;
    },
  },
  {
    // `func generateReceiveLog(msg string) string { return fmt.Sprintf("… %s", msg) }`.
    kind: 'node',
    trigger: /func\s+(?:\([^)]*\)\s*)?\w*(?:Log|log[A-Z])\w*\s*\(/,
    anchor: /\breturn\b/,
    types: ['return_statement'],
    check: (n, ctx) => {
      const e = n.namedChildren[0]?.type === 'expression_list' ? n.namedChildren[0].namedChildren[0] : n.namedChildren[0];
      if (!e || !GO_LOG_FUNC.test(ctx.functionName())) return undefined;
      return goBuiltHere(e) ? goLogPieces(e, ctx, `${ctx.functionName()} result`, true) : undefined;
    },
  },
];

// ------------------------------------------------------------------ validators that accept everything

/** Names of functions that decide whether input is acceptable (`isValidUserID`, `validateToken`, `checkPermission`). */
const GO_VALIDATOR_NAME = /^(?:[iI]s(?:Valid|Safe|Allowed|Authori[sz]ed|Permitted|Trusted|Whitelisted|Allowlisted)|[vV]alidate|[vV]erify|[sS]anitize|[aA]uthori[sz]e|[aA]uthenticate|[cC]heck(?:Auth|Perm|Access|Valid|Safe|Allowed|Origin|Host|Signature|Token|Password)|[cC]anAccess|[hH]asPermission)\w*$/;

/** Receivers/types that are deliberate do-nothing implementations (tests, no-op options). */
const NOOP_TYPE = /mock|fake|stub|dummy|noop|nop\b|null|allowAll|permissive|insecure|test/i;

/**
 * Go: a validation function that ignores its input (`func isValidUserID(id string) bool { return true }`,
 * `func validateToken(t string) error { return nil }`): a placeholder assistants leave behind, and
 * every caller's check passes whatever the attacker sends.
 */
const goStubValidator: Matcher = {
  kind: 'node',
  trigger: /\bfunc\s+(?:\([^)]*\)\s*)?(?:[iI]s|[vV]alidate|[vV]erify|[sS]anitize|[aA]uthori|[aA]uthenticate|[cC]heck|[cC]anAccess|[hH]asPermission)\w*\s*\([^)]*\)\s*(?:bool|error)\s*\{\s*(?:\/\/[^\n]*\s*)*return\s+(?:true|nil)\s*\}/,
  types: ['function_declaration', 'method_declaration'],
  check: (n, ctx) => {
    const name = n.childForFieldName('name')?.text ?? '';
    const params = n.childForFieldName('parameters');
    const result = n.childForFieldName('result')?.text ?? '';
    const body = n.childForFieldName('body');
    if (!GO_VALIDATOR_NAME.test(name) || !params || params.namedChildCount === 0 || !body) return undefined;
    if (NOOP_TYPE.test(n.childForFieldName('receiver')?.text ?? '') || ctx.fileHas(/"testing"|\*testing\.T\b/)) return undefined;
    const stmts = body.namedChildren.filter((c) => c.type !== 'comment');
    const only = stmts.length === 1 && stmts[0].type === 'statement_list' ? stmts[0].namedChildren.filter((c) => c.type !== 'comment') : stmts;
    const ret = only.length === 1 && only[0].type === 'return_statement' ? only[0].text.replace(/^return\s+/, '').trim() : '';
    if (!((result === 'bool' && ret === 'true') || (result === 'error' && ret === 'nil'))) return undefined;
    return { node: n.childForFieldName('name') ?? n, message: `${name} accepts every input (its body is only \`return ${ret}\`): callers that rely on it validate nothing; implement the check (allow-list or strict pattern) or remove the call` };
  },
};

/**
 * C/C++: `int is_path_safe(const char *path) { return true; }` - a validator named for a check
 * (is…safe/valid/allowed, validate…, verify…, check…, authorize…) whose whole body accepts.
 */
const cStubValidator: Matcher = {
  kind: 'node', trigger: /\breturn\s+(?:true|1|TRUE)\s*;\s*\}/, anchor: /\b(?:is_?|validate|verify|check|authori[sz]e|can_?)\w*\s*\(/i, types: ['function_definition'],
  check: (n) => {
    let d = n.childForFieldName('declarator');
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator') ?? null;
    const name = d?.childForFieldName('declarator')?.text.replace(/^.*::/, '') ?? '';
    const params = d?.childForFieldName('parameters')?.namedChildren ?? [];
    if (!params.length || !/^(?:is_?(?:\w*_)?(?:safe|valid|allowed|authori[sz]ed|permitted|trusted|secure)\w*|validate\w*|verify\w*|check_?\w*(?:path|input|perm|auth|access|token|signature|password|url|host)\w*|authori[sz]e\w*|can_?access\w*)$/i.test(name)) return undefined;
    const body = (n.childForFieldName('body')?.text ?? '').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    if (!/^\{\s*(?:\(void\)\s*\w+\s*;\s*)*return\s+(?:true|1|TRUE)\s*;\s*\}$/.test(body)) return undefined;
    return { node: d ?? n, message: `${name}() accepts every input (its body only returns true): callers trust a check that never happens; implement it or remove the call` };
  },
};

export const stubValidator = defineRule({
  id: 'stub-validator',
  name: 'Validation function that accepts everything',
  cwe: 'CWE-20',
  severity: 'medium',
  pattern: 0,
  message: 'A validation function ignores its input and always succeeds',
  why: 'OpenSSF AI code assistant guide: "user inputs should be checked for expected format"; assistants often leave placeholder validators (`return true`) that callers then trust.',
  description: 'Go: functions named like validators (isValid…, validate…, verify…, authorize…, check…Permission) whose body is only `return true` (bool) or `return nil` (error); no-op/mock receivers and test files are skipped.',
  matchers: { go: [goStubValidator], c: [cStubValidator] },
});

// ------------------------------------------------------------------ untrusted text in a system prompt

function systemPromptHit(ctx: RuleContext, value: Node | undefined): Hit | undefined {
  if (!value) return undefined;
  const v = ctx.val(value);
  const t = taintFor(v, San.None);
  return t && t.kind === 'request' ? { taint: t, sink: 'system prompt', node: value } : undefined;
}

export const untrustedSystemPrompt = defineRule({
  id: 'untrusted-input-in-system-prompt',
  name: 'Untrusted input in an LLM system prompt',
  cwe: 'CWE-74',
  severity: 'low',
  pattern: 25,
  message: 'Request data is spliced into the system prompt: users can override the model\'s instructions (prompt injection)',
  why: 'OWASP LLM01 Prompt Injection / LLM07 System Prompt Leakage: keep untrusted text in the user role, delimited, never in system instructions.',
  description: 'A message dict/object with role "system" whose content is built from request data, or system= built from request data.',
  matchers: {
    python: [
      {
        kind: 'binding', trigger: /content/,
        check: (b, ctx) => {
          if (!b.pair || !/^["']content["']$|^content$/.test(b.targetText)) return undefined;
          const obj = b.node.parent;
          if (!obj || !/["']role["']\s*:\s*["']system["']|role\s*=\s*["']system["']/.test(obj.text)) return undefined;
          return systemPromptHit(ctx, b.value ?? undefined);
        },
      },
      { kind: 'call', names: ['create', 'SystemMessage', 'stream'], check: (c, ctx) => systemPromptHit(ctx, c.name === 'SystemMessage' ? (c.args[0] ?? kw(c, 'content')) : kw(c, 'system')) },
    ],
    javascript: [
      {
        kind: 'binding', trigger: /content/,
        check: (b, ctx) => {
          if (!b.pair || !/^["']?content["']?$/.test(b.targetText)) return undefined;
          const obj = b.node.parent;
          if (!obj || !/role\s*:\s*["'`]system["'`]/.test(obj.text)) return undefined;
          return systemPromptHit(ctx, b.value ?? undefined);
        },
      },
    ],
  },
});

// ------------------------------------------------------------------ mass assignment

/** The whole parsed request object (not one field of it), as text. */
const JS_WHOLE_REQUEST = /^(?:\.\.\.)?(?:req|request|ctx\.request)\.(?:body|query|params)$/;
const JS_ORM_FILE = /mongoose|sequelize|Schema\s*\(|\.model\s*\(|typeorm|@Entity|prisma|objection|bookshelf|waterline|\.findBy|\.save\s*\(/;

/** `req.body` itself, `{ ...req.body }`, or a local bound to exactly `req.body`. */
function wholeRequest(n: Node | undefined, ctx: RuleContext): boolean {
  if (!n) return false;
  const t = n.text.replace(/\s+/g, '');
  if (JS_WHOLE_REQUEST.test(t)) return true;
  if (n.type === 'object') return n.namedChildren.some((p) => p.type === 'spread_element' && JS_WHOLE_REQUEST.test(p.text.replace(/\s+/g, '')));
  if (n.type !== 'identifier') return false;
  const esc = n.text.replace(/\$/g, '\\$');
  return new RegExp(`\\b(?:const|let|var)\\s+${esc}\\s*=\\s*(?:req|request|ctx\\.request)\\.(?:body|query|params)\\s*[;\\n]`).test(ctx.functionText());
}

/** Allow-listing of fields before the write (lodash pick, explicit destructuring, validators). */
const JS_FIELD_PICK = /_\.pick\s*\(|\bpick\s*\(|\.pick\s*\(|allowedFields|ALLOWED_FIELDS|allowed(?:Keys|Updates)|whitelist|Joi\.|\.validate\s*\(|z\.object\(|checkSchema|matchedData\s*\(/;

export const massAssignment = defineRule({
  id: 'mass-assignment',
  name: 'Whole request object written to a model',
  cwe: 'CWE-915',
  severity: 'medium',
  pattern: 0,
  message: 'The whole request body is written into a model/record: a client can set fields it should not (role, isAdmin, owner); copy the allowed fields explicitly',
  why: 'OpenSSF AI code assistant guide: validate input; bind only the fields a form is meant to change (OWASP Mass Assignment cheat sheet).',
  description: 'JS/TS: new Model(req.body), Model.create/update/findByIdAndUpdate(…, req.body), doc.set(req.body), Object.assign(doc, req.body), Prisma data: req.body, lodash/jQuery deep merges of the body. Ruby: params.permit! / to_unsafe_h. PHP/Laravel: create/fill/update($request->all()).',
  matchers: {
    python: [
      {
        // `for key, value in request.get_json().items(): setattr(user, key, value)`: the client picks the attribute names.
        kind: 'call',
        names: ['setattr'],
        check: (c, ctx) => {
          const [obj, key] = c.args;
          if (c.receiver || !obj || !key || key.type === 'string') return undefined;
          const t = taintFor(ctx.val(key), San.None);
          if (!t || t.kind !== 'request') return undefined;
          // An allow-list on the key (`if key in ALLOWED`, `if key not in EDITABLE: continue`) is the fix.
          if (new RegExp(`\\b${key.text.replace(/\W/g, '')}\\s+(?:not\\s+)?in\\s+[A-Za-z_][\\w.]*|hasattr\\s*\\(`).test(ctx.functionText())) return undefined;
          return { node: key, taint: t, sink: 'setattr', message: `Attribute names from the request are set on \`${obj.text}\` (mass assignment): a client can set any field (is_admin, role, owner); allow-list the editable fields` };
        },
      },
    ],
    javascript: [
      {
        kind: 'call',
        names: ['create', 'insertMany', 'update', 'updateOne', 'updateMany', 'findByIdAndUpdate', 'findOneAndUpdate', 'set', 'assign', 'merge', 'extend', 'defaultsDeep', 'mergeWith'],
        check: (c, ctx) => {
          const r = c.receiver?.text ?? '';
          let target: Node | undefined;
          if (c.name === 'assign' || c.name === 'merge' || c.name === 'extend' || c.name === 'defaultsDeep' || c.name === 'mergeWith') {
            if (!/^(?:Object|_|lodash|\$|jQuery)$/.test(r) || !c.args[0] || c.args[0].type === 'object') return undefined;
            target = c.args.slice(1).find((a) => wholeRequest(a, ctx));
          } else if (c.name === 'set' || c.name === 'update') {
            if (!c.receiver || !ctx.fileHas(JS_ORM_FILE) || /^(?:res|response|map|cache|headers|params|searchParams|hash|crypto)$/i.test(lastSegment(r))) return undefined;
            target = c.args.find((a) => wholeRequest(a, ctx) || (a.type === 'object' && wholeRequest(dataField(a), ctx)));
          } else {
            if (!c.receiver || !ctx.fileHas(JS_ORM_FILE)) return undefined;
            target = c.args.find((a) => wholeRequest(a, ctx) || (a.type === 'object' && wholeRequest(dataField(a), ctx)));
          }
          if (!target || JS_FIELD_PICK.test(ctx.functionText())) return undefined;
          return { node: target, sink: c.callee };
        },
      },
      {
        // `new User(req.body)` (Mongoose/TypeORM documents): any model class.
        kind: 'call',
        trigger: /\bnew\s+[A-Z][\w$]*\s*\(\s*(?:\.\.\.)?[\w$.]+\s*\)/,
        check: (c, ctx) => {
          if (!c.isNew || !/^[A-Z]/.test(c.name) || /^(?:Error|\w+Error|URL|URLSearchParams|Map|Set|WeakMap|Date|Promise|Buffer|RegExp|Array|Object|Headers|Request|Response|FormData|Blob|Proxy)$/.test(c.name)) return undefined;
          if (!ctx.fileHas(JS_ORM_FILE) || !wholeRequest(c.args[0], ctx) || JS_FIELD_PICK.test(ctx.functionText())) return undefined;
          return { node: c.args[0], sink: `new ${c.name}` };
        },
      },
    ],
    ruby: [
      {
        // Trigger-anchored: call names drop a trailing "!", so `permit!` is matched on its callee.
        kind: 'call',
        trigger: /\.(?:permit!|to_unsafe_h(?:ash)?\b)/,
        check: (c) => (c.receiver && /^params\b/.test(c.receiver.text) && /\.(?:permit!|to_unsafe_h|to_unsafe_hash)$/.test(c.callee) ? { message: c.callee.endsWith('!') ? 'params.permit! allows every attribute through strong parameters: a client can set any column (mass assignment); permit the fields explicitly' : `params.${c.name} bypasses strong parameters: a client can set any column; use params.require(...).permit(...)` } : undefined),
      },
    ],
    php: [
      {
        // extract($_GET) turns every request key into a local variable ($is_admin, $user_id…).
        kind: 'call',
        names: ['extract', 'parse_str', 'import_request_variables'],
        check: (c) => {
          const a = c.args[0];
          if (c.receiver || !a || (c.name === 'parse_str' && c.args.length > 1)) return undefined;
          if (c.name === 'extract' && c.args[1] && /EXTR_SKIP|EXTR_PREFIX/.test(c.args[1].text)) return undefined;
          return c.name === 'import_request_variables' || /^\$_(?:GET|POST|REQUEST|COOKIE|SERVER|FILES)\b|^\$request->(?:all|input|query)\(/.test(a.text.replace(/\s+/g, ''))
            ? { node: a, cwe: 'CWE-621', message: `${c.name}() of request data overwrites local variables the client names (e.g. $is_admin); read the fields you need explicitly` }
            : undefined;
        },
      },
      {
        kind: 'call',
        names: ['create', 'fill', 'update', 'forceFill', 'forceCreate', 'insert'],
        check: (c) => {
          const a = c.args[0];
          return a && /^\$(?:request->(?:all|input|post)\(\s*\)|_POST|_REQUEST|_GET)$/.test(a.text.replace(/\s+/g, '')) ? { node: a, sink: c.callee } : undefined;
        },
      },
    ],
  },
});

/** `data:` member of a Prisma-style argument object. */
function dataField(obj: Node): Node | undefined {
  const p = obj.namedChildren.find((x) => x.type === 'pair' && x.childForFieldName('key')?.text === 'data');
  return p?.childForFieldName('value') ?? undefined;
}

function lastSegment(text: string): string {
  const m = /([\w$]+)$/.exec(text);
  return m ? m[1] : text;
}

// ------------------------------------------------------------------ postMessage origin (browser JS)

const FUNCTION_TYPES = /^(?:arrow_function|function_expression|function)$/;
const SECRET_DATA = /token|secret|passw|session|credential|api_?key|apikey|auth/i;

/** A message handler that reads the message's data but never looks at its origin. */
function uncheckedHandler(fn: Node | null | undefined): Hit | undefined {
  if (!fn || !FUNCTION_TYPES.test(fn.type)) return undefined;
  const body = fn.text;
  // An origin check, or a check that the sender is a known window (`frame.contentWindow !== e.source`).
  if (!/\.data\b/.test(body) || /\.origin\b|\.source\s*(?:!==?|===?)|(?:!==?|===?)\s*[\w$]+\.source\b/.test(body)) return undefined;
  return { node: fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter') ?? fn, message: 'This message handler uses event.data without checking event.origin: any page that can hold a reference to this window can send it commands' };
}

export const postMessageOrigin = defineRule({
  id: 'postmessage-origin',
  name: 'postMessage without an origin check',
  cwe: 'CWE-346',
  severity: 'medium',
  pattern: 0,
  message: 'Cross-window messages are accepted or sent without pinning the origin',
  why: 'OpenSSF AI code assistant guide: validate input from untrusted sources; a "message" listener must compare event.origin with the expected origin, and secrets must be posted to an explicit target origin, never "*".',
  description: 'A window "message" listener (addEventListener or onmessage) that reads event.data and never checks event.origin; postMessage of a token/secret/session value with target origin "*".',
  matchers: {
    javascript: [
      {
        kind: 'call',
        names: ['addEventListener'],
        check: (c) => (/^["'`]message["'`]$/.test(c.args[0]?.text ?? '') && !/port\w*$|worker\w*$|socket\w*$|ws$|channel\w*$/i.test(c.receiver?.text ?? '') ? uncheckedHandler(c.args[1]) : undefined),
      },
      {
        kind: 'binding',
        trigger: /\bonmessage\s*=/,
        check: (b) => (!b.pair && /^(?:window\.|self\.)?onmessage$/.test(b.targetText) ? uncheckedHandler(b.value) : undefined),
      },
      {
        kind: 'call',
        names: ['postMessage'],
        check: (c) => {
          const [data, target] = c.args;
          if (!data || !target || !/^["'`]\*["'`]$/.test(target.text)) return undefined;
          return SECRET_DATA.test(data.text) ? { node: target, cwe: 'CWE-345', message: 'A token/secret is posted with target origin "*": whatever page is loaded in that window receives it; name the expected origin' } : undefined;
        },
      },
    ],
  },
});

// ------------------------------------------------------------------ incomplete escaping

/** A one-character pattern (literal string, or a regex of one literal character) that is a metacharacter, not a letter. */
function oneMetaChar(n: Node | undefined): boolean {
  if (!n) return false;
  const m = /^(?:"((?:\\.|[^"\\#])+)"|'((?:\\.|[^'\\])+)'|\/((?:\\.|[^/\\])+)\/)$/.exec(n.text.trim());
  const body = m?.[1] ?? m?.[2] ?? m?.[3];
  return !!body && /^(?:\\.|[^\w\\])$/.test(body) && !/^\\[wdsWDSbBAzZ]$/.test(body);
}

export const incompleteSanitization = defineRule({
  id: 'incomplete-sanitization',
  name: 'Escaping that replaces only the first occurrence',
  cwe: 'CWE-116',
  severity: 'medium',
  pattern: 0,
  message: 'Only the first occurrence of the character is escaped: every later one passes through unescaped',
  why: 'OpenSSF AI code assistant guide: "Escape special characters in user-generated content"; CodeQL incomplete-sanitization: an escape that replaces just the first match leaves the rest of the input live (quote, backslash, pipe, angle bracket).',
  description: 'Ruby String#sub/sub! used to escape or encode a metacharacter (a one-character pattern replaced by a backslash escape, an entity or a %XX encoding): sub replaces only the first match; gsub replaces all.',
  matchers: {
    ruby: [
      {
        // Anchored on the text: call names drop a trailing `!`, and `sub!` must match too.
        kind: 'call',
        trigger: /\.sub!?[ (]/,
        check: (c) => {
          const [pat, rep] = c.args;
          if (c.name !== 'sub' || c.args.length !== 2 || !c.receiver || !oneMetaChar(pat) || !/^["']/.test(rep.text)) return undefined;
          // The replacement escapes or encodes: a backslash, an HTML entity or a percent-encoding.
          if (!/\\|&#?\w+;|%[\da-fA-F]{2}/.test(rep.text)) return undefined;
          const bang = c.callee.endsWith('!') ? '!' : '';
          return { node: c.node, message: `sub${bang}(${pat.text}, …) escapes only the first ${pat.text}: the rest of the string is left unescaped; use gsub${bang}` };
        },
      },
    ],
  },
});
