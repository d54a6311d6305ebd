/**
 * Demand-driven variable resolution for the data-flow pass. When a rule asks for the value of
 * `x` at some node, we look backwards through the enclosing function's text for occurrences of
 * `x`, and take the nearest one that is the target of a binding (assignment, declaration,
 * destructuring, loop variable, C out-parameter such as `sprintf(x, ...)`). Its right-hand side
 * is evaluated the same way, recursively. Parameters of web handlers are request data. Only code
 * on a path to a sink is ever touched, which keeps a scan close to the cost of the parse.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { Evaluator, rangeOf, UNKNOWN, type Env, type Val } from './dataflow';
import type { RuleLanguage } from './languages';
import { FunctionIndex } from './functions';
import { San, SOURCE_HINT } from './sources';
import { binding, type Dialect } from './syntax';

const MAX_OCCURRENCES = 40;
/** Keywords and constants that the identifier regex picks up but that are never variables. */
const NOT_NAMES = new Set(['true', 'false', 'null', 'None', 'nil', 'True', 'False', 'self', 'this', 'new', 'return', 'await', 'typeof', 'not', 'and', 'or', 'in', 'is', 'lambda', 'function']);
const MAX_CLIMB = 6;
const MAX_WORK = 20_000;
const MAX_CHAIN = 150;
/** Function names that say they validate (an allow-list, a safety or "public address" check). */
const VALIDATOR_NAME = /valid|safe|allow|permit|trusted|whitelist|public|^(?:_*)(?:check|ensure|assert|verify|guard)/i;
/** Path canonicalisation and prefix checks: together, the containment idiom. */
const PATH_RESOLVE = /\b(?:resolve|realpath|abspath|normpath|normalize|Clean|canonical|weakly_canonical|getCanonicalPath|getCanonicalFile|toRealPath|expand_path|Abs)\s*\(/;
const PATH_PREFIX_CHECK = /\b(?:startsWith|startswith|HasPrefix|starts_with|start_with\?|is_relative_to|relative_to|commonpath|indexOf)\s*\(/;
/** `x.startsWith("/")`, `strings.HasPrefix(x, "/")`, `x.start_with?("/")`, `x.startswith("/")`. */
const LOCAL_PATH_CHECK = /\b(?:startsWith|startswith|start_with\?|starts_with)\s*\(\s*["'`]\/["'`]\s*\)|\bHasPrefix\s*\([^,()]+,\s*["`]\/["`]\s*\)/;
/** Calls followed from a parameter to its callers (or into a helper's returns) in one chain. */
const MAX_HOPS = 3;

/** Writers through an out-parameter in C: which argument is written and from which args. */
const C_WRITERS: Record<string, { from: number; to?: number; append?: boolean; dst?: number }> = {
  sprintf: { from: 1 },
  vsprintf: { from: 1 },
  snprintf: { from: 2 },
  strcpy: { from: 1, to: 2 },
  strncpy: { from: 1, to: 2 },
  strcat: { from: 1, to: 2, append: true },
  strncat: { from: 1, to: 2, append: true },
  memcpy: { from: 1, to: 2 },
  fgets: { from: -1 },
  gets: { from: -1 },
  read: { from: -1, dst: 1 },
  recv: { from: -1, dst: 1 },
};

/** `id` appears as a callee in `code` (`id(`, `id (`): only then can it be a local helper's call. */
function isCalled(code: string, id: string): boolean {
  for (let i = code.indexOf(id); i >= 0; i = code.indexOf(id, i + 1)) {
    let k = i + id.length;
    while (code.charCodeAt(k) === 32) k++;
    if (code.charCodeAt(k) === 40 && (i === 0 || !nameChar(code.charCodeAt(i - 1), true))) return true;
  }
  return false;
}

/** [A-Za-z0-9_$] (and `@` when `at` is set): characters that continue a name. */
function nameChar(code: number, at: boolean): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36 || (at && code === 64);
}

/**
 * First whole-word occurrence of `name` in `hay` at or after `from` (not preceded by a name
 * character or, when `atBefore`, `@`; not followed by a name character), or -1. Same matches as
 * the regex `(?<![\w$@])name(?![\w$])`, without compiling a regex per name.
 */
function wordAt(hay: string, name: string, from: number, atBefore = true): number {
  if (!name) return -1;
  for (let i = hay.indexOf(name, from); i >= 0; i = hay.indexOf(name, i + 1)) {
    if (i > 0 && nameChar(hay.charCodeAt(i - 1), atBefore)) continue;
    const end = i + name.length;
    if (end < hay.length && nameChar(hay.charCodeAt(end), false)) continue;
    return i;
  }
  return -1;
}

export class DemandEnv implements Env {
  readonly evaluator: Evaluator;
  private readonly memo = new Map<string, Val | undefined>();
  private readonly busy = new Set<string>();
  private readonly fnCache = new Map<number, Node | null>();
  private readonly bindingIndex = new Map<string, Array<{ off: number; node: Node }>>();
  private readonly valueMemo = new Map<string, Val | undefined>();
  private readonly paramMemo = new Map<string, Val | undefined>();
  /** Lookups done in this scan: a cap keeps pathological files linear. */
  private work = 0;
  private depth = 0;

  constructor(
    private readonly tree: Tree,
    private readonly text: string,
    private readonly dialect: Dialect,
    private readonly family: RuleLanguage,
  ) {
    this.evaluator = new Evaluator(dialect, family);
    this.hint = SOURCE_HINT[family];
    this.functions = new FunctionIndex(tree, text, dialect, family);
  }

  private readonly functions: FunctionIndex;
  /** Inter-procedural hops in the current chain (parameter -> caller argument, call -> helper return). */
  private hops = 0;
  private readonly summaries = new Map<number, Val | undefined>();

  private readonly hint: RegExp;

  /** Value of an expression (rules call this through ctx.val). */
  val(n: Node | null | undefined): Val {
    return this.evaluator.eval(n, this);
  }

  /**
   * Cheap necessary condition for `val(n)` to carry taint: a source word in the expression, or
   * in the right-hand side of any earlier binding of a name it uses (transitively), or a
   * request-parameter. Text-only apart from the cached binding index, so taint-only sinks can
   * skip full evaluation of expressions that cannot reach a source.
   */
  mayTaint(n: Node): boolean {
    const fn = this.functionOf(n);
    return this.mayTaintText(n.text, n.startIndex, fn, 0, new Set());
  }

  private mayTaintText(text: string, before: number, fn: Node | null, depth: number, seen: Set<string>): boolean {
    if (depth > 8 || text.length > 5000) return true;
    if (this.hint.test(text)) return true;
    // Names outside string literals, plus what is interpolated into them ({x}, ${x}, #{x}, PHP "$x").
    const holes = (text.match(/\$?#?\{[^{}]*\}|\$[A-Za-z_]\w*/g) ?? []).join(' ');
    const code = text.replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""') + ' ' + holes;
    const ids = code.match(/(?<![\w$.])[$@]?[A-Za-z_][\w$]*/g) ?? [];
    for (const id of new Set(ids)) {
      const key = `${id}@${fn?.id ?? 0}`;
      if (seen.has(key) || NOT_NAMES.has(id)) continue;
      seen.add(key);
      const list = this.bindingsOf(id, fn);
      let bound = false;
      for (const b of list) {
        if (b.off >= before) continue;
        bound = true;
        const rhs = this.rhsText(b.node);
        if (rhs === undefined || this.mayTaintText(rhs, b.off, fn, depth + 1, seen)) return true;
      }
      if (bound) continue;
      if (fn) {
        const p = this.paramValue(id, fn);
        if (p) {
          if (p.taint) return true;
          continue;
        }
      }
      // A same-file helper: what it returns may read a source (`q = build_query()`).
      if (this.hops < MAX_HOPS && isCalled(code, id)) {
        for (const def of this.functions.definitionsOf(id)) {
          for (const r of this.functions.returnsOf(def, (x) => this.functionOf(x))) {
            if (this.mayTaintText(r.text, r.startIndex, def, depth + 1, seen)) return true;
          }
        }
      }
      if (fn && this.mayTaintText(id, fn.startIndex, this.functionOf(fn), depth + 1, seen)) return true;
    }
    return false;
  }

  /** Text a binding takes its value from (undefined when unknown: be conservative). */
  private rhsText(p: Node): string | undefined {
    // Memoized per binding node: every sink in a function re-reads the same bindings.
    if (this.rhsTexts.has(p.id)) return this.rhsTexts.get(p.id);
    let t: string | undefined;
    // C writers: the whole call, so an input reader's own name (`fgets(`, `recv(`) counts as a source word.
    if (p.type === 'call_expression') t = p.text;
    else t = binding(p, this.family)?.value?.text;
    this.rhsTexts.set(p.id, t);
    return t;
  }

  private readonly rhsTexts = new Map<number, string | undefined>();

  private readonly fnTexts = new Map<number, string>();
  private readonly paramNodes = new Map<number, { text: string; startIndex: number } | null>();

  /** Source text of a function (cached: each read costs a wasm call). */
  private fnText(fn: Node): string {
    let t = this.fnTexts.get(fn.id);
    if (t === undefined) this.fnTexts.set(fn.id, (t = fn.text));
    return t;
  }

  /** Parameter list of a function (cached). */
  private paramsOf(fn: Node): { text: string; startIndex: number } | null {
    let p = this.paramNodes.get(fn.id);
    if (p === undefined) {
      const n = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter') ?? fn.childForFieldName('declarator')?.childForFieldName('parameters') ?? null;
      this.paramNodes.set(fn.id, (p = n ? { text: n.text, startIndex: n.startIndex } : null));
    }
    return p;
  }

  /** Nearest enclosing function-like node, or null at top level. */
  functionOf(n: Node): Node | null {
    const cached = this.fnCache.get(n.id);
    if (cached !== undefined) return cached;
    const path: number[] = [];
    let cur: Node | null = n.parent;
    let found: Node | null = null;
    for (let i = 0; cur && i < 400; i++) {
      // A function ancestor answers first: its own cache entry holds the function around *it*.
      if (this.dialect.functions.has(cur.type)) {
        found = cur;
        break;
      }
      const c = this.fnCache.get(cur.id);
      if (c !== undefined) {
        found = c;
        break;
      }
      path.push(cur.id);
      cur = cur.parent;
    }
    this.fnCache.set(n.id, found);
    for (const id of path) this.fnCache.set(id, found);
    return found;
  }

  lookup(name: string, at: Node): Val | undefined {
    if (!/^[$@]?[A-Za-z_][\w$]*$/.test(name)) return undefined;
    const fn = this.functionOf(at);
    const v = this.lookupIn(name, at.startIndex, fn);
    if (v?.taint && fn && this.validatedBefore(name, at.startIndex, fn)) {
      const san = San.Url | San.Path;
      return { ...v, taint: { ...v.taint, san: (v.taint.san ?? 0) | san }, san: v.san | san };
    }
    return v;
  }

  /**
   * `validate_url(url)` as a statement, or `if not is_safe(url): abort()`, earlier in the
   * function: the value was checked by a validator that stops the request on failure (a URL or
   * path allow-list, a "public address" check). A statement call counts when its name says it
   * validates, or when it is a helper defined here that raises/throws/aborts; an `if` counts when
   * the called predicate's name says it validates and the branch leaves the function.
   */
  private validatedBefore(name: string, before: number, fn: Node): boolean {
    const body = fn.childForFieldName('body') ?? fn;
    if (before <= body.startIndex) return false;
    // The statements just before the use; minified code (very long lines) is not searched, so
    // these regexes stay linear.
    const text = this.text.slice(Math.max(body.startIndex, before - 8000), before);
    if (!text.includes(name) || /[^\n]{2000}/.test(text)) return false;
    const esc = name.replace(/\$/g, '\\$');
    const stmt = new RegExp(`(?:^|[\\n;{])\\s*(?:await\\s+|try\\s*!?\\s*|_\\s*=\\s*)?(?:(?:self|this)\\.)?([A-Za-z_]\\w*)\\s*\\(\\s*${esc}\\s*[,)]`, 'g');
    for (const m of text.matchAll(stmt)) {
      if (VALIDATOR_NAME.test(m[1])) return true;
      const defs = this.functions.definitionsOf(m[1]);
      if (defs.length === 1 && /\b(?:raise|throw|abort|panic|halt|fail)\b|HTTPException|http\.Error/.test(this.fnText(defs[0]))) return true;
    }
    const guard = new RegExp(`\\bif\\b\\s*\\(?\\s*(?:not\\s+|!\\s*)?(?:[\\w.]+\\.)?([A-Za-z_]\\w*)\\s*\\(\\s*${esc}\\b[^\\n]*(?:\\n[^\\n]*)?\\b(?:return|raise|throw|abort|redirect|halt|panic)\\b`, 'g');
    for (const m of text.matchAll(guard)) if (VALIDATOR_NAME.test(m[1])) return true;
    // `if (!"https".equals(u.getScheme()) || !isPublic(u.getHost())) return …`: a negated validator anywhere in the condition.
    const negated = new RegExp(`\\bif\\b[^\\n{]*?(?:\\bnot\\s+|!\\s*)(?:[\\w.]+\\.)?([A-Za-z_]\\w*)\\s*\\(\\s*${esc}\\b[^\\n]*(?:\\n[^\\n]*)?\\b(?:return|raise|throw|abort|redirect|halt|panic)\\b`, 'g');
    for (const m of text.matchAll(negated)) if (VALIDATOR_NAME.test(m[1])) return true;
    return false;
  }

  private lookupIn(name: string, before: number, fn: Node | null): Val | undefined {
    const key = `${name}@${before}@${fn?.id ?? 0}`;
    if (this.memo.has(key)) return this.memo.get(key);
    // Long chains of dependent assignments stop at a fixed depth (no unbounded recursion).
    if (this.busy.has(key) || this.depth > MAX_CHAIN) return UNKNOWN;
    this.busy.add(key);
    this.depth++;
    let v: Val | undefined;
    try {
      v = this.find(name, before, fn);
    } finally {
      this.busy.delete(key);
      this.depth--;
    }
    this.memo.set(key, v);
    return v;
  }

  /** Offsets of the bindings of `name` in `fn` (document order), found once per function. */
  private bindingsOf(name: string, fn: Node | null): Array<{ off: number; node: Node }> {
    const key = `${name}@${fn?.id ?? 0}`;
    let list = this.bindingIndex.get(key);
    if (list) return list;
    list = [];
    const start = fn ? fn.startIndex : 0;
    const hay = fn ? this.fnText(fn) : this.text;
    let checked = 0;
    // Whole-word occurrences (not after [\w$@], not before [\w$]) by indexOf: no regex per name.
    for (let at = wordAt(hay, name, 0); at >= 0 && checked < MAX_OCCURRENCES * 4; at = wordAt(hay, name, at + name.length)) {
      const off = start + at;
      // Cheap textual test first: only occurrences that can be binding targets touch the tree.
      if (!this.maybeTarget(off, name.length)) continue;
      checked++;
      const node = this.bindingNodeAt(name, off);
      if (node && this.functionOf(node) === fn) list.push({ off, node });
      else if (node && fn && this.functionOf(node)?.id === fn.id) list.push({ off, node });
    }
    this.bindingIndex.set(key, list);
    return list;
  }

  private find(name: string, before: number, fn: Node | null): Val | undefined {
    this.work++;
    if (this.work > MAX_WORK) return UNKNOWN;
    const list = this.bindingsOf(name, fn);
    for (let k = list.length - 1; k >= 0; k--) {
      const { off, node } = list[k];
      if (off >= before) continue;
      // `x = f(x)`: the use sits inside this binding; the value comes from an earlier one.
      if (node.startIndex <= before && before < node.endIndex && node.type !== 'for_statement' && node.type !== 'for_in_clause') continue;
      const v = this.valueOfBinding(name, node, fn);
      if (!v) continue;
      // `x = req.q; if (!x) { x = "/app" }`: a binding in a branch the use is not in may not have
      // run, so the value before it still reaches the use.
      if (this.conditional(node, before, fn)) {
        const earlier = this.lookupIn(name, node.startIndex, fn);
        return earlier ? joinValues(v, earlier) : v;
      }
      return v;
    }
    if (this.family === 'ruby') {
      const b = this.rubyBlockParam(name, before);
      if (b) return b;
    }
    if (fn) {
      const p = this.paramValue(name, fn);
      if (p) return p;
      // Closures and module-level names: the enclosing scope, before this function.
      return this.lookupIn(name, fn.startIndex, this.functionOf(fn));
    }
    return undefined;
  }

  /** The binding sits in a branch or loop body that does not contain the use at `use`. */
  private conditional(binding: Node, use: number, fn: Node | null): boolean {
    let p: Node | null = binding.parent;
    for (let i = 0; p && i < 40 && p.id !== fn?.id; i++, p = p.parent) {
      if (BRANCHES.has(p.type)) return !(p.startIndex <= use && use < p.endIndex);
    }
    return false;
  }

  /**
   * Superset test for "this occurrence is assigned": an `=`/`:=` later on the line (not `==`,
   * `<=`, `=>`…), or a loop/`as` header before it, or (C) the first argument of a writer call.
   */
  private maybeTarget(off: number, len: number): boolean {
    const text = this.text;
    let eol = text.indexOf('\n', off);
    if (eol < 0 || eol - off > 300) eol = Math.min(text.length, off + 300);
    const after = text.slice(off + len, eol);
    if (/^\s*(?:\[[^\]]*\]\s*)?(?:[-+*/%|&^.]|\?\?|<<|>>|\*\*|\/\/)?=(?![=~])/.test(after)) return true;
    if (/^[^;\n]*?(?:(?<![=!<>:])=(?![=>~])|:=|\s(?:in|of)\s)/.test(after) && /^\s*[,)}\]:]|^\s*\w|^\s*$/.test(after.slice(0, 2) || ' ')) return true;
    let bol = text.lastIndexOf('\n', off - 1) + 1;
    if (off - bol > 300) bol = off - 300;
    const before = text.slice(bol, off);
    if (/\b(?:for|foreach|as|range|catch|except|with)\b[^;\n]*$/.test(before)) return true;
    if (this.family === 'c' && /\b(?:sprintf|vsprintf|snprintf|strn?cpy|strn?cat|memcpy|fgets|gets|read|recv)\s*\(\s*$|\b(?:read|recv)\s*\(\s*[\w.>-]+\s*,\s*$/.test(before)) return true;
    return false;
  }

  /** The binding node (assignment-like, or a C writer call) whose target is the occurrence at `off`. */
  private bindingNodeAt(name: string, off: number): Node | undefined {
    const node = this.tree.rootNode.descendantForIndex(off, off + name.length);
    if (!node || node.startIndex !== off) return undefined;
    let cur: Node | null = node;
    for (let i = 0; cur && i < MAX_CLIMB; i++) {
      const p: Node | null = cur.parent;
      if (!p) return undefined;
      const t = p.type;
      if (this.dialect.functions.has(t)) return undefined;
      if (this.family === 'c' && t === 'argument_list') {
        const call = p.parent;
        const fname = call?.childForFieldName('function')?.text ?? '';
        return call && C_WRITERS[fname] && p.namedChildren[C_WRITERS[fname].dst ?? 0]?.startIndex === off ? call : undefined;
      }
      if (this.dialect.assigns.has(t)) {
        const b = binding(p, this.family);
        if (!b || b.pair || !b.value) return undefined;
        return b.targets.some((x) => x.startIndex <= off && off < x.endIndex) ? p : undefined;
      }
      // Stop at statement boundaries: the name is used, not bound, here.
      if (/statement$|^block$|^compound_statement$|^body_statement$|^program$|^module$/.test(t)) return undefined;
      cur = p;
    }
    return undefined;
  }

  /** Value a binding node gives `name` (memoized per binding). */
  private valueOfBinding(name: string, p: Node, fn: Node | null): Val | undefined {
    const key = `${name}#${p.id}`;
    if (this.valueMemo.has(key)) return this.valueMemo.get(key);
    if (this.busy.has(key)) return UNKNOWN;
    this.busy.add(key);
    let v: Val | undefined;
    try {
      if (p.type === 'call_expression') v = this.cWriter(name, p, fn);
      else {
        const b = binding(p, this.family);
        if (b && b.value) {
          v = this.val(b.value);
          if (b.loop) v = { ...v, str: false };
          // C `buf[n] = '\0'` writes one element: the rest of the buffer keeps its earlier value.
          const element = this.family === 'c' && b.targetText.startsWith(name) && /^\s*\[/.test(b.targetText.slice(name.length));
          if (b.augmented || element) {
            const old = this.lookupIn(name, p.startIndex, fn);
            if (old) v = { c: old.c && v.c, taint: old.taint ?? v.taint, san: old.c ? v.san : v.c ? old.san : old.san & v.san, text: (old.text + v.text).slice(0, 2000), str: old.str || v.str, dyn: old.dyn || v.dyn || !v.c };
          }
          if (b.targets.length > 1) v = { ...v, text: '{}', str: false };
          // `rows, err := db.Query(q, input)`: the error/ok result does not carry the input.
          if ((b.targets.length > 1 && /^(?:err|error|ok|_)$/.test(name)) || (this.family === 'go' && name === 'err')) v = UNKNOWN;
        }
      }
    } finally {
      this.busy.delete(key);
    }
    this.valueMemo.set(key, v);
    return v;
  }

  /** C: `sprintf(buf, fmt, ...)` / `strcpy(buf, src)` / `fgets(buf, ...)` define buf. */
  private cWriter(name: string, call: Node, fn: Node | null): Val | undefined {
    const fname = call.childForFieldName('function')?.text ?? '';
    const w = C_WRITERS[fname];
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    if (!w) return undefined;
    if (w.from < 0) {
      // What a user types (gets, fgets from stdin, read from fd 0) or a peer sends (recv) is untrusted.
      const stdin = fname === 'gets' || (fname === 'fgets' && /^stdin$/.test(args[2]?.text ?? '')) || (fname === 'read' && /^(?:0|STDIN_FILENO)$/.test(args[0]?.text ?? ''));
      const taint = stdin ? { kind: 'cli' as const, label: `${fname}() from stdin`, range: rangeOf(call) } : fname === 'recv' ? { kind: 'request' as const, label: 'recv() network data', range: rangeOf(call) } : undefined;
      return { c: false, san: 0, text: '{}', str: true, dyn: true, taint };
    }
    const parts = args.slice(w.from, w.to).map((a) => this.val(a));
    let v: Val = parts[0] ?? UNKNOWN;
    for (const x of parts.slice(1)) v = { c: v.c && x.c, taint: v.taint ?? x.taint, san: v.san & x.san, text: v.text, str: true, dyn: v.dyn || !x.c };
    v = { ...v, str: true };
    if (w.append) {
      const old = this.lookupIn(name, call.startIndex, fn);
      if (old) v = { c: old.c && v.c, taint: old.taint ?? v.taint, san: old.san & v.san, text: (old.text + v.text).slice(0, 2000), str: true, dyn: old.dyn || v.dyn };
    }
    return v;
  }

  /**
   * Ruby: a block parameter takes an element of the collection the block iterates
   * (`params[:q].split(" ").map { |w| … }`, `rows.each do |r| … end`): the receiver's value.
   */
  private rubyBlockParam(name: string, before: number): Val | undefined {
    for (let p: Node | null = this.tree.rootNode.descendantForIndex(before, before); p && !this.dialect.functions.has(p.type); p = p.parent) {
      if (p.type !== 'block' && p.type !== 'do_block') continue;
      const params = p.namedChildren.find((c) => c.type === 'block_parameters');
      if (!params || !params.namedChildren.some((c) => c.text === name)) continue;
      const recv = p.parent?.type === 'call' ? p.parent.childForFieldName('receiver') : null;
      if (!recv) return UNKNOWN;
      const v = this.val(recv);
      return { ...v, str: false, text: v.c ? '' : '{}' };
    }
    return undefined;
  }

  /** Parameters: request data for web handlers (route decorators, framework annotations), else unknown. */
  private paramValue(name: string, fn: Node): Val | undefined {
    const key = `${name}@${fn.id}`;
    if (this.paramMemo.has(key)) return this.paramMemo.get(key);
    const v = this.paramValueUncached(name, fn);
    this.paramMemo.set(key, v);
    return v;
  }

  private paramValueUncached(name: string, fn: Node): Val | undefined {
    const params = this.paramsOf(fn);
    if (!params) return undefined;
    const ptext = params.text;
    const pos = wordAt(ptext, name, 0, false);
    if (pos < 0) return undefined;
    // The declaration of this one parameter: text between the top-level separators around it
    // (an annotation's own parentheses, `@RequestParam(defaultValue = "/") String next`, stay in).
    const decl = ptext.slice(paramStart(ptext, pos), paramEnd(ptext, pos));
    const annotated = /@(?:RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|QueryParam|PathParam|FormParam|ModelAttribute|RequestPart)\b|\[\s*From(?:Query|Body|Route|Form|Header)\b/.test(decl);
    const fastapi = this.family === 'python' && /=\s*(?:fastapi\.)?(?:Query|Body|Form|Path|Header|Cookie|File)\(/.test(decl);
    const route = this.family === 'python' && isRouteHandler(fn);
    if (annotated || fastapi || route) {
      const at = this.text.indexOf(name, params.startIndex + pos);
      const node = this.tree.rootNode.descendantForIndex(at, at + name.length);
      return { c: false, san: 0, text: '{}', str: false, dyn: true, taint: { kind: 'request', label: `${name} (request parameter)`, range: rangeOf(node ?? fn) } };
    }
    return this.fromCallers(name, fn) ?? UNKNOWN;
  }

  /**
   * Inter-procedural step: a parameter of a function defined in this file carries whatever its
   * callers here pass for it. Only tainted arguments matter (a sink fed by a parameter stays
   * "unknown" otherwise); the finding names the source and the call it came through.
   */
  private fromCallers(name: string, fn: Node): Val | undefined {
    if (this.hops >= MAX_HOPS) return undefined;
    const fname = this.functions.nameOf(fn);
    if (!fname) return undefined;
    this.hops++;
    try {
      for (const { call, arg } of this.functions.argumentsFor(fn, name)) {
        const v = this.val(arg);
        // Remote data only: a `main` that hands argv/env to a function is the invoking user's own
        // authority (CodeQL's "local" threat model), and CLI harnesses around library code are common.
        if (v.taint && !v.c && v.taint.kind !== 'cli' && v.taint.kind !== 'env') {
          const taint = { ...v.taint, label: `${v.taint.label} via ${fname}() at line ${call.startPosition.row + 1}` };
          return { c: false, taint, san: v.san, text: '{}', str: v.str, dyn: true };
        }
      }
    } finally {
      this.hops--;
    }
    return undefined;
  }

  /**
   * What a call of a same-file helper returns, evaluated once per helper: the join of its return
   * expressions (a source read inside it, the sanitisers every return went through, constant
   * text). Undefined when `name` is not defined here or the helper is being evaluated already.
   */
  callSummary(name: string): Val | undefined {
    const defs = this.functions.definitionsOf(name);
    if (defs.length !== 1) return undefined;
    const def = defs[0];
    if (this.summaries.has(def.id)) return this.summaries.get(def.id);
    if (this.hops >= MAX_HOPS || this.busy.has(`sum#${def.id}`)) return undefined;
    // Only a summary computed with the full hop budget is reused (no call-order dependence).
    const complete = this.hops === 0;
    this.busy.add(`sum#${def.id}`);
    this.hops++;
    let v: Val | undefined;
    try {
      const rets = this.functions.returnsOf(def, (x) => this.functionOf(x)).map((r) => this.val(r));
      if (rets.length) {
        let c = true;
        let san = -1;
        let taint: Val['taint'];
        for (const r of rets) {
          c &&= r.c;
          if (!r.c) san &= r.san;
          taint ??= r.taint;
        }
        const str = rets.every((r) => r.str);
        v = { c, taint, san: c ? rets[0].san : san === -1 ? 0 : san, text: str ? rets[0].text : '{}', str, dyn: !c };
        // A helper that resolves a path and checks its prefix (returning null/raising otherwise)
        // is a containment check: what it returns is safe for file APIs.
        const body = this.fnText(def);
        if (PATH_RESOLVE.test(body) && PATH_PREFIX_CHECK.test(body)) v = { ...v, san: v.san | San.Path, taint: v.taint ? { ...v.taint, san: (v.taint.san ?? 0) | San.Path } : undefined };
        // A helper that only lets through local paths (starts with "/" but not "//") returns a safe redirect target.
        if (LOCAL_PATH_CHECK.test(body) && /["'`]\/\/["'`]/.test(body)) v = { ...v, san: v.san | San.Url, taint: v.taint ? { ...v.taint, san: (v.taint.san ?? 0) | San.Url } : undefined };
      }
    } finally {
      this.hops--;
      this.busy.delete(`sum#${def.id}`);
    }
    if (complete) this.summaries.set(def.id, v);
    return v;
  }
}

/** Statements whose body may not run: a binding inside one does not replace the value before it. */
const BRANCHES = new Set([
  'if_statement', 'elif_clause', 'else_clause', 'else', 'if', 'unless', 'if_modifier', 'unless_modifier', 'when', 'case', 'switch_case', 'switch_default',
  'expression_case', 'default_case', 'type_case', 'case_clause', 'catch_clause', 'except_clause', 'rescue', 'while_statement', 'while', 'until',
  'for_statement', 'for_in_statement', 'enhanced_for_statement', 'for_range_loop', 'foreach_statement', 'do_statement', 'try_statement',
]);

/** Either value may reach the use: untrusted if either is, constant only if both are. */
function joinValues(a: Val, b: Val): Val {
  const c = a.c && b.c;
  const taint = a.taint ?? b.taint;
  const san = c ? a.san & b.san : a.c ? b.san : b.c ? a.san : a.san & b.san;
  return { c, taint, san, text: a.str && !a.c ? a.text : b.str ? b.text : a.text, str: a.str || b.str, dyn: a.dyn || b.dyn || !c };
}

/** Start of the parameter declaration around `pos` in a parameter list's text: after the previous top-level `,` or the list's `(`. */
function paramStart(ptext: string, pos: number): number {
  let depth = 0;
  for (let i = pos - 1; i >= 0; i--) {
    const ch = ptext[i];
    if (ch === ')' || ch === ']' || ch === '>') depth++;
    else if (ch === '(' || ch === '[' || ch === '<') {
      if (depth === 0) return i + 1;
      depth--;
    } else if (ch === ',' && depth === 0) return i + 1;
  }
  return 0;
}

/** End of the parameter declaration around `pos`: the next top-level `,` or the list's `)`. */
function paramEnd(ptext: string, pos: number): number {
  let depth = 0;
  for (let i = pos; i < ptext.length; i++) {
    const ch = ptext[i];
    if (ch === '(' || ch === '[' || ch === '<') depth++;
    else if (ch === ')' || ch === ']' || ch === '>') {
      if (depth === 0) return i;
      depth--;
    } else if (ch === ',' && depth === 0) return i;
  }
  return ptext.length;
}

/** Python function decorated as a web route (Flask/FastAPI/Django-ninja style). */
export function isRouteHandler(fn: Node): boolean {
  const p = fn.parent;
  if (!p || p.type !== 'decorated_definition') return false;
  return /@\w+(?:\.\w+)*\.(?:route|get|post|put|delete|patch|api_route|websocket)\s*\(/.test(p.text.slice(0, Math.max(0, fn.startIndex - p.startIndex)));
}
