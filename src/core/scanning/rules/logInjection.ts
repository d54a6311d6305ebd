/** Log injection (CWE-117): untrusted text written into a log line without neutralising CR/LF. */
import type { Node } from 'web-tree-sitter';
import type { Hit, RuleContext } from '../rule';
import { defineRule } from '../rule';
import { San, taintFor } from './helpers';
import { goLogInjection, jsLogInjection } from './misc';

/**
 * Neutralisation of line breaks in the function: a character test against '\n' / '\r', a
 * strcspn/strpbrk/find_first_of for "\r\n", iscntrl/isprint filtering, or a sanitize/escape helper.
 */
const C_LOG_GUARD = /'\\[nr]'|\b(?:strcspn|strpbrk|strchr|find_first_of|find)\s*\([^;]*"[^"]*\\[rn]|\bis(?:cntrl|print|graph)\s*\(|\w*(?:sanitiz|escape|replace)\w*\s*\(/i;

/** Names of a log destination: `log_entry`, `logfile`, `access_log`, `logger`; not `login`/`catalog`. */
const LOG_NAME = /(?:^|_|[a-z](?=L))(?:log|Log|LOG)(?:_?(?:entry|line|msg|message|buf|buffer|file|fp|stream|out)|ger|file|fp|s)?$|^(?:std::)?clog$|^syslog$/;

/** `x` or `x.c_str()`: the variable a piece is read from. */
function pieceName(n: Node): string {
  return /^([A-Za-z_]\w*)(?:\s*\.\s*(?:c_str|data)\s*\(\s*\))?$/.exec(n.text.trim())?.[1] ?? '';
}

function signature(ctx: RuleContext): string {
  const fn = ctx.functionNode();
  const body = fn?.childForFieldName('body');
  return fn && body ? fn.text.slice(0, body.startIndex - fn.startIndex) : '';
}

/**
 * The enclosing function is called in this file, and only ever with literal arguments
 * (`log.info("started")`): a logging helper whose callers here log constants.
 */
function onlyConstantCallers(ctx: RuleContext): boolean {
  const fn = ctx.functionNode();
  const name = ctx.functionName().replace(/^.*(?:::|\.)/, '');
  if (!fn || !/^[A-Za-z_]\w*$/.test(name)) return false;
  const rest = ctx.text.slice(0, fn.startIndex) + ctx.text.slice(fn.endIndex);
  const calls = [...rest.matchAll(new RegExp(`\\b${name}\\s*\\(([^;{}]*)\\)`, 'gm'))];
  const literal = /^\s*(?:(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])'|-?\d[\w.]*|[A-Z_][A-Z0-9_]*)\s*(?:,\s*|$))*$/;
  return calls.length > 0 && calls.every((m) => literal.test(m[1]));
}

/**
 * A piece of the log line that the caller controls (a string parameter of this function) or that
 * carries a proven untrusted source, with no CR/LF neutralisation in the function.
 */
function logPieces(pieces: readonly Node[], ctx: RuleContext, sink: string): Hit | undefined {
  // Code only: a commented-out sanitiser does not count.
  if (C_LOG_GUARD.test(ctx.functionText().replace(/("(?:\\.|[^"\\\n])*")|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (_m, str: string | undefined) => str ?? ' '))) return undefined;
  const sig = signature(ctx);
  for (const p of pieces) {
    const name = pieceName(p);
    if (!name) continue;
    const v = ctx.val(p);
    if (v.c) continue;
    const t = taintFor(v, San.None);
    // A string parameter: `const char *msg`, `const std::string &msg`, `char msg[]`.
    const param = !!sig && new RegExp(`(?:char\\s*\\*|string\\s*&?|char)\\s*(?:const\\s+)?${name}\\s*(?:\\[\\s*\\])?\\s*[,)]`).test(sig);
    if (!t && !param) continue;
    if (!t && onlyConstantCallers(ctx)) continue;
    return { node: p, sink, taint: t, severity: t ? 'medium' : 'low', message: `\`${name}\` is written into a log entry with no CR/LF neutralisation: a value containing a newline forges extra log lines; replace \\r and \\n (or escape them) first` };
  }
  return undefined;
}

/** printf-family calls: index of the format argument and whether the call writes a log. */
function logFormatIndex(name: string, args: readonly Node[], ctx: RuleContext): number {
  if (name === 'syslog' || name === 'vsyslog') return 1;
  const fn = ctx.functionName();
  const dest = args[0]?.text ?? '';
  // `log_message`, `write_log`, `appendLog`, `logEvent`; not `isLoggedIn`, `login`, `catalog`.
  const logCtx = LOG_NAME.test(dest) || /(?:^|_)log(?:_|$)|[a-z]Log(?:[A-Z]|$)|^log(?:[A-Z]|$)/.test(fn);
  if (!logCtx) return -1;
  return /^(?:snprintf|vsnprintf)$/.test(name) ? 2 : /^(?:sprintf|fprintf|asprintf|dprintf|vsprintf|vfprintf)$/.test(name) ? 1 : -1;
}

export const logInjection = defineRule({
  id: 'log-injection',
  name: 'Untrusted text in a log entry',
  cwe: 'CWE-117',
  severity: 'low',
  pattern: 27,
  message: 'Untrusted text is written into a log entry without neutralising line breaks (log forging)',
  why: 'pyscg-0022 "Neutralize Untrusted Data in Logs": a CR/LF in logged input forges extra entries and misleads audits.',
  description: 'C/C++: syslog() or a printf-family call that writes a log line (log-named destination or function), and `log << ...` stream inserts, with a %s/string piece that is a string parameter or a proven untrusted source, and no CR/LF filtering in the function. Go: log.Printf-style calls with request data, and log entries built with Sprintf/concatenation (a log-named variable or a *Log function\'s result) from a string parameter, with no CR/LF replacement, %q or regexp validation.',
  matchers: {
    c: [
      {
        kind: 'call',
        names: ['syslog', 'vsyslog', 'snprintf', 'sprintf', 'fprintf', 'asprintf', 'dprintf'],
        check: (c, ctx) => {
          const i = logFormatIndex(c.name, c.args, ctx);
          const fmt = c.args[i]?.text ?? '';
          if (i < 0 || !/^"/.test(fmt)) return undefined;
          // The arguments that fill %s conversions.
          const convs = [...fmt.matchAll(/%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|j|z|t|L)?([diouxXeEfFgGaAcspn%])/g)].map((m) => m[1]).filter((k) => k !== '%');
          const pieces = convs.map((k, j) => (k === 's' ? c.args[i + 1 + j] : undefined)).filter((a): a is Node => !!a);
          return pieces.length ? logPieces(pieces, ctx, c.name) : undefined;
        },
      },
      {
        // C++: `log_entry << "[" << ts << "] Received: " << msg` on a log-named stream.
        kind: 'node',
        trigger: /\blog\w*\s*<<|\bclog\s*<</i,
        types: ['binary_expression'],
        check: (m, ctx) => {
          let n = m;
          while (n.parent?.type === 'binary_expression' && n.parent.childForFieldName('operator')?.text === '<<') n = n.parent;
          const parts: Node[] = [];
          for (let x: Node | null = n; x; ) {
            if (x.type === 'binary_expression' && x.childForFieldName('operator')?.text === '<<') {
              const r = x.childForFieldName('right');
              if (r) parts.unshift(r);
              x = x.childForFieldName('left');
            } else {
              parts.unshift(x);
              x = null;
            }
          }
          if (parts.length < 2 || !LOG_NAME.test(parts[0].text)) return undefined;
          return logPieces(parts.slice(1), ctx, `${parts[0].text} <<`);
        },
      },
    ],
    go: goLogInjection,
    javascript: jsLogInjection,
  },
});
