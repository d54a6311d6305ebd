/** C/C++ memory-safety rules: dangerous functions (120/242/676), format strings (134), allocation size overflow (190/680), unchecked allocation (476), use after free (416). */
import type { Node } from 'web-tree-sitter';
import type { Hit, Matcher, RuleContext } from '../rule';
import { defineRule } from '../rule';
import type { CallSite } from '../syntax';
import { San, flowHit, lastName, taintFor } from './helpers';

function isLiteral(n: Node | undefined): boolean {
  return !!n && (n.type === 'string_literal' || n.type === 'concatenated_string' || n.type === 'raw_string_literal');
}

const UNBOUNDED_S = /%(?!\d|\*)[-+ #0]*l?s/;

/**
 * The destination was allocated in this function with a size computed from string lengths
 * (`d = malloc(strlen(a) + strlen(b) + 1)`, or via a length variable): sized to fit.
 */
function sizedFromLengths(dst: string, fnText: string): boolean {
  const d = dst.replace(/[^\w]/g, '');
  if (!d) return false;
  const m = new RegExp(`\\b${d}\\s*=\\s*(?:\\([^)]*\\)\\s*)?(?:malloc|calloc|realloc|alloca|xmalloc|g_malloc)\\s*\\(([^;]*)\\)\\s*;`).exec(fnText);
  if (!m) return false;
  // `malloc(strlen(s))` leaves no room for the terminator (CWE-131): not sized to fit.
  if (/^\s*(?:\([^)]*\)\s*)?strn?len\s*\([^()]*\)\s*(?:\*\s*sizeof\s*\(\s*char\s*\))?\s*$/.test(m[1])) return false;
  // A fixed size (`calloc(MAX_WORD, sizeof(char))`) is no fit for an arbitrary source.
  if (/strlen|strnlen|wcslen/.test(m[1])) return true;
  const v = /^\s*(\w+)\s*(?:[+*].*)?$/.exec(m[1])?.[1];
  return !!v && new RegExp(`\\b${v}\\s*=[^;]*\\b(?:strlen|strnlen)\\s*\\(`).test(fnText);
}

/** Identifier a pointer argument names (`&buf[0]`, `(char *)src`, `src + 1` -> buf/src), '' if none. */
function baseName(n: Node | undefined): string {
  if (!n) return '';
  const m = /^(?:\(\s*[\w\s*]+\)\s*)?&?\s*([A-Za-z_]\w*)(?:\s*\[[^\]]*\])?(?:\s*[+-].*)?$/.exec(n.text.trim());
  return m?.[1] ?? '';
}

/** The bound mentions `name`: its length, size or a variable named after it (`src_len`, `userName_size`). */
function boundMentions(bound: string, name: string): boolean {
  if (!name || name.length < 2) return false;
  const esc = name.replace(/[$]/g, '\\$&');
  return new RegExp(`\\b(?:strn?len|wcslen|sizeof)\\s*\\(?\\s*${esc}\\b|\\b${esc}_?(?:size|len|length|sz|count|bytes|n)\\b|\\b${esc}(?:Size|Len|Length|Count|Bytes)\\b|\\b${esc}\\s*(?:\\.|->)\\s*(?:size|length)\\b`).test(bound);
}

/**
 * Bounded copies whose bound is the SOURCE's length rather than the destination's
 * (`strncpy(dest, src, src_size)`, `snprintf(buf, 18 + name_len + 1, "...%s", name)`): the bound
 * checks nothing, so a long source overflows the destination (CWE-120/787). A destination
 * allocated in this function is sized by its own code and is left out.
 */
/**
 * `strncat(dst, src, sizeof dst)` / `strncat(out, s, BUF_MAX)`: strncat's bound is the space left
 * (size - strlen(dst) - 1), so the whole buffer size lets appends run past the end.
 */
function strncatWholeSize(c: CallSite): Hit | undefined {
  const n = c.args[2]?.text.replace(/\s+/g, '') ?? '';
  if (!n || /strlen|-|\bleft\b|\bremain|\bavail|\bspace\b|\brest\b/i.test(n)) return undefined;
  if (!/^(?:sizeof\(?[\w.>-]+\)?|[A-Z_][A-Z0-9_]*|\d+)$/.test(n)) return undefined;
  return { node: c.args[2], cwe: 'CWE-787', message: `strncat's third argument is how many characters to append, not the buffer size: \`${c.args[2].text}\` lets repeated appends write past the end of \`${c.args[0]?.text}\`; pass size - strlen(dst) - 1, or use snprintf` };
}

function sourceSizedBound(c: CallSite, ctx: RuleContext): Hit | undefined {
  const isPrintf = /snprintf$/.test(c.name);
  const dst = baseName(c.args[0]);
  const bound = c.args[isPrintf ? 1 : 2];
  if (!dst || !bound || /^\d+$|^[A-Z_][A-Z0-9_]*$/.test(bound.text) || boundMentions(bound.text, dst)) return undefined;
  const sources = isPrintf ? c.args.slice(3).map((a) => baseName(a)) : [baseName(c.args[1])];
  const src = sources.find((n) => n && n !== dst && boundMentions(bound.text, n));
  if (!src) return undefined;
  const fn = ctx.functionText();
  if (new RegExp(`\\b${dst}\\s*=\\s*(?:\\([^)]*\\)\\s*)?(?:malloc|calloc|realloc|alloca|strdup|new\\b)`).test(fn)) return undefined;
  // The source's length was checked against the destination's size first (`if (strlen(src) >= sizeof(d->name)) return -1;`).
  if (new RegExp(`\\bstrn?len\\s*\\(\\s*${src}\\b[^;]*?\\)\\s*(?:\\+\\s*1\\s*)?(?:>=?|<=?)\\s*(?:sizeof|[A-Z_][A-Z0-9_]*\\b)|(?:sizeof\\s*\\(?[^;]*?|[A-Z_][A-Z0-9_]*\\s*)(?:<=?|>=?)\\s*strn?len\\s*\\(\\s*${src}\\b`).test(fn)) return undefined;
  return { node: bound, cwe: 'CWE-120', message: `The bound of ${c.name}() is the length of the source \`${src}\`, not the size of the destination \`${dst}\`: a longer source overflows it; bound by the destination's size` };
}

