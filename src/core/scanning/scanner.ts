/**
 * The scan: parse once, walk the tree once with a TreeCursor (iterative, so deep nesting cannot
 * overflow the stack), dispatch each node by type to the matchers of the rules for that
 * language, and run the data-flow evaluator as assignments go by. A time budget and an
 * AbortSignal are checked during the parse (progress callback) and every few hundred nodes.
 */
import type { Language, Node, Parser, Tree } from 'web-tree-sitter';
import { throwIfAborted } from '../abort';
import { Evaluator, Scope, rangeOf, type Val } from './dataflow';
import { SEVERITIES, type Finding, type Severity } from './finding';
import { ruleLanguageFor, type LanguageId, type RuleLanguage } from './languages';
import { cweUrl, type Hit, type Matcher, type Rule, type RuleContext } from './rule';
import { binding, callSite, Cat, DIALECTS, functionName as fnNameOf, stringContent, type CallSite, type Dialect } from './syntax';

/** Options for one scan. */
export interface ScanOptions {
  signal?: AbortSignal;
  /** Stop (parse or walk) after this many ms and return `truncated: true`. Default 2000. */
  timeBudgetMs?: number;
  /** Drop findings below this severity. Default 'info' (keep all). */
  minSeverity?: Severity;
}

/** Result of one scan. */
export interface ScanResult {
  findings: Finding[];
  /** The time budget ran out: findings cover only part of the document (possibly none). */
  truncated: boolean;
  /** Total time in ms (parse + walk). */
  elapsedMs: number;
  /** Parse time in ms. */
  parseMs: number;
  /** The parse tree had syntax errors (the scan still ran; assistant snippets often are partial). */
  hasSyntaxErrors: boolean;
}

interface Dispatch {
  dialect: Dialect;
  /** Node type id -> category. */
  cats: Uint8Array;
  callsByName: Map<string, Array<{ rule: Rule; m: Extract<Matcher, { kind: 'call' }> }>>;
  callsAny: Array<{ rule: Rule; m: Extract<Matcher, { kind: 'call' }> }>;
  bindings: Array<{ rule: Rule; m: Extract<Matcher, { kind: 'binding' }> }>;
  strings: Array<{ rule: Rule; m: Extract<Matcher, { kind: 'string' }> }>;
  compares: Array<{ rule: Rule; m: Extract<Matcher, { kind: 'compare' }> }>;
  nodes: Map<string, Array<{ rule: Rule; m: Extract<Matcher, { kind: 'node' }> }>>;
}

const dispatchCache = new WeakMap<Language, Map<RuleLanguage, Dispatch>>();

function buildDispatch(lang: Language, family: RuleLanguage, rules: readonly Rule[]): Dispatch {
  const dialect = DIALECTS[family];
  const d: Dispatch = { dialect, cats: new Uint8Array(lang.nodeTypeCount + 1), callsByName: new Map(), callsAny: [], bindings: [], strings: [], compares: [], nodes: new Map() };
  for (const rule of rules) {
    for (const m of rule.matchers[family] ?? []) {
      switch (m.kind) {
        case 'call':
          if (m.names) for (const n of m.names) (d.callsByName.get(n) ?? d.callsByName.set(n, []).get(n)!).push({ rule, m });
          else d.callsAny.push({ rule, m });
          break;
        case 'binding':
          d.bindings.push({ rule, m });
          break;
        case 'string':
          d.strings.push({ rule, m });
          break;
        case 'compare':
          d.compares.push({ rule, m });
          break;
        case 'node':
          for (const t of m.types) (d.nodes.get(t) ?? d.nodes.set(t, []).get(t)!).push({ rule, m });
          break;
      }
    }
  }
  for (let id = 0; id <= lang.nodeTypeCount; id++) {
    const t = lang.nodeTypeForId(id);
    if (!t) continue;
    let cat = Cat.None;
    if (d.nodes.has(t)) cat = Cat.Other;
    else if (dialect.calls.has(t)) cat = Cat.Call;
    else if (dialect.functions.has(t)) cat = Cat.Function;
    else if (dialect.assigns.has(t)) cat = Cat.Assign;
    else if (dialect.strings.has(t)) cat = Cat.String;
    else if (dialect.binaries.has(t)) cat = Cat.Compare;
    // A node type may need several roles (a call that is also a 'node' rule target): Other runs all.
    if (cat === Cat.Other && (dialect.calls.has(t) || dialect.functions.has(t) || dialect.assigns.has(t) || dialect.strings.has(t))) cat = Cat.Other;
    d.cats[id] = cat;
  }
  return d;
}

