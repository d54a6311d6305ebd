/**
 * The scan: parse once, walk the tree once with a TreeCursor (iterative, so deep nesting cannot
 * overflow the stack), dispatch each node by type to the matchers of the rules for that
 * language, and run the data-flow evaluator as assignments go by. A time budget and an
 * AbortSignal are checked during the parse (progress callback) and every few hundred nodes.
 */
import type { Language, Node, Parser, Tree } from 'web-tree-sitter';
import { throwIfAborted } from '../abort';
import { rangeOf } from './dataflow';
import { SOURCE_HINT } from './sources';
import { DemandEnv } from './env';
import { SEVERITIES, type Finding, type Severity } from './finding';
import { ruleLanguageFor, type LanguageId, type RuleLanguage } from './languages';
import { cweUrl, type Hit, type Matcher, type Rule, type RuleContext } from './rule';
import { binding, callSite, DIALECTS, functionName as fnNameOf, stringContent, type CallSite, type Dialect } from './syntax';

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

type Entry<K extends Matcher['kind']> = { rule: Rule; m: Extract<Matcher, { kind: K }> };

/** Static per-(grammar, family) table: every matcher for the family. */
interface Dispatch {
  dialect: Dialect;
  entries: Array<Entry<Matcher['kind']>>;
}

const dispatchCache = new WeakMap<Language, Map<RuleLanguage, Dispatch>>();

function dispatchFor(lang: Language, family: RuleLanguage, rules: readonly Rule[]): Dispatch {
  let byFamily = dispatchCache.get(lang);
  if (!byFamily) dispatchCache.set(lang, (byFamily = new Map()));
  let d = byFamily.get(family);
  if (!d) {
    const entries: Array<Entry<Matcher['kind']>> = [];
    for (const rule of rules) for (const m of rule.matchers[family] ?? []) entries.push({ rule, m });
    byFamily.set(family, (d = { dialect: DIALECTS[family], entries }));
  }
  return d;
}

const CHECK_EVERY = 64;
const globalCache = new Map<RegExp, RegExp>();