/** Worst-case characters one printf conversion writes (Infinity when unbounded, e.g. %s or %f). */
function conversionMax(flags: string, width: string, precision: string, length: string, conv: string): number {
  const w = width === '*' || precision === '*' ? Infinity : Number(width || 0);
  const p = precision ? Number(precision.slice(1) || 0) : 0;
  const long = /l|j|z|t|q|I64/.test(length);
  const base: Record<string, number> = { d: long ? 20 : 11, i: long ? 20 : 11, u: long ? 20 : 10, x: long ? 16 : 8, X: long ? 16 : 8, o: long ? 22 : 11, c: 1, p: 18, e: 24 + p, E: 24 + p, g: 24 + p, G: 24 + p, a: 32, A: 32 };
  if (conv === 'f' || conv === 'F') return Infinity; // %f of a large double prints hundreds of digits
  if (conv === 's' || conv === 'S') return precision ? Math.max(w, p) : Infinity;
  const b = base[conv];
  return b === undefined ? Infinity : Math.max(w, b + (/[#+ ]/.test(flags) ? 2 : 0), p + 1);
}

/** Worst-case length (with the terminator) of a literal printf format, Infinity when unbounded. */
function formatMax(fmt: string): number {
  const body = fmt.replace(/^[LuU8]*"|"$/g, '').replace(/\\./g, 'x');
  let total = 1;
  let last = 0;
  const re = /%([-+ #0]*)(\d+|\*)?(\.\d*|\.\*)?(hh|h|ll|l|j|z|t|L|q|I64)?([diouxXeEfFgGaAcspn%])/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    total += m.index - last;
    last = m.index + m[0].length;
    if (m[5] === '%') total += 1;
    else if (m[5] !== 'n') total += conversionMax(m[1], m[2] ?? '', m[3] ?? '', m[4] ?? '', m[5]);
  }
  return total + body.length - last;
}

/** Value of `#define NAME 123` in the file, if any. */
function defineValue(name: string, ctx: RuleContext): number | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const def = new RegExp(`#\\s*define\\s+${name}\\s+\\(?\\s*(\\d+)\\s*\\)?\\s*$`, 'm').exec(ctx.text);
  return def ? Number(def[1]) : undefined;
}

/**
 * Declared element count of a local or file-level `char name[N]` (N a literal or a #define), if
 * any; `anyType` accepts arrays of any element type (for index-based checks).
 */
function arraySize(name: string, ctx: RuleContext, anyType = false): number | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const type = anyType ? '[A-Za-z_][\\w:<>]*\\**' : '(?:unsigned\\s+)?(?:char|TCHAR|CHAR|gchar|int8_t|uint8_t|BYTE)';
  const decl = new RegExp(`\\b${type}\\s+(?:\\w+\\s*\\[[^\\]]*\\]\\s*,\\s*)*${name}\\s*\\[\\s*(\\w+)\\s*\\]`);
  // The enclosing function first, then the file's declarations (indexed once per document).
  const m = decl.exec(ctx.functionText());
  const size = m ? m[1] : fileArrays(ctx.text, anyType).get(name);
  if (size === undefined) return undefined;
  return /^\d+$/.test(size) ? Number(size) : defineValue(size, ctx);
}

let arraysText = '';
const arraysIndex = new Map<boolean, Map<string, string>>();

/** `type name[N]` declarations of a document, by name (first wins); cached for the last document. */
function fileArrays(text: string, anyType: boolean): Map<string, string> {
  if (text !== arraysText) {
    arraysText = text;
    arraysIndex.clear();
  }
  let idx = arraysIndex.get(anyType);
  if (!idx) {
    idx = new Map();
    const type = anyType ? '[A-Za-z_][\\w:<>]*\\**' : '(?:unsigned\\s+)?(?:char|TCHAR|CHAR|gchar|int8_t|uint8_t|BYTE)';
    for (const d of text.matchAll(new RegExp(`\\b${type}\\s+((?:[A-Za-z_]\\w*\\s*\\[\\s*\\w+\\s*\\]\\s*,\\s*)*[A-Za-z_]\\w*\\s*\\[\\s*\\w+\\s*\\])`, 'g'))) {
      for (const one of d[1].matchAll(/([A-Za-z_]\w*)\s*\[\s*(\w+)\s*\]/g)) if (!idx.has(one[1])) idx.set(one[1], one[2]);
    }
    arraysIndex.set(anyType, idx);
  }
  return idx;
}

/**
 * The destination's storage is declared or allocated in this document (`T name[N]` of any
 * type, or `name = malloc/calloc/alloca/new ...`), so its size can be reasoned about.
 */
function sizeVisible(dst: Node, ctx: RuleContext): boolean {
  const base = baseName(dst);
  if (!base) return false;
  return new RegExp(`\\b${base}\\s*\\[[^\\]]*\\]\\s*(?:\\[[^\\]]*\\]\\s*)*[;=,)]|\\b${base}\\s*=\\s*(?:\\([^)]*\\)\\s*)?(?:\\w+_)?(?:malloc|calloc|realloc|alloca|_alloca|new)\\b|\\b(?:std::)?(?:array|vector)\\s*<[^;]*\\b${base}\\b`).test(ctx.text);
}

/**
 * `buf[n < SIZE ? n : SIZE - 1] = '\\0'; strcpy(out, buf);` into a pointer parameter: the source
 * was terminated just before within a size bound, so the copy is bounded by that size; the
 * destination's capacity is the caller's contract (a parameter sized like the source).
 */
function boundedSourceIntoParam(dst: Node, src: Node, c: CallSite, ctx: RuleContext): boolean {
  if (dst.type !== 'identifier' || src.type !== 'identifier') return false;
  const fn = ctx.functionNode();
  const params = fn?.childForFieldName('declarator')?.childForFieldName('parameters')?.text ?? '';
  if (!new RegExp(`\\*\\s*${dst.text}\\s*[,)]|\\b${dst.text}\\s*\\[\\s*\\]`).test(params)) return false;
  const before = ctx.functionText().slice(0, Math.max(0, c.node.startIndex - (fn?.startIndex ?? 0)));
  const term = new RegExp(`\\b${src.text}\\s*\\[([^\\]]*)\\]\\s*=\\s*(?:'\\\\0'|0)\\s*;`).exec(before);
  return !!term && /\bsizeof\b|[A-Z_]{3,}\s*-\s*1|\w*(?:size|len|cap)\w*\s*-\s*1/i.test(term[1]);
}

/** `dst[...] = '\\0'` / `= 0` after the call in the function (explicit termination). */
function terminatedAfter(dst: string, c: CallSite, ctx: RuleContext): boolean {
  const fn = ctx.functionNode();
  const after = ctx.functionText().slice(Math.max(0, c.node.endIndex - (fn?.startIndex ?? 0)));
  return new RegExp(`\\b${dst}\\s*\\[[^\\]]+\\]\\s*=\\s*(?:'\\\\0'|0|NULL|L'\\\\0')\\s*;|\\*\\s*\\(\\s*${dst}\\s*\\+[^)]*\\)\\s*=\\s*(?:'\\\\0'|0)`).test(after);
}

/** strncpy(dst, src, sizeof dst) with no terminator written afterwards: a long src leaves dst unterminated (CWE-170). */
function unterminatedCopy(c: CallSite, ctx: RuleContext): Hit | undefined {
  const dst = c.args[0]?.text ?? '';
  const n = c.args[2]?.text ?? '';
  if (!/^[A-Za-z_]\w*$/.test(dst)) return undefined;
  const size = arraySize(dst, ctx);
  const full = new RegExp(`^sizeof\\s*\\(?\\s*${dst}\\s*\\)?$`).test(n) || (size !== undefined && (Number(n) === size || defineValue(n, ctx) === size));
  if (!full || terminatedAfter(dst, c, ctx)) return undefined;
  return { node: c.args[2], cwe: 'CWE-170', severity: 'medium', message: `strncpy() with the full size of \`${dst}\` does not terminate it when the source is as long: later string use reads past the end; copy size - 1 and set ${dst}[size - 1] = '\\0' (or use snprintf)` };
}

/**
 * read()/recv()/fread() into a buffer that is then used as a C string (strcpy/strcat/strlen/
 * printf %s) with no terminator written after the read (CWE-170).
 */
function unterminatedRead(c: CallSite, ctx: RuleContext): Hit | undefined {
  const buf = baseName(c.args[c.name === 'fread' ? 0 : 1]);
  if (!buf) return undefined;
  if (terminatedAfter(buf, c, ctx) || /\bmemset\s*\(|\bcalloc\s*\(|=\s*\{\s*0?\s*\}/.test(ctx.functionText())) return undefined;
  const fn = ctx.functionNode();
  const after = ctx.functionText().slice(Math.max(0, c.node.endIndex - (fn?.startIndex ?? 0)));
  const asString = new RegExp(`\\b(?:strcpy|strcat|strlen|strdup|strcmp|strstr|atoi|puts|fputs)\\s*\\((?:[^;()]*,)?\\s*${buf}\\s*[,)]|\\bprintf\\s*\\(\\s*"[^"]*%s[^"]*"\\s*,\\s*${buf}\\s*\\)`).exec(after);
  return asString ? { cwe: 'CWE-170', severity: 'medium', message: `${c.name}() does not terminate \`${buf}\`, which is then used as a string: terminate it with ${buf}[n] = '\\0' using the returned count` } : undefined;
}

export const cDangerousFunction = defineRule({
  id: 'c-dangerous-function',
  name: 'Unbounded C string function',
  cwe: 'CWE-120',
  severity: 'high',
  pattern: 18,
  message: 'Unbounded copy into a buffer (buffer overflow)',
  why: 'OpenSSF AI code assistant guide (C/C++): "always use bounds-checked functions (e.g., strncpy or strlcpy over strcpy), avoid dangerous functions like gets, include buffer size constants".',
  description: 'gets; strcpy/strcat/wcscpy/wcscat/stpcpy with a non-literal source; sprintf/vsprintf whose format has an unbounded %s or is not a literal; scanf-family %s without a width.',
  matchers: {
    c: [
      {
        kind: 'call',
        names: ['gets', '_getws', 'getpw'],
        check: (c) => ({ cwe: c.name === 'getpw' ? 'CWE-676' : 'CWE-242', message: `${c.name}() cannot limit how much it writes; use fgets(buf, sizeof buf, stdin)` }),
      },
      {
        kind: 'call',
        names: ['strcpy', 'strcat', 'wcscpy', 'wcscat', 'stpcpy', 'lstrcpy', 'lstrcat', 'StrCpy', 'StrCat', '_tcscpy', '_tcscat', '_mbscpy'],
        check: (c, ctx) => {
          const [dst, src] = c.args;
          if (!dst || !src || (isLiteral(src) && src.text.length < 16)) return undefined;
          // Destination allocated in this function from string lengths: sized to fit.
          if (sizedFromLengths(dst.text, ctx.functionText())) return undefined;
          if (/cpy$/i.test(c.name) && boundedSourceIntoParam(dst, src, c, ctx)) return undefined;
          return { message: `${c.name}() copies without a bound; use strlcpy/snprintf (or strncpy + explicit termination) with sizeof the destination` };
        },
      },
      {
        kind: 'call',
        names: ['sprintf', 'vsprintf', 'swprintf', 'wsprintf', 'wsprintfA', 'wsprintfW'],
        check: (c, ctx) => {
          const fmt = c.args[1];
          if (c.name === 'vsprintf') return { message: 'vsprintf() has no output bound; use vsnprintf' };
          if (!fmt) return undefined;
          if (isLiteral(fmt) && !UNBOUNDED_S.test(fmt.text)) {
            // No %s, but the worst case can still exceed a known array (`char h[3]; sprintf(h, "%02X", n)`).
            const size = arraySize(baseName(c.args[0]) === c.args[0]?.text ? c.args[0].text : '', ctx);
            const max = formatMax(fmt.text);
            if (size === undefined && c.args.length > 2 && c.args[0] && !sizeVisible(c.args[0], ctx))
              // Conversions of data into a buffer whose size nothing here shows (a pointer
              // parameter, a struct member, a global declared elsewhere): unverifiable, a hint.
              return { severity: 'low', message: `${c.name}() writes formatted data into \`${c.args[0].text}\`, whose size is not visible here, with no bound; use snprintf(buf, size, ...)` };
            return size !== undefined && max > size
              ? { cwe: 'CWE-787', message: `${c.name}() can write ${max === Infinity ? 'an unbounded number of' : max} bytes into \`${c.args[0]?.text}\` (${size} bytes); use snprintf(buf, sizeof buf, ...) or a larger buffer` }
              : undefined;
          }
          if (isLiteral(fmt) && c.args[0] && sizedFromLengths(c.args[0].text, ctx.functionText())) return undefined;
          return { message: `${c.name}() with ${isLiteral(fmt) ? 'an unbounded %s' : 'a non-literal format'} can overflow the destination; use snprintf(buf, sizeof buf, ...)` };
        },
      },
      {
        // Macro bodies are not parsed as code; look at their text.
        kind: 'node',
        trigger: /\b(?:gets|strcpy|strcat|sprintf|vsprintf)\s*\(/,
        types: ['preproc_def', 'preproc_function_def'],
        check: (n) => {
          const m = /\b(gets|strcpy|strcat|sprintf|vsprintf)\s*\(/.exec(n.text);
          return m ? { message: `${m[1]}() in a macro body copies without a bound; use a bounded function with the destination size` } : undefined;
        },
      },
      {
        kind: 'call',
        names: ['memcpy', 'memmove', 'strncpy', 'strncat', 'wmemcpy'],
        check: (c, ctx) => {
          const [dst, , len] = c.args;
          if (!dst || !len || dst.type !== 'identifier') return undefined;
          const fn = ctx.functionText();
          const esc = dst.text.replace(/[$]/g, '\\$&');
          // Destination is a fixed-size array declared in this function.
          // A declaration (`char buf[64];`), not an element write such as `buf[0] = 0;`.
          const decl = new RegExp(`\\b(?:char|wchar_t|u?int\\d*_t|int|short|long|unsigned(?:\\s+char)?|signed\\s+char|BYTE|byte|uchar)\\s+${esc}\\s*\\[\\s*(\\w+)\\s*\\]\\s*[;=]`).exec(fn);
          if (!decl) return undefined;
          if (/sizeof|^\d+$|^[A-Z_][A-Z0-9_]*$/.test(len.text) || len.text.includes(decl[1])) return undefined;
          const l = len.text.replace(/[^\w]/g, '');
          // A bound check on the length anywhere in the function counts as validation.
          if (l && new RegExp(`\\b${l}\\s*(?:<|<=|>|>=)|(?:<|<=|>|>=)\\s*${l}\\b|\\b(?:MIN|min|std::min)\\s*\\(`).test(fn)) return undefined;
          return { cwe: 'CWE-121', message: `${c.name} into the fixed-size array \`${dst.text}\` with a length that is not checked against its size (stack buffer overflow)` };
        },
      },
      { kind: 'call', names: ['strncpy', 'strncat', 'memcpy', 'memmove', 'wcsncpy', 'snprintf', 'vsnprintf'], check: (c, ctx) => sourceSizedBound(c, ctx) ?? (c.name === 'strncpy' ? unterminatedCopy(c, ctx) : c.name === 'strncat' ? strncatWholeSize(c) : undefined) },
      { kind: 'call', names: ['read', 'recv', 'fread', 'recvfrom'], check: (c, ctx) => unterminatedRead(c, ctx) },
      {
        // A hand-written copy that stops only at the source's end: `while (src[i] != '\0') { buf[i] = src[i]; i++; }`
        // into `char buf[16]`, with no `i < sizeof buf` anywhere in the loop.
        kind: 'node', trigger: /\[\s*\w+\s*\]\s*(?:!=\s*'\\0'|\)|;)|\*\s*\w+\s*\)/, anchor: /\b(?:while|for)\s*\(/,
        types: ['while_statement', 'for_statement'],
        check: (n, ctx) => {
          const cond = (n.type === 'for_statement' ? n.childForFieldName('condition') : n.childForFieldName('condition'))?.text ?? '';
          const body = n.childForFieldName('body')?.text ?? '';
          if (!cond || !body) return undefined;
          for (const [, arr, idx] of body.matchAll(/\b([A-Za-z_]\w*)\s*\[\s*([A-Za-z_]\w*)\s*(?:\+\+)?\s*\]\s*=(?!=)/g)) {
            const size = arraySize(arr, ctx, true);
            if (size === undefined) continue;
            // Terminated by the data (another buffer at the same index) and never by the index.
            const src = new RegExp(`\\b(?!${arr}\\b)([A-Za-z_][\\w.>-]*)\\s*\\[\\s*${idx}\\s*\\]`).exec(cond);
            if (!src) continue;
            const bounded = new RegExp(`\\b${idx}\\s*(?:<|<=|>|>=)|(?:<|<=|>|>=)\\s*${idx}\\b`);
            if (bounded.test(cond) || bounded.test(body) || new RegExp(`\\b(?:sizeof|${size})\\b`).test(cond)) continue;
            const local = new RegExp(`\\b${arr}\\s*\\[\\s*\\w+\\s*\\]\\s*[;=]`).test(ctx.functionText());
            return { cwe: local ? 'CWE-121' : 'CWE-787', message: `The loop copies \`${src[1]}\` into \`${arr}\` (${size} elements) until the source ends, never checking \`${idx}\` against the size: a longer input overflows it; stop at ${idx} < sizeof ${arr} - 1` };
          }
          return undefined;
        },
      },
      {
        // Off-by-one: `for (i = 0; i <= N; i++) buf[i] = ...` over `char buf[N]` (CWE-193).
        kind: 'node', trigger: /<=/, anchor: /\bfor\s*\(/,
        types: ['for_statement'],
        check: (n, ctx) => {
          const m = /^(\w+)\s*<=\s*(.+)$/.exec(n.childForFieldName('condition')?.text.trim() ?? '');
          const body = n.childForFieldName('body')?.text ?? '';
          if (!m) return undefined;
          for (const [, arr] of body.matchAll(new RegExp(`\\b([A-Za-z_]\\w*)\\s*\\[\\s*${m[1]}\\s*\\]\\s*=[^=]`, 'g'))) {
            const size = arraySize(arr, ctx, true);
            if (size === undefined) continue;
            const bound = m[2].trim();
            const boundValue = /^\d+$/.test(bound) ? Number(bound) : new RegExp(`^sizeof\\s*\\(?\\s*${arr}\\s*\\)?$`).test(bound) ? size : defineValue(bound, ctx);
            if (boundValue === size) return { node: n.childForFieldName('condition') ?? n, cwe: 'CWE-193', message: `Off-by-one: the loop runs to ${bound} inclusive and writes ${arr}[${bound}], one past the end of ${arr} (${size} elements); use <` };
          }
          return undefined;
        },
      },
      {
        kind: 'call',
        names: ['scanf', 'fscanf', 'sscanf', 'wscanf', 'vscanf'],
        check: (c) => {
          const fmt = c.args[c.name === 'scanf' || c.name === 'wscanf' || c.name === 'vscanf' ? 0 : 1];
          return fmt && isLiteral(fmt) && /%(?!\d|\*)[-+ #0]*[sS[]/.test(fmt.text) ? { message: `${c.name}() with %s/%[ and no width overflows the buffer on long input; use a width (%63s)` } : undefined;
        },
      },
    ],
  },
});

const FORMAT_FUNCS: Record<string, number> = { printf: 0, vprintf: 0, wprintf: 0, fprintf: 1, vfprintf: 1, fwprintf: 1, sprintf: 1, vsprintf: 1, snprintf: 2, vsnprintf: 2, syslog: 1, vsyslog: 1, dprintf: 1, err: 1, errx: 1, warn: 0, warnx: 0, asprintf: 1 };

function formatStringHit(fmt: Node | undefined, ctx: RuleContext, fn: string): ReturnType<Extract<Matcher, { kind: 'call' }>['check']> {
  if (!fmt || isLiteral(fmt)) return undefined;
  // Macro-like constants (FORMAT_STR) and gettext-style wrappers of literals are fine.
  if (/^[A-Z_][A-Z0-9_]*$/.test(fmt.text) || /^(?:_|gettext|N_|tr)\(\s*"/.test(fmt.text)) return undefined;
  const v = ctx.val(fmt);
  if (v.c) return undefined;
  return { ...flowHit(v, San.None, fn, fmt), message: `${fn}() format string is not a literal: a % in the data reads or writes memory; use ${fn}(${fn === 'printf' ? '' : '…, '}"%s", value)` };
}

export const formatString = defineRule({
  id: 'format-string',
  name: 'Non-literal format string',
  cwe: 'CWE-134',
  severity: 'high',
  pattern: 20,
  message: 'Format string is not a literal',
  why: 'pyscg-0008 "Prevent Format String Injection" and the CERT C rules: a format string from data lets an attacker read/write memory (C) or read attributes (Python str.format).',
  description: 'printf-family and syslog calls whose format argument is a variable; Python str.format / format_map on an untrusted template.',
  matchers: {
    c: [{ kind: 'call', names: Object.keys(FORMAT_FUNCS), check: (c, ctx) => formatStringHit(c.args[FORMAT_FUNCS[c.name]], ctx, c.name) }],
    python: [
      {
        kind: 'call',
        names: ['format', 'format_map'],
        check: (c, ctx) => {
          if (!c.receiver) return undefined;
          const t = taintFor(ctx.val(c.receiver), San.All & ~San.Html);
          return t ? { taint: t, sink: 'str.format', severity: 'medium', message: 'An untrusted string is used as a format template: {0.__class__...} reads attributes and globals' } : undefined;
        },
      },
    ],
  },
});

function isNonConstFactor(n: Node): boolean {
  return !/^\(?\s*(?:\d+|sizeof\s*\(?[^)]*\)?|[A-Z_][A-Z0-9_]*)\s*\)?$/.test(n.text);
}

function isMultiplication(n: Node | undefined): n is Node {
  return !!n && n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '*';
}

/** An upper/lower limit on `name` (`n > 1000`, `n <= 0`, `MAX < n`, min(...)), not a loop's `i < n`. */
function limited(name: string, code: string): boolean {
  return new RegExp(`(?:^|[^\\w.>])${name}\\s*(?:>|>=|<|<=)\\s*[\\w(-]|\\b(?:[A-Z_][A-Z0-9_]*|\\d+)\\s*(?:<|<=|>|>=)\\s*${name}\\b|\\b(?:MIN|min|std::min)\\s*\\(`).test(code);
}

/** Decide on an allocation size `a * b`: overflow-prone when a factor is not a constant. */
function sizeHit(size: Node, fn: string, ctx: RuleContext): Hit | undefined {
  if (!isMultiplication(size)) return undefined;
  const l = size.childForFieldName('left');
  const r = size.childForFieldName('right');
  if (!l || !r || (!isNonConstFactor(l) && !isNonConstFactor(r))) return undefined;
  if (/SIZE_MAX|INT_MAX|UINT_MAX|__builtin_mul_overflow|ckd_mul|overflow|numeric_limits/.test(ctx.functionText())) return undefined;
  if (isNonConstFactor(l) && isNonConstFactor(r)) return { node: size };
  // n * sizeof(T) still wraps for a huge n, but n is usually bounded elsewhere: a hint
  // (info, below the default report level) unless n is proven untrusted.
  const n = isNonConstFactor(l) ? l : r;
  const t = taintFor(ctx.val(n), San.None);
  if (t) return { node: size, taint: t, sink: fn, severity: 'medium' };
  // A count read from a structure (`hdr->width * sizeof(T)`) is typically parsed input (file
  // headers, packets), the classic CWE-680 shape; a stack allocation (alloca) cannot fail
  // gracefully. A local or parameter count is a hint.
  // The same holds for a local count copied or computed from such a field
  // (`len = req->nHeaders * 5 + 10`, `n = src.count`) or summed up from data (`total += len[i]`).
  const local = /^\(?\s*([A-Za-z_]\w*)\s*\)?$/.exec(n.text)?.[1];
  const derived = !!local && new RegExp(`\\b${local}\\s*(?:\\+=|=(?!=)[^;]*(?:->\\s*[A-Za-z_]\\w*|\\b[A-Za-z_]\\w*\\s*\\.\\s*[A-Za-z_]\\w*)(?!\\s*[\\w(]))`).test(ctx.functionText());
  // A count checked against a limit in the function cannot make the product wrap.
  if (local && limited(local, ctx.functionText())) return undefined;
  // A count the user typed (`scanf("%d", &n)`): negative or huge values wrap the product.
  if (local && new RegExp(`\\b(?:f|s)?scanf\\s*\\([^;]*&\\s*${local}\\b`).test(ctx.functionText())) return { node: size, severity: 'medium', message: `The element count \`${local}\` is read with scanf() and multiplied into the allocation size unchecked: a negative or huge count wraps it (CWE-680); check 0 < ${local} <= SIZE_MAX / size` };
  return { node: size, severity: /->|\.\s*[A-Za-z_]\w*\s*\)?$/.test(n.text) || derived || /alloca$/.test(fn) ? 'low' : 'info' };
}

/**
 * `size_t bytes = width * height * 4; malloc(bytes)`: the size was multiplied into a variable
 * first. Reported like the inline product when two factors are non-constant variables and the
 * function has no overflow check.
 */
function computedSizeHit(size: Node, fn: string, ctx: RuleContext): Hit | undefined {
  const fnText = ctx.functionText();
  const defs = [...fnText.matchAll(new RegExp(`\\b${size.text}\\s*=(?!=)\\s*([^;]+);`, 'g'))];
  const expr = defs[defs.length - 1]?.[1] ?? '';
  if (!expr.includes('*') || /SIZE_MAX|INT_MAX|UINT_MAX|__builtin_mul_overflow|ckd_mul|overflow|numeric_limits/.test(fnText)) return undefined;
  const factors = expr.split('*').map((f) => f.trim());
  const vars = factors.filter((f) => !/^\(?\s*(?:\d+[uUlL]*|sizeof\s*\(?[^)]*\)?|[A-Z_][A-Z0-9_]*)\s*\)?$/.test(f));
  if (vars.length < 2 || vars.some((f) => !/^\(?\s*(?:\([\w\s]+\)\s*)?[A-Za-z_][\w.>-]*\s*\)?$/.test(f))) return undefined;
  // Every variable factor checked against a limit first (`if (w > MAX_DIM || h > MAX_DIM) return -1;`).
  if (vars.every((f) => limited(/([A-Za-z_]\w*)\s*\)?$/.exec(f)?.[1] ?? '\0', fnText))) return undefined;
  return { node: size, message: `\`${size.text}\` = ${expr.trim()} is a product of non-constant values with no overflow check; ${fn}() can get a wrapped, too small size (CWE-680)` };
}

export const allocOverflow = defineRule({
  id: 'c-alloc-size-overflow',
  name: 'Allocation size multiplication can overflow',
  cwe: 'CWE-190',
  severity: 'medium',
  pattern: 19,
  message: 'The allocation size is a multiplication of non-constant values with no overflow check: it can wrap and allocate too little (CWE-680)',
  why: 'OpenSSF ML-driven guide on LLM root causes: "incorrect memory allocation (19.5%)"; check n <= SIZE_MAX / size or use calloc/reallocarray.',
  description: 'malloc/realloc/alloca/new[] sized by a*b where both factors are non-constant (inline or multiplied into a variable first) and the function has no SIZE_MAX/overflow check; counts read from structures or summed from data; variable-length arrays sized by data with no limit (CWE-770).',
  matchers: {
    c: [
      {
        kind: 'call',
        names: ['malloc', 'realloc', 'alloca', '_alloca', 'xmalloc', 'g_malloc', 'kmalloc', 'vmalloc', 'av_malloc', '_TIFFmalloc', 'emalloc', 'OPENSSL_malloc', 'xrealloc', 'uprv_malloc', 'heap_alloc', 'HeapAlloc', 'calloc'],
        check: (c, ctx) => {
          // calloc checks count * size itself, unless the caller multiplies inside one argument.
          const size = c.name === 'calloc' ? c.args.find((a) => isMultiplication(a)) : c.args[/realloc$/.test(c.name) ? 1 : c.name === 'HeapAlloc' ? 2 : 0];
          if (size?.type === 'identifier') return computedSizeHit(size, c.name, ctx);
          return size ? sizeHit(size, c.name, ctx) : undefined;
        },
      },
      // `T buf[n]` sized at run time (C99 VLA / GNU extension).
      { kind: 'node', trigger: /\b[A-Za-z_]\w*\s*\[\s*[a-z_][^\]]*\]\s*[;=,]/, anchor: /\b[A-Za-z_]\w*(?=\s*\[\s*[a-z_][^\]]*\]\s*[;=,])/, types: ['array_declarator'], check: (n, ctx) => vlaHit(n, ctx) },
      {
        // C++ `new T[a * b]`.
        kind: 'node',
        trigger: /\bnew\b[^;]*\[[^\]]*\*/,
        types: ['new_expression'],
        check: (n, ctx) => {
          const size = n.childForFieldName('declarator')?.namedChildren.find((x) => isMultiplication(x));
          return size ? sizeHit(size, 'new[]', ctx) : undefined;
        },
      },
    ],
  },
});

export const uncheckedAlloc = defineRule({
  id: 'c-unchecked-allocation',
  name: 'Allocation result used without a NULL check',
  cwe: 'CWE-476',
  // A robustness hint, not an exploitable weakness on its own (a failed allocation crashes):
  // info, below the default report level of the CLI and the editor.
  severity: 'info',
  pattern: 19,
  message: 'The result of this allocation/open is used without checking for NULL',
  why: 'OpenSSF ML-driven guide: "missing conditional check (29.3%)" is the top LLM root cause; malloc/fopen return NULL on failure.',
  description: 'p = malloc/calloc/realloc/strdup/fopen(...) followed by use of p in the same function with no comparison of p to NULL.',
  matchers: {
    c: [
      {
        kind: 'binding', trigger: /malloc|calloc|realloc|strdup|strndup|fopen|fdopen|tmpfile|opendir/,
        check: (b, ctx) => {
          if (!b.value || b.pair) return undefined;
          let v: Node = b.value;
          if (v.type === 'cast_expression') v = v.childForFieldName('value') ?? v;
          if (v.type !== 'call_expression') return undefined;
          const fn = v.childForFieldName('function')?.text ?? '';
          if (!/^(?:malloc|calloc|realloc|strdup|strndup|fopen|fdopen|tmpfile|opendir)$/.test(fn)) return undefined;
          const name = b.targets[0]?.text;
          if (!name || !/^[A-Za-z_]\w*$/.test(name)) return undefined;
          const text = ctx.functionText();
          const after = text.slice(Math.max(0, b.node.endIndex - (ctx.functionNode()?.startIndex ?? 0)));
          const esc = name.replace(/[$]/g, '\\$&');
          const checked = new RegExp(`(?:!\\s*${esc}\\b|\\b${esc}\\s*(?:==|!=)\\s*(?:NULL|nullptr|0)\\b|(?:NULL|nullptr|0)\\s*(?:==|!=)\\s*${esc}\\b|if\\s*\\(\\s*${esc}\\s*\\)|if\\s*\\(\\s*${esc}\\s*&&|assert\\s*\\(\\s*${esc}|${esc}\\s*\\?)`);
          if (checked.test(after)) return undefined;
          const used = new RegExp(`\\b${esc}\\s*(?:\\[|->)|\\*\\s*${esc}\\b|\\(\\s*${esc}\\s*[,)]|,\\s*${esc}\\s*[,)]`);
          return used.test(after) ? { node: b.node, message: `\`${name}\` from ${fn}() is used without a NULL check` } : undefined;
        },
      },
    ],
  },
});

/**
 * C++: `const char *p = ss.str().c_str();` keeps a pointer into a temporary std::string that is
 * destroyed at the end of the statement (`str()`, `substr()`, `std::to_string()`, `std::string(...)`,
 * `(a + b)` all return by value): every later use of p reads freed memory.
 */
const danglingCStr: Matcher = {
  kind: 'binding', trigger: /\.(?:c_str|data)\s*\(\s*\)\s*;/, anchor: /\b(?:c_str|data)(?=\s*\(\s*\)\s*;)/,
  check: (b) => {
    const v = b.value?.text.replace(/\s+/g, '') ?? '';
    if (b.pair || b.loop || !/\.(?:c_str|data)\(\)$/.test(v)) return undefined;
    const recv = v.replace(/\.(?:c_str|data)\(\)$/, '');
    const temporary = /\.(?:str|substr)\([^()]*\)$|^(?:std::)?to_string\([^()]*\)$|^std::string\(.*\)$|^\(.*\+.*\)$/.test(recv);
    const decl = b.node.parent?.type === 'declaration' ? b.node.parent.text : b.node.text;
    if (!temporary || !/\bchar\s*(?:const\s*)?\*|\bauto\b/.test(decl)) return undefined;
    return { node: b.value ?? undefined, cwe: 'CWE-416', message: `\`${b.targetText}\` points into a temporary std::string (${recv}) destroyed at the end of this statement: later uses read freed memory; keep the std::string in a variable` };
  },
};

/** The container a loop iterates: `for (auto &x : C)` or `for (auto it = C.begin(); …)`. */
function loopContainer(loop: Node): string | undefined {
  if (loop.type === 'for_range_loop') {
    const right = loop.childForFieldName('right')?.text.trim() ?? '';
    return /^[A-Za-z_][\w.>-]*$/.test(right) ? right : undefined;
  }
  const init = loop.childForFieldName('initializer')?.text ?? '';
  return /=\s*(?:std::)?(?:c?begin\s*\(\s*([A-Za-z_][\w.>-]*)\s*\)|([A-Za-z_][\w.>-]*)\s*(?:\.|->)\s*c?begin\s*\(\s*\))/.exec(init)?.slice(1).find(Boolean);
}

function iteratorInvalidation(loop: Node, ctx: RuleContext): Hit | undefined {
  const container = loopContainer(loop);
  const body = loop.childForFieldName('body');
  if (!container || !body) return undefined;
  const name = container.replace(/[.>-]/g, (c) => `\\${c}`);
  // Node-based containers keep other iterators valid on insert.
  const decl = new RegExp(`std::(?:list|forward_list|map|multimap|set|multiset)\\s*<[^;]*>\\s*&?\\s*${lastName(container)}\\b`);
  if (decl.test(ctx.text)) return undefined;
  const text = body.text;
  const re = new RegExp(`(^|[^\\w.])(?:([A-Za-z_]\\w*)\\s*=\\s*)?${name}\\s*(?:\\.|->)\\s*(push_back|emplace_back|push_front|emplace_front|insert|emplace|erase|resize|reserve|clear|assign|shrink_to_fit)\\s*\\(`, 'g');
  for (const m of text.matchAll(re)) {
    // `it = v.erase(it)` is the correct idiom; a modification followed by leaving the loop is fine.
    if (m[2] && m[3] === 'erase') continue;
    const rest = text.slice((m.index ?? 0) + m[0].length);
    const stmtEnd = rest.indexOf(';');
    const after = rest.slice(stmtEnd + 1, stmtEnd + 120);
    if (/^\s*(?:break|return|goto)\b/.test(after)) continue;
    return { node: loop.childForFieldName('body') ?? loop, message: `\`${container}\` is modified with ${m[3]}() while a loop iterates over it: its iterators (and references to its elements) may be invalidated (use after free); collect the changes and apply them after the loop, or loop by index` };
  }
  return undefined;
}

/** Calls that keep a callback beyond the current call. */
const KEEPS_CALLBACK = /^(?:subscribe|register\w*|on[A-Z_]?\w*|add\w*(?:Listener|Handler|Callback|Observer)|connect|set\w*(?:Callback|Handler|Listener)|push_back|emplace_back|push|post|dispatch|submit|enqueue|schedule\w*|async|defer|then|detach|insert|emplace)$/;

function escapingRefLambda(lambda: Node, ctx: RuleContext): Hit | undefined {
  const captures = lambda.childForFieldName('captures')?.text ?? '';
  if (!/&/.test(captures)) return undefined;
  // What is captured by reference: `[&]` (everything used) or `[&x, &y]`.
  const named = [...captures.matchAll(/&\s*([A-Za-z_]\w*)/g)].map((m) => m[1]);
  const fnText = ctx.functionText();
  const locals = named.length ? named.filter((x) => new RegExp(`\\b(?:auto|int|long|double|float|bool|char|size_t|std::\\w+(?:<[^;]*>)?|[A-Z]\\w*(?:<[^;]*>)?)\\s*&?\\s+${x}\\s*(?:=|\\{|\\(|;)`).test(fnText)) : ['(all)'];
  if (locals.length === 0) return undefined;
  const p: Node | null = lambda.parent;
  if (p?.type === 'argument_list') {
    const call = p.parent;
    const callee = call?.childForFieldName('function')?.text ?? '';
    const name = /([A-Za-z_]\w*)\s*$/.exec(callee.replace(/<[^<>]*>$/, ''))?.[1] ?? '';
    // `std::thread(…)` / `std::thread t(…)` (a declaration) that is then detached.
    const declared = call?.type === 'init_declarator' ? (call.parent?.childForFieldName('type')?.text ?? '') : '';
    const thread = /^(?:std::)?thread$/.test(callee || declared) && /\.detach\s*\(/.test(fnText);
    if (!KEEPS_CALLBACK.test(name) && !thread) return undefined;
    return { node: lambda, message: `A lambda capturing ${named.length ? named.map((x) => `\`${x}\``).join(', ') : 'locals'} by reference is handed to ${thread ? 'a detached std::thread' : `${name || callee}()`}, which keeps it after this function returns: the references dangle (use after free); capture by value` };
  }
  if (p?.type === 'return_statement') return { node: lambda, message: 'A lambda capturing locals by reference is returned: the references dangle once this function returns (use after free); capture by value' };
  if (p?.type === 'assignment_expression' && /^(?:this->|\w+_\b|m_\w+)/.test(p.childForFieldName('left')?.text ?? '')) return { node: lambda, message: 'A lambda capturing locals by reference is stored in a member: the references dangle once this function returns (use after free); capture by value' };
  return undefined;
}

function danglingView(decl: Node, ctx: RuleContext): Hit | undefined {
  if (!/^(?:std::)?(?:w|u8|u16|u32)?string_view$/.test((decl.childForFieldName('type')?.text ?? '').replace(/\s+/g, ''))) return undefined;
  const init = decl.namedChildren.find((c) => c.type === 'init_declarator');
  const value = init?.childForFieldName('value');
  if (!value) return undefined;
  const v = value.type === 'initializer_list' || value.type === 'argument_list' ? value.namedChildren[0] : value;
  if (!v) return undefined;
  // A temporary std::string: a concatenation involving a std::string, std::string(...), or a call of a
  // function/method this file declares as returning std::string by value.
  const t = v.text;
  const callee = v.type === 'call_expression' ? (/([A-Za-z_]\w*)\s*$/.exec(v.childForFieldName('function')?.text ?? '')?.[1] ?? '') : '';
  const returnsString = !!callee && new RegExp(`(?:^|[\\s;}])(?:const\\s+)?std::(?:w|u8|u16|u32)?string\\s+(?:[A-Za-z_]\\w*::)?${callee}\\s*\\(`).test(ctx.text);
  const temporary = returnsString || /^(?:std::)?(?:w)?string\s*[({]/.test(t) || /\.(?:substr|str)\s*\([^)]*\)\s*$/.test(t) || /std::to_string\s*\(/.test(t);
  return temporary ? { node: v, message: 'The string_view refers to a temporary std::string that is destroyed at the end of this statement: reading it later is a use after free; keep a std::string' } : undefined;
}

export const useAfterFree = defineRule({
  id: 'c-use-after-free',
  name: 'Use after free',
  cwe: 'CWE-416',
  severity: 'high',
  pattern: 19,
  message: 'The pointer is used after it was freed',
  why: 'OpenSSF AI code assistant guide (C/C++): prefer memory-safe patterns; set pointers to NULL after free and do not touch freed memory.',
  description: 'free(p)/delete p followed, in the same block, by a use of p (dereference, call argument, release again) before p is reassigned; pointers kept into temporary std::strings; free() of a stack array or a local\'s address (CWE-590).',
  matchers: {
    c: [
      {
        // `for (n = head; n; n = n->next) free(n);`: the loop's step reads the node just freed.
        kind: 'node', trigger: /\bfree\s*\(|\bdelete\b/, anchor: /\bfor\s*\(/, types: ['for_statement'],
        check: (n) => {
          const m = /^([A-Za-z_]\w*)\s*=\s*\1\s*->\s*\w+$/.exec(n.childForFieldName('update')?.text.trim() ?? '');
          const body = n.childForFieldName('body')?.text ?? '';
          if (!m || !new RegExp(`(?:\\bfree\\s*\\(\\s*${m[1]}\\s*\\)|\\bdelete\\s+${m[1]}\\s*;)`).test(body)) return undefined;
          return { node: n.childForFieldName('update') ?? n, message: `\`${m[1]}\` is freed in the loop body and then read by the loop step \`${m[0]}\` (use after free); save the next pointer before freeing` };
        },
      },
      {
        // `p = realloc(p, n)`: when realloc fails it returns NULL and the old block leaks (and p is lost).
        kind: 'call', names: ['realloc'],
        check: (c) => {
          const p = c.node.parent;
          const target = p?.type === 'assignment_expression' ? p.childForFieldName('left')?.text.replace(/\s+/g, '') : undefined;
          if (!target || target !== c.args[0]?.text.replace(/\s+/g, '')) return undefined;
          // A robustness hint (info): the block leaks only when allocation already failed.
          return { node: c.node, cwe: 'CWE-401', severity: 'info', message: `\`${target} = realloc(${target}, …)\` loses the only pointer to the old block when realloc fails (memory leak, and the caller sees a NULL buffer); assign to a temporary first` };
        },
      },
      {
        // A lambda capturing locals by reference that outlives the call: handed to a registration /
        // async API, stored, or returned (C++ Core Guidelines F.53).
        kind: 'node', trigger: /\[\s*&/, types: ['lambda_expression'],
        check: (n, ctx) => escapingRefLambda(n, ctx),
      },
      {
        // `std::string_view v = make_string();`: a view of a temporary std::string that dies at the `;`.
        kind: 'node', trigger: /string_view\s+\w+\s*[={(]/, types: ['declaration'],
        check: (n, ctx) => danglingView(n, ctx),
      },
      {
        // Iterator invalidation: a loop over a vector/string/deque that grows or shrinks the same
        // container (`for (auto it = v.begin(); …) v.push_back(…)`, `for (auto &x : v) v.erase(…)`).
        kind: 'node', trigger: /\.\s*(?:push_back|emplace_back|push_front|emplace_front|insert|emplace|erase|resize|reserve|clear|assign|shrink_to_fit)\s*\(/, anchor: /\bfor\s*\(/,
        types: ['for_range_loop', 'for_statement'],
        check: (n, ctx) => iteratorInvalidation(n, ctx),
      },
      {
        kind: 'call',
        names: ['free', 'kfree', 'g_free'],
        check: (c, ctx) => usedAfterRelease(c.args[0], c.node.parent) ?? (c.name === 'free' ? freeOfStackHit(c, ctx) : undefined),
      },
      {
        // C++ `delete p;` / `delete[] p;` followed by a use of p.
        kind: 'node', trigger: /\bdelete\s*(?:\[\s*\])?\s*[A-Za-z_]/, types: ['delete_expression'],
        check: (n) => usedAfterRelease(n.namedChildren[n.namedChildren.length - 1], n.parent, 'delete'),
      },
      danglingCStr,
    ],
  },
});

/** `free(buf)` of an array declared in this function, or `free(&local)`: not heap memory (CWE-590). */
function freeOfStackHit(c: CallSite, ctx: RuleContext): Hit | undefined {
  const a = c.args[0]?.text.trim() ?? '';
  const name = /^&\s*([A-Za-z_]\w*)$/.exec(a)?.[1] ?? (/^[A-Za-z_]\w*$/.test(a) ? a : '');
  if (!name) return undefined;
  const fn = ctx.functionText();
  const array = new RegExp(`\\b(?:char|int|unsigned|short|long|float|double|bool|uint8_t|int\\w*_t|struct\\s+\\w+|[A-Z]\\w*)\\s+(?:\\w+\\s*\\[[^\\]]*\\]\\s*,\\s*)*${name}\\s*\\[[^\\]]*\\]\\s*[;=,]`).test(fn);
  const local = a.startsWith('&') && new RegExp(`(?:^|[;{}])\\s*(?:struct\\s+)?[A-Za-z_][\\w:<>]*\\s+${name}\\s*[;=]`, 'm').test(fn);
  if (!array && !local) return undefined;
  // The same name may also be a heap pointer on another preprocessor branch or path.
  if (new RegExp(`\\b${name}\\s*=\\s*(?:\\([^)]*\\)\\s*)?(?:malloc|calloc|realloc|strdup)\\s*\\(`).test(fn)) return undefined;
  return { cwe: 'CWE-590', message: `free() of \`${name}\`, which is ${array ? 'an array on the stack' : 'a local variable'}, not memory from malloc: the heap is corrupted` };
}

/**
 * A variable-length array sized by a parameter, a structure field or a string length
 * (`char buf[len + 1]`, `bool mask[src->n]`) with no check of that size in the function: a large
 * value overflows the stack (CWE-770/789).
 */
function vlaHit(n: Node, ctx: RuleContext): Hit | undefined {
  if (n.parent?.type !== 'declaration' && n.parent?.type !== 'init_declarator') return undefined;
  const decl = n.parent.type === 'declaration' ? n.parent : n.parent.parent;
  // A local (a block statement, also inside #ifdef branches), not a file-level or static array.
  if (!decl || !/^(?:compound_statement|preproc_(?:ifdef|if|else|elif))$/.test(decl.parent?.type ?? '') || /^\s*static\b/.test(decl.text)) return undefined;
  const size = n.childForFieldName('size')?.text.trim() ?? '';
  if (!size || /^(?:\d+[uUlL]*|[A-Z_][A-Z0-9_]*|sizeof\b.*|[A-Z_][A-Z0-9_]*\s*[-+*]\s*\d+)$/.test(size)) return undefined;
  const ids = (size.replace(/\bsizeof\s*\([^)]*\)/g, '').match(/[A-Za-z_]\w*/g) ?? []).filter((x) => !/^[A-Z_][A-Z0-9_]*$/.test(x));
  // C++ `const int n = 64; int a[n];` / constexpr / enumerators are compile-time constants.
  // So is a local set once from a literal (`size_t cap = 8192; char buf[cap];`).
  const fnText = ctx.functionText();
  const literalOnce = (x: string) => (fnText.match(new RegExp(`\\b${x}\\s*(?:[-+*/%|&^]?=(?!=)|\\+\\+|--)`, 'g')) ?? []).length === 1 && new RegExp(`\\b${x}\\s*=\\s*[\\d\\sA-Z_*+()-]+;`).test(fnText);
  const constant = (x: string) => literalOnce(x) || new RegExp(`\\b(?:const|constexpr)\\b[^;=(){}]*\\b${x}\\s*(?:=|\\{)\\s*[\\d(]|\\benum\\b[^;]*\\b${x}\\b`).test(ctx.text);
  if (!ids.length || ids.every((x) => constant(x))) return undefined;
  // A limit on the size: `len > 255`, `n >= MAX`, `MAX < n` (not a loop's `i < n`).
  const code = ctx.functionText();
  const terms = [size.replace(/\s*[-+]\s*\d+$/, ''), ...ids.filter((x) => x !== 'strlen')].map((x) => x.replace(/[.*+?^${}()|[\]\\>-]/g, '\\$&'));
  if (terms.some((x) => new RegExp(`(?:^|[^\\w.>])${x}\\s*(?:>|>=|<|<=)\\s*\\w|\\b(?:[A-Z_][A-Z0-9_]*|\\d+)\\s*(?:<|<=|>|>=)\\s*${x}(?![\\w])|\\b(?:MIN|min|std::min)\\s*\\(`).test(code))) return undefined;
  return { cwe: 'CWE-770', severity: 'low', message: `A variable-length array sized by \`${size}\` with no limit on it: a large value overflows the stack; check the size against a maximum or allocate on the heap` };
}

/** `free(p)` / `delete p` as a statement, then a use of p in a later statement of the block before p is reassigned. */
function usedAfterRelease(p: Node | undefined, stmt: Node | null, how = 'free'): Hit | undefined {
  if (!p || !/^[A-Za-z_][\w.>-]*$/.test(p.text)) return undefined;
  if (!stmt || stmt.type !== 'expression_statement') return undefined;
  const esc = p.text.replace(/[.>-]/g, (ch) => `\\${ch}`);
  const reassigned = new RegExp(`^\\s*${esc}\\s*=[^=]`);
  const use = new RegExp(`(?<![\\w.>])${esc}(?![\\w])`);
  for (let s = stmt.nextNamedSibling; s; s = s.nextNamedSibling) {
    const t = s.text;
    if (reassigned.test(t)) return undefined;
    if (/^(?:return|break|continue|goto)\b/.test(t) && !use.test(t)) return undefined;
    if (use.test(t)) {
      if (new RegExp(`${esc}\\s*=[^=]`).test(t) && !new RegExp(`${esc}\\s*(?:->|\\[)`).test(t)) return undefined;
      const dbl = new RegExp(`\\bfree\\s*\\(\\s*${esc}\\s*\\)|\\bdelete\\s*(?:\\[\\s*\\])?\\s*${esc}\\s*;`).test(t);
      return { node: s, cwe: dbl ? 'CWE-415' : 'CWE-416', message: dbl ? `\`${p.text}\` is released twice` : `\`${p.text}\` is used after ${how === 'free' ? 'free()' : 'delete'}` };
    }
  }
  return undefined;
}

/** Comparison of `name` against something anywhere in the code (a bounds check). */
function compared(name: string, code: string): boolean {
  return new RegExp(`\\b${name}\\s*(?:<=?|>=?|==|!=)|(?:<=?|>=?|==|!=)\\s*${name}\\b|!\\s*${name}\\b|\\bif\\s*\\(\\s*${name}\\s*[)&|]|&&\\s*${name}\\b|\\b(?:MIN|MAX|min|max|std::min|std::max|clamp|std::clamp)\\s*\\(`).test(code);
}

/** Declared type of `name` in `code` (`long long *values` -> `long long`), if it is a pointer. */
function pointeeType(name: string, code: string): string | undefined {
  const m = new RegExp(`((?:(?:const|unsigned|signed|struct|long|short)\\s+)*[A-Za-z_]\\w*)\\s*\\*\\s*${name}\\b`).exec(code);
  return m?.[1].replace(/\bconst\s+/g, '').trim();
}

export const cUncheckedIndex = defineRule({
  id: 'c-unchecked-index',
  name: 'Array index or offset not checked against the bounds',
  cwe: 'CWE-125',
  severity: 'medium',
  pattern: 19,
  message: 'An index derived from input or a length is used without a bounds check',
  why: 'OpenSSF ML-driven guide on LLM root causes: "missing conditional check (29.3%)" and "incorrect conditional check"; check indexes against the array size and lengths against zero before use.',
  description: 'C/C++: an index parsed with atoi/strtol used to subscript an array with no comparison of it in the function (CWE-129/125); s[len - 1] with len from strlen and no len > 0 check (underflow, CWE-787/125); pointer arithmetic scaled by sizeof on a typed pointer (CWE-468).',
  matchers: {
    c: [
      {
        // Anchored on the few `x = atoi(...)` / `n = strlen(...)` bindings, not on every subscript.
        kind: 'binding', trigger: /\b(?:ato(?:i|ll?)|strto(?:u?ll?)|strn?len|wcslen)\s*\(/,
        check: (b, ctx) => {
          const name = b.targets[0]?.text ?? '';
          let v = b.value;
          if (v?.type === 'cast_expression') v = v.childForFieldName('value');
          const fnName = v?.type === 'call_expression' ? (v.childForFieldName('function')?.text ?? '') : '';
          if (!/^[A-Za-z_]\w*$/.test(name) || b.pair || !fnName) return undefined;
          const isLen = /^(?:strn?len|wcslen)$/.test(fnName);
          if (!isLen && !/^(?:ato(?:i|ll?)|strto(?:u?ll?))$/.test(fnName)) return undefined;
          const fnNode = ctx.functionNode();
          if (!fnNode) return undefined;
          const code = ctx.functionText().replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => ' '.repeat(c.length));
          if (compared(name, code)) return undefined;
          // s[len - 1] (len = strlen(s), no len > 0 check) or arr[i] (i = atoi(...), no bounds check).
          const use = new RegExp(isLen ? `\\b([A-Za-z_][\\w.>-]*)\\s*\\[\\s*${name}\\s*-\\s*1\\s*\\]` : `\\b([A-Za-z_][\\w.>-]*)\\s*\\[\\s*${name}\\s*\\]`).exec(code);
          if (!use) return undefined;
          const at = fnNode.startIndex + use.index;
          const node = fnNode.descendantForIndex(at, at + use[0].length) ?? undefined;
          const write = new RegExp(`^\\s*=[^=]`).test(code.slice(use.index + use[0].length));
          const cwe = write ? 'CWE-787' : 'CWE-125';
          return isLen
            ? { node, cwe, message: `\`${use[0]}\` with ${name} = ${fnName}(...) and no check that ${name} > 0: an empty string indexes -1 (out of bounds)` }
            : { node, cwe, message: `\`${use[0]}\` uses an index parsed with ${fnName}() and no bounds check (CWE-129): check 0 <= ${name} < size first` };
        },
      },
      {
        // `scanf("%d", &i); ... arr[i]`: an index the user typed, never compared with the bounds.
        kind: 'call', names: ['scanf', 'fscanf', 'sscanf', 'scanf_s'],
        check: (c, ctx) => {
          const fi = c.name === 'scanf' || c.name === 'scanf_s' ? 0 : 1;
          const fmt = c.args[fi]?.text ?? '';
          if (!/^"/.test(fmt)) return undefined;
          const convs = [...fmt.matchAll(/%(?!%)\*?\d*(?:hh|h|ll|l|j|z|t|L)?([diouxXsScfeEgGaAp[n])/g)].filter((m) => !m[0].startsWith('%*')).map((m) => m[1]);
          const fnNode = ctx.functionNode();
          if (!fnNode) return undefined;
          const code = ctx.functionText().replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (x) => ' '.repeat(x.length));
          for (let j = 0; j < convs.length; j++) {
            if (!/[diuoxX]/.test(convs[j])) continue;
            const name = /^&\s*([A-Za-z_]\w*)$/.exec(c.args[fi + 1 + j]?.text ?? '')?.[1];
            if (!name || compared(name, code)) continue;
            const use = new RegExp(`\\b([A-Za-z_][\\w.>-]*)\\s*\\[\\s*${name}\\s*\\]`).exec(code);
            if (!use) continue;
            const at = fnNode.startIndex + use.index;
            const write = /^\s*=[^=]/.test(code.slice(use.index + use[0].length));
            return { node: fnNode.descendantForIndex(at, at + use[0].length) ?? undefined, cwe: write ? 'CWE-787' : 'CWE-125', message: `\`${use[0]}\` uses an index read with ${c.name}() and no bounds check (CWE-129): check 0 <= ${name} < size first` };
          }
          return undefined;
        },
      },
      {
        // `values + i * sizeof(long long)` on a `long long *`: pointer arithmetic already scales.
        kind: 'node', trigger: /\+\s*[\w()]+\s*\*\s*sizeof|sizeof\s*\([^)]*\)\s*\*\s*\w+\s*\)?\s*[,;)]/, types: ['binary_expression'],
        check: (n, ctx) => {
          if (n.childForFieldName('operator')?.text !== '+') return undefined;
          const base = n.childForFieldName('left')?.text ?? '';
          const off = n.childForFieldName('right')?.text ?? '';
          if (!/^[A-Za-z_]\w*$/.test(base) || !/\bsizeof\b/.test(off) || !/\*/.test(off)) return undefined;
          const t = pointeeType(base, ctx.functionText()) ?? pointeeType(base, ctx.text);
          if (!t || /^(?:(?:unsigned|signed)\s+)?char$|^(?:void|uint8_t|int8_t|BYTE|u8|gchar|guchar)$/.test(t)) return undefined;
          return { cwe: 'CWE-468', message: `\`${base}\` is a ${t} *: adding ${off} scales twice (pointer arithmetic already multiplies by sizeof(${t})); add the element count instead` };
        },
      },
    ],
  },
});