function dispatchFor(lang: Language, family: RuleLanguage, rules: readonly Rule[]): Dispatch {
  let byFamily = dispatchCache.get(lang);
  if (!byFamily) dispatchCache.set(lang, (byFamily = new Map()));
  let d = byFamily.get(family);
  if (!d) byFamily.set(family, (d = buildDispatch(lang, family, rules)));
  return d;
}

const CHECK_EVERY = 512;

/** Runs one scan with an already-configured parser. The tree is always freed. */
export function runScan(parser: Parser, languageId: LanguageId, text: string, rules: readonly Rule[], opts: ScanOptions = {}): ScanResult {
  const t0 = performance.now();
  const budget = opts.timeBudgetMs ?? 2000;
  const deadline = t0 + budget;
  const signal = opts.signal;
  throwIfAborted(signal);
  const family = ruleLanguageFor(languageId);
  let stopped = false;
  let tree: Tree | null = null;
  try {
    tree = parser.parse(text, null, {
      // Returning true cancels the parse (the .d.ts types it as void).
      progressCallback: (() => {
        if (performance.now() > deadline || signal?.aborted) {
          stopped = true;
          return true;
        }
        return false;
      }) as unknown as () => void,
    });
  } finally {
    if (!tree) parser.reset();
  }
  const parseMs = performance.now() - t0;
  throwIfAborted(signal);
  if (!tree) return { findings: [], truncated: true, elapsedMs: parseMs, parseMs, hasSyntaxErrors: false };
  try {
    const lang = parser.language!;
    const d = dispatchFor(lang, family, rules);
    const findings: Finding[] = [];
    const truncated = walk(tree, d, family, text, deadline, signal, findings) || stopped;
    const minIdx = SEVERITIES.indexOf(opts.minSeverity ?? 'info');
    const kept = dedupe(findings).filter((f) => SEVERITIES.indexOf(f.severity) >= minIdx);
    kept.sort((a, b) => a.range.startLine - b.range.startLine || a.range.startCol - b.range.startCol || a.ruleId.localeCompare(b.ruleId));
    return { findings: kept, truncated, elapsedMs: performance.now() - t0, parseMs, hasSyntaxErrors: tree.rootNode.hasError };
  } finally {
    tree.delete();
  }
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of fs) {
    const k = `${f.ruleId}:${f.range.startLine}:${f.range.startCol}:${f.range.endLine}:${f.range.endCol}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out;
}

/** Walks the tree; returns true when cut short by the budget. */
function walk(tree: Tree, d: Dispatch, family: RuleLanguage, text: string, deadline: number, signal: AbortSignal | undefined, out: Finding[]): boolean {
  const evaluator = new Evaluator(d.dialect, family);
  let scope = new Scope(undefined, null, -1);
  let current: Node = tree.rootNode;
  const fileCache = new Map<RegExp, boolean>();
  let fnTextCache: { fn: Node | null; text: string } | undefined;
  const ctx: RuleContext = {
    family,
    text,
    val: (n) => evaluator.eval(n, scope),
    fileHas: (re) => {
      let v = fileCache.get(re);
      if (v === undefined) fileCache.set(re, (v = re.test(text)));
      return v;
    },
    functionText: () => {
      if (!fnTextCache || fnTextCache.fn !== scope.fn) fnTextCache = { fn: scope.fn, text: scope.fn ? scope.fn.text : text };
      return fnTextCache.text;
    },
    functionName: () => (scope.fn ? fnNameOf(scope.fn) : ''),
    functionNode: () => scope.fn,
    range: rangeOf,
  };

  const emit = (rule: Rule, node: Node, hit: Hit) => {
    const target = hit.node ?? node;
    const f: Finding = {
      ruleId: rule.id,
      cwe: hit.cwe ?? rule.cwe,
      severity: hit.severity ?? rule.severity,
      message: hit.message ?? rule.message,
      why: rule.why,
      helpUrl: cweUrl(hit.cwe ?? rule.cwe),
      range: rangeOf(target),
    };
    if (hit.taint) {
      f.flow = { source: hit.taint.label, sourceRange: hit.taint.range, sink: hit.sink ?? target.text.slice(0, 60) };
      if (hit.taint.kind === 'llm' && !hit.message) f.message = `${rule.message} (the value is LLM output, which a prompt injection controls)`;
    }
    if (hit.fixes?.length) f.fixes = hit.fixes;
    out.push(f);
  };

  const safe = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch {
      // A matcher must never take the scan down (broken trees have odd shapes).
      return undefined;
    }
  };

  const onCall = (node: Node) => {
    const site = callSite(node, family);
    if (!site) return;
    if (family === 'c') trackCBuffer(site);
    const named = d.callsByName.get(site.name);
    if (named) for (const { rule, m } of named) {
      const hit = safe(() => m.check(site, ctx));
      if (hit) emit(rule, node, hit);
    }
    for (const { rule, m } of d.callsAny) {
      const hit = safe(() => m.check(site, ctx));
      if (hit) emit(rule, node, hit);
    }
  };

  // C writes strings through out-parameters: `sprintf(buf, fmt, x)` / `strcat(buf, x)` define buf.
  const trackCBuffer = (site: CallSite) => {
    const n = site.name;
    const dst = site.args[0];
    if (!dst || dst.type !== 'identifier') return;
    if (n === 'sprintf' || n === 'snprintf' || n === 'strcpy' || n === 'strncpy' || n === 'strcat' || n === 'strncat' || n === 'memcpy') {
      const parts = n === 'snprintf' ? site.args.slice(2) : site.args.slice(1, n.startsWith('strn') || n === 'memcpy' ? 2 : undefined);
      const vals = parts.map((p) => evaluator.eval(p, scope));
      let v: Val = vals.length ? { ...vals[0], str: true } : evaluator.eval(null, scope);
      for (const x of vals.slice(1)) v = { c: v.c && x.c, taint: v.taint ?? x.taint, san: v.san & x.san, text: v.text, str: true, dyn: v.dyn || !x.c };
      if (n.includes('cat')) {
        const old = scope.lookup(dst.text);
        if (old) v = { c: old.c && v.c, taint: old.taint ?? v.taint, san: old.san & v.san, text: (old.text + v.text).slice(0, 2000), str: true, dyn: old.dyn || v.dyn };
      }
      scope.vars.set(dst.text, v);
    }
  };

  const onBinding = (node: Node) => {
    const b = binding(node, family);
    if (!b) return;
    for (const { rule, m } of d.bindings) {
      const hit = safe(() => m.check(b, ctx));
      if (hit) emit(rule, node, hit);
    }
    if (b.pair || !b.value) return;
    // Data flow: record the value of each bound name.
    let v: Val = evaluator.eval(b.value, scope);
    if (b.loop) v = { ...v, str: false, c: v.c };
    for (const t of b.targets) {
      const name = t.text;
      if (name.length > 200) continue;
      if (b.augmented) {
        const old = scope.lookup(name);
        if (old) {
          v = { c: old.c && v.c, taint: old.taint ?? v.taint, san: old.c ? v.san : v.c ? old.san : old.san & v.san, text: (old.text + v.text).slice(0, 2000), str: old.str || v.str, dyn: old.dyn || v.dyn || !v.c };
        }
      }
      scope.vars.set(name, b.targets.length > 1 ? { ...v, text: '{}', str: false } : v);
    }
  };

  const onString = (node: Node) => {
    if (!d.strings.length) return;
    // Interpolated strings' nested strings are visited too; only check text-bearing literals.
    const content = stringContent(node);
    if (content.length < 8) return;
    for (const { rule, m } of d.strings) {
      const hit = safe(() => m.check(node, content, ctx));
      if (hit) emit(rule, node, hit);
    }
  };

  const onCompare = (node: Node) => {
    if (!d.compares.length) return;
    const left = node.childForFieldName('left') ?? node.namedChildren[0];
    const right = node.childForFieldName('right') ?? node.namedChildren[1];
    if (!left || !right) return;
    const opNode = node.childForFieldName('operator') ?? node.childForFieldName('operators');
    let op = opNode?.text ?? '';
    if (!op) {
      const between = text.slice(left.endIndex, right.startIndex).trim();
      op = between;
    }
    if (!/^(?:==|!=|===|!==)$/.test(op)) return;
    for (const { rule, m } of d.compares) {
      const hit = safe(() => m.check(node, left, right, op, ctx));
      if (hit) emit(rule, node, hit);
    }
  };

  const onFunction = (node: Node, depth: number) => {
    scope = new Scope(scope, node, depth);
    // Parameters are unknown (non-constant) data; a few frameworks make them request data.
    const params = node.childForFieldName('parameters') ?? node.childForFieldName('parameter');
    if (!params) return;
    const routeDecorated = family === 'python' && isRouteHandler(node);
    for (const p of params.type === 'identifier' ? [params] : params.namedChildren) {
      const nameNode = paramName(p);
      if (!nameNode) continue;
      const annotated = /@(?:RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|QueryParam|PathParam|FormParam|ModelAttribute|RequestPart)\b|\[\s*From(?:Query|Body|Route|Form|Header)\b/.test(p.text);
      const fastapiDefault = family === 'python' && /=\s*(?:fastapi\.)?(?:Query|Body|Form|Path|Header|Cookie|File)\(/.test(p.text);
      if (routeDecorated || annotated || fastapiDefault) {
        scope.vars.set(nameNode.text, { c: false, san: 0, text: '{}', str: false, dyn: true, taint: { kind: 'request', label: `${nameNode.text} (request parameter)`, range: rangeOf(nameNode) } });
      }
    }
  };

  // Iterative pre-order walk with explicit enter/leave for function scopes.
  const cursor = tree.walk();
  try {
    let depth = 0;
    let visited = 0;
    const cats = d.cats;
    for (;;) {
      if (++visited % CHECK_EVERY === 0) {
        if (performance.now() > deadline) return true;
        throwIfAborted(signal);
      }
      const cat = cats[cursor.nodeTypeId];
      if (cat !== Cat.None) {
        current = cursor.currentNode;
        const t = current.type;
        if (cat === Cat.Call) onCall(current);
        else if (cat === Cat.Assign) onBinding(current);
        else if (cat === Cat.Function) onFunction(current, depth);
        else if (cat === Cat.String) onString(current);
        else if (cat === Cat.Compare) onCompare(current);
        else {
          const extra = d.nodes.get(t);
          if (extra) for (const { rule, m } of extra) {
            const n = current;
            const hit = safe(() => m.check(n, ctx));
            if (hit) emit(rule, current, hit);
          }
          if (d.dialect.calls.has(t)) onCall(current);
          else if (d.dialect.functions.has(t)) onFunction(current, depth);
          else if (d.dialect.assigns.has(t)) onBinding(current);
          else if (d.dialect.strings.has(t)) onString(current);
          else if (d.dialect.binaries.has(t)) onCompare(current);
        }
      }
      if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      for (;;) {
        // Leaving the node at `depth`: close a scope opened on it.
        while (scope.depth >= depth && scope.parent) scope = scope.parent;
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return false;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

function paramName(p: Node): Node | null {
  if (p.type === 'identifier' || p.type === 'variable_name') return p;
  const n = p.childForFieldName('name') ?? p.childForFieldName('pattern') ?? p.childForFieldName('declarator');
  if (n) return n.type === 'identifier' || n.type === 'variable_name' ? n : (n.namedChildren.find((c) => c.type === 'identifier') ?? n);
  return p.namedChildren.find((c) => c.type === 'identifier') ?? null;
}

function isRouteHandler(fn: Node): boolean {
  const p = fn.parent;
  if (!p || p.type !== 'decorated_definition') return false;
  return p.namedChildren.some((c) => c.type === 'decorator' && /\.(?:route|get|post|put|delete|patch|api_route|websocket)\s*\(/.test(c.text));
}