/** A global (`g`) copy of a regex, cached, for scanning all occurrences. */
function globalOf(re: RegExp): RegExp {
  let g = globalCache.get(re);
  if (!g) globalCache.set(re, (g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g')));
  g.lastIndex = 0;
  return g;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

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
    const d = dispatchFor(parser.language!, family, rules);
    const findings: Finding[] = [];
    const truncated = analyse(tree, d, family, text, deadline, signal, findings) || stopped;
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

class Budget extends Error {}

/**
 * Anchored analysis: for each active matcher, find where its names/anchor occur in the text,
 * climb from there to the nearest node of the matcher's shape, and check it. Data flow is
 * resolved on demand (DemandEnv). Returns true when cut short by the budget.
 */
function analyse(tree: Tree, dispatch: Dispatch, family: RuleLanguage, text: string, deadline: number, signal: AbortSignal | undefined, out: Finding[]): boolean {
  const dialect = dispatch.dialect;
  const env = new DemandEnv(tree, text, dialect, family);
  const root = tree.rootNode;
  const fileCache = new Map<RegExp, boolean>();
  const fileHas = (re: RegExp) => {
    let v = fileCache.get(re);
    if (v === undefined) {
      re.lastIndex = 0;
      fileCache.set(re, (v = re.test(text)));
    }
    return v;
  };
  let current: Node = root;
  const taintable = new Map<number, boolean>();
  let fnText: { id: number; text: string } | undefined;
  const ctx: RuleContext = {
    family,
    text,
    val: (n) => env.val(n),
    fileHas,
    functionText: () => {
      const fn = env.functionOf(current);
      const id = fn ? fn.id : -1;
      if (!fnText || fnText.id !== id) fnText = { id, text: fn ? fn.text : text };
      return fnText.text;
    },
    functionName: () => {
      const fn = env.functionOf(current);
      return fn ? fnNameOf(fn) : '';
    },
    functionNode: () => env.functionOf(current),
    range: rangeOf,
    mayTaintExpr: (n) => env.mayTaint(n),
    mayTaint: () => {
      const fn = env.functionOf(current);
      const id = fn ? fn.id : -1;
      let v = taintable.get(id);
      if (v === undefined) {
        // Route decorators sit outside the function node: include them for Python.
        const t = fn && fn.parent?.type === 'decorated_definition' ? fn.parent.text : ctx.functionText();
        taintable.set(id, (v = SOURCE_HINT[family].test(t)));
      }
      return v;
    },
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

  const run = (rule: Rule, node: Node, check: () => Hit | undefined) => {
    current = node;
    let hit: Hit | undefined;
    try {
      hit = check();
    } catch {
      // A matcher must never take the scan down (broken trees have odd shapes).
      hit = undefined;
    }
    if (hit) emit(rule, node, hit);
  };

  let steps = 0;
  const tick = () => {
    if (++steps % CHECK_EVERY === 0) {
      if (performance.now() > deadline) throw new Budget();
      throwIfAborted(signal);
    }
  };

  /** Nearest node (self or ancestor, within `levels`) whose type is in `types`. */
  const climb = (from: number, to: number, types: ReadonlySet<string>, levels: number): Node | null => {
    let n: Node | null = root.descendantForIndex(from, to);
    for (let i = 0; n && i <= levels; i++, n = n.parent) if (types.has(n.type)) return n;
    return null;
  };

  /**
   * The call whose callee ends with the name at `at`. With the text up to its `(` known, the
   * smallest node spanning name and `(` is usually that call: one lookup instead of a climb
   * through member expressions. Otherwise (Ruby, odd trees) climb from the name.
   */
  const callAt = (at: number, len: number, gap: string | undefined): Node | null => {
    if (gap !== undefined) {
      const end = at + len + gap.length + 1;
      const n = root.descendantForIndex(at, end);
      if (n && n.startIndex <= at && dialect.calls.has(n.type)) return n;
    }
    return climb(at, at + len, dialect.calls, 4);
  };

  const active = dispatch.entries.filter((e) => !e.m.trigger || fileHas(e.m.trigger));
  if (!active.length) return false;

  try {
    // ---- calls: by callee name, and trigger-anchored calls for name-less matchers
    const byName = new Map<string, Array<Entry<'call'>>>();
    const anyCalls: Array<Entry<'call'>> = [];
    for (const e of active) {
      if (e.m.kind !== 'call') continue;
      if (e.m.names) for (const n of e.m.names) (byName.get(n) ?? byName.set(n, []).get(n)!).push(e as Entry<'call'>);
      else anyCalls.push(e as Entry<'call'>);
    }
    const sites = new Map<number, CallSite | null>();
    const siteOf = (n: Node): CallSite | null => {
      let s = sites.get(n.id);
      if (s === undefined) sites.set(n.id, (s = callSite(n, family) ?? null));
      return s;
    };
    if (byName.size) {
      // Outside Ruby (command calls without parentheses) a call's name is followed by its
      // argument list (maybe after generic arguments or a macro bang).
      // The gap before `(`/`!` is captured: the call node is the smallest one spanning name and `(`.
      const tail = family === 'ruby' ? '(?![\\w$?!])' : '(?![\\w$])(?=(\\s*(?:(?:::)?<[^<>()]*>\\s*)?)[(!])';
      const re = new RegExp(`(?<![\\w$])(?:${[...byName.keys()].sort((a, b) => b.length - a.length).map(escapeRe).join('|')})${tail}`, 'g');
      for (let m = re.exec(text); m; m = re.exec(text)) {
        tick();
        const name = m[0];
        const entries = byName.get(name)!;
        const prefix = text.slice(Math.max(0, m.index - 60), m.index);
        if (entries.every((e) => e.m.before && !e.m.before.test(prefix))) continue;
        const call = callAt(m.index, name.length, m[1]);
        if (!call) continue;
        const site = siteOf(call);
        if (!site || site.name !== name) continue;
        for (const { rule, m: mm } of entries) if (!mm.before || mm.before.test(prefix)) run(rule, call, () => mm.check(site, ctx));
      }
    }
    for (const e of anyCalls) {
      const seen = new Set<number>();
      const re = globalOf(e.m.anchor ?? e.m.trigger!);
      for (let m = re.exec(text); m; m = re.exec(text)) {
        tick();
        if (m[0].length === 0) re.lastIndex++;
        const call = climb(m.index, m.index + Math.max(1, m[0].length), dialect.calls, 6);
        if (!call || seen.has(call.id)) continue;
        seen.add(call.id);
        const site = siteOf(call);
        if (site) run(e.rule, call, () => e.m.check(site, ctx));
      }
    }

    // ---- bindings, strings, comparisons and other node shapes: anchored by triggers
    const anchored = <K extends 'binding' | 'string' | 'compare' | 'node'>(e: Entry<K>, types: ReadonlySet<string>, levels: number, each: (n: Node) => void) => {
      const seen = new Set<number>();
      const mm = e.m as Matcher;
      const re = globalOf(mm.anchor ?? mm.trigger!);
      for (let m = re.exec(text); m; m = re.exec(text)) {
        tick();
        if (m[0].length === 0) re.lastIndex++;
        const n = climb(m.index, m.index + Math.max(1, m[0].length), types, levels);
        if (!n || seen.has(n.id)) continue;
        seen.add(n.id);
        each(n);
      }
    };
    for (const e of active) {
      const m = e.m;
      switch (m.kind) {
        case 'binding':
          anchored(e as Entry<'binding'>, dialect.assigns, 5, (n) => {
            const b = binding(n, family);
            if (b) run(e.rule, n, () => m.check(b, ctx));
          });
          break;
        case 'string':
          anchored(e as Entry<'string'>, dialect.strings, 3, (n) => {
            const content = stringContent(n);
            if (content.length >= 8) run(e.rule, n, () => m.check(n, content, ctx));
          });
          break;
        case 'compare':
          anchored(e as Entry<'compare'>, dialect.binaries, 4, (n) => {
            const left = n.childForFieldName('left') ?? n.namedChildren[0];
            const right = n.childForFieldName('right') ?? n.namedChildren[1];
            if (!left || !right) return;
            const op = (n.childForFieldName('operator') ?? n.childForFieldName('operators'))?.text ?? text.slice(left.endIndex, right.startIndex).trim();
            if (/^(?:==|!=|===|!==)$/.test(op)) run(e.rule, n, () => m.check(n, left, right, op, ctx));
          });
          break;
        case 'node':
          anchored(e as Entry<'node'>, new Set(m.types), 8, (n) => run(e.rule, n, () => m.check(n, ctx)));
          break;
        default:
          break;
      }
    }
  } catch (e) {
    if (e instanceof Budget) return true;
    throw e;
  }
  return false;
}