export const cppAutoPtr = defineRule({
  id: 'cpp-auto-ptr',
  name: 'std::auto_ptr',
  cwe: 'CWE-665',
  severity: 'low',
  pattern: 19,
  message: 'std::auto_ptr silently transfers ownership on copy (the source becomes null) and was removed in C++17; use std::unique_ptr',
  why: 'OpenSSF AI code assistant guide (C/C++): prefer memory-safe patterns; auto_ptr copies leave a null source behind and it deletes arrays with delete (CyberSecEval ICD maps it to CWE-665).',
  description: 'Uses of std::auto_ptr (deprecated in C++11, removed in C++17); CWE-762 when it owns a new[] array.',
  matchers: {
    c: [
      {
        kind: 'node', trigger: /\bauto_ptr\s*</, types: ['template_type', 'template_function'],
        check: (n) => {
          if (!/^auto_ptr\s*</.test(n.text)) return undefined;
          const top = n.parent?.type === 'qualified_identifier' ? n.parent : n;
          if (top !== n && !/^std\s*::/.test(top.text)) return undefined;
          // `auto_ptr<T> p(new T[n])`: delete instead of delete[] (mismatched deallocation).
          const decl = top.parent?.type === 'declaration' ? top.parent.text : '';
          return /\(\s*new\s+[\w:<>\s*]+\[/.test(decl)
            ? { cwe: 'CWE-762', severity: 'medium', message: 'std::auto_ptr owns an array from new[] but frees it with delete (mismatched deallocation); use std::unique_ptr<T[]> or std::vector' }
            : {};
        },
      },
    ],
  },
});

export const rustUnsafe = defineRule({
  id: 'rust-unsafe-without-safety-comment',
  name: 'unsafe block without a SAFETY comment',
  cwe: 'CWE-676',
  severity: 'low',
  pattern: 0,
  message: 'unsafe block with no `// SAFETY:` comment explaining why it is sound',
  why: 'OpenSSF AI code assistant guide (Rust): "avoid using unsafe blocks unless absolutely necessary and document any unsafe usage".',
  description: 'An unsafe { } block not preceded (on the lines just above) by a // SAFETY: comment.',
  matchers: {
    rust: [
      {
        kind: 'node', trigger: /unsafe/,
        types: ['unsafe_block'],
        check: (n, ctx) => {
          const start = n.startIndex;
          const before = ctx.text.slice(Math.max(0, start - 400), start);
          const lines = before.split('\n').slice(-4).join('\n');
          return /SAFETY:|Safety:/i.test(lines) ? undefined : {};
        },
      },
    ],
  },
});
