/**
 * Same-file function index for the inter-procedural step of the data-flow pass: the name a
 * function is called by, where it is defined, its call sites (with the argument that feeds a
 * given parameter) and its return expressions. Everything is found on demand by text search
 * plus a short climb in the tree, so files whose sinks never reach a parameter or a local
 * helper pay nothing.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { RuleLanguage } from './languages';
import type { Dialect } from './syntax';

/** Call sites examined per function (bounded: a helper called 500 times is not re-evaluated 500 times). */
const MAX_CALL_SITES = 16;
const MAX_RETURNS = 16;
const NAME = /^[A-Za-z_$][\w$]*$/;

/** [A-Za-z0-9_$]: characters that continue a name. */
function nameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;
}

/** Offsets of whole-word occurrences of `name` in `hay`. */
function* words(hay: string, name: string): Generator<number> {
  for (let i = hay.indexOf(name); i >= 0; i = hay.indexOf(name, i + 1)) {
    if (i > 0 && nameChar(hay.charCodeAt(i - 1))) continue;
    const end = i + name.length;
    if (end < hay.length && nameChar(hay.charCodeAt(end))) continue;
    yield i;
  }
}

/** A call of a same-file function and the argument node bound to one parameter. */
export interface CallSite {
  call: Node;
  arg: Node;
}

export class FunctionIndex {
  private readonly defs = new Map<string, Node[]>();
  private readonly sites = new Map<string, Node[]>();
  private readonly returns = new Map<number, Node[]>();

  constructor(
    private readonly tree: Tree,
    private readonly text: string,
    private readonly dialect: Dialect,
    private readonly family: RuleLanguage,
  ) {}

  /** The name a function is called by (declaration name, or the variable/property it is assigned to). */
  nameOf(fn: Node): string | undefined {
    let n = fn.childForFieldName('name');
    if (!n && (this.family === 'c')) {
      // C/C++: function_definition > (pointer_declarator >)* function_declarator > identifier.
      let d = fn.childForFieldName('declarator');
      for (let i = 0; d && i < 6 && d.childForFieldName('declarator'); i++) d = d.childForFieldName('declarator');
      n = d;
    }
    if (!n) {
      const p = fn.parent;
      if (p?.type === 'variable_declarator' || p?.type === 'assignment') n = p.childForFieldName('name') ?? p.childForFieldName('left');
      else if (p?.type === 'assignment_expression') n = p.childForFieldName('left');
      else if (p?.type === 'pair') n = p.childForFieldName('key');
    }
    if (!n) return undefined;
    // `Foo::bar`, `exports.bar`, `this.bar`: the last segment is the name callers use.
    const name = /([A-Za-z_$][\w$]*)\s*$/.exec(n.text)?.[1];
    return name && NAME.test(name) ? name : undefined;
  }

  /** Function-like nodes defined in this file under `name`. */
  definitionsOf(name: string): Node[] {
    let list = this.defs.get(name);
    if (list) return list;
    list = [];
    if (NAME.test(name)) {
      for (const off of words(this.text, name)) {
        if (list.length >= 4) break;
        // `os.path.join(…)`: a member access is a use, unless assigned (`exports.f = …`).
        if (this.text.charCodeAt(off - 1) === 46 && !/^\s*=[^=]/.test(this.text.slice(off + name.length, off + name.length + 8))) continue;
        const def = this.definitionAt(name, off);
        if (def && !list.some((d) => d.id === def.id)) list.push(def);
      }
    }
    this.defs.set(name, list);
    return list;
  }

  private definitionAt(name: string, off: number): Node | undefined {
    let cur: Node | null = this.tree.rootNode.descendantForIndex(off, off + name.length);
    if (!cur || cur.startIndex !== off) return undefined;
    for (let i = 0; cur && i < 5; i++) {
      const p: Node | null = cur.parent;
      if (!p) return undefined;
      if (this.dialect.functions.has(p.type)) return this.nameOf(p) === name && this.beforeBody(p, off) ? p : undefined;
      // `const name = (…) => …` / `name = function (…) {…}` / `name: (…) => …`
      if (p.type === 'variable_declarator' || p.type === 'assignment_expression' || p.type === 'pair' || p.type === 'assignment') {
        const v = p.childForFieldName('value') ?? p.childForFieldName('right');
        return v && this.dialect.functions.has(v.type) && v.startIndex > off ? v : undefined;
      }
      if (this.dialect.calls.has(p.type) || /statement$|^block$|^program$|^module$/.test(p.type)) return undefined;
      cur = p;
    }
    return undefined;
  }

  /** The name occurrence sits in the function's header (not in its body). */
  private beforeBody(fn: Node, off: number): boolean {
    const body = fn.childForFieldName('body');
    return !body || off < body.startIndex;
  }

  /** Calls of `name(...)` in this file (excluding definitions), bounded. */
  callsOf(name: string): Node[] {
    let list = this.sites.get(name);
    if (list) return list;
    list = [];
    if (NAME.test(name)) {
      for (const off of words(this.text, name)) {
        if (list.length >= MAX_CALL_SITES) break;
        let k = off + name.length;
        while (k < this.text.length && (this.text[k] === ' ' || this.text[k] === '\t')) k++;
        if (this.text[k] !== '(') continue;
        const call = this.callAt(name, off);
        if (call) list.push(call);
      }
    }
    this.sites.set(name, list);
    return list;
  }

  private callAt(name: string, off: number): Node | undefined {
    let cur: Node | null = this.tree.rootNode.descendantForIndex(off, off + name.length);
    if (!cur || cur.startIndex !== off) return undefined;
    for (let i = 0; cur && i < 3; i++) {
      const p: Node | null = cur.parent;
      if (!p) return undefined;
      if (this.dialect.calls.has(p.type)) {
        const args = p.childForFieldName('arguments');
        // The name must be the callee (end of it), not an argument.
        return args && off < args.startIndex ? p : undefined;
      }
      if (this.dialect.functions.has(p.type)) return undefined;
      cur = p;
    }
    return undefined;
  }

  /**
   * The argument each call passes for parameter `param` of `fn`, or [] when the parameter cannot
   * be mapped (variadic, destructured, unknown position).
   */
  argumentsFor(fn: Node, param: string): CallSite[] {
    const name = this.nameOf(fn);
    if (!name) return [];
    const index = this.paramIndex(fn, param);
    if (index === undefined) return [];
    const out: CallSite[] = [];
    for (const call of this.callsOf(name)) {
      if (call.startIndex >= fn.startIndex && call.endIndex <= fn.endIndex) continue; // recursion
      const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
      const kw = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === param);
      if (kw) {
        const v = kw.childForFieldName('value');
        if (v) out.push({ call, arg: v });
        continue;
      }
      const positional = args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'pair');
      let at = index;
      // Python methods: `self`/`cls` is bound by the receiver of `obj.m(a)`.
      if (this.family === 'python' && this.selfParam(fn) && /\.\s*[A-Za-z_]\w*\s*$/.test(call.childForFieldName('function')?.text ?? '')) at--;
      const arg = positional[at];
      if (arg && arg.type !== 'list_splat' && arg.type !== 'dictionary_splat' && arg.type !== 'spread_element') out.push({ call, arg });
    }
    return out;
  }

  private selfParam(fn: Node): boolean {
    const first = fn.childForFieldName('parameters')?.namedChildren[0];
    return !!first && (first.text === 'self' || first.text === 'cls');
  }

  /** Position of `param` among the function's parameters (flattened: Go `a, b string` is two). */
  private paramIndex(fn: Node, param: string): number | undefined {
    const list = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter') ?? fn.childForFieldName('declarator')?.childForFieldName('parameters');
    if (!list) return undefined;
    // Arrow function with a single bare parameter: `x => …`.
    if (list.type === 'identifier') return list.text === param ? 0 : undefined;
    let i = 0;
    for (const p of list.namedChildren) {
      if (p.type === 'comment') continue;
      if (/splat|rest_pattern|variadic|spread|block_parameter|hash_splat/.test(p.type)) return undefined;
      if (this.family === 'go' && p.type === 'parameter_declaration') {
        const names = p.childrenForFieldName('name').filter((x): x is Node => !!x);
        for (const nm of names) {
          if (nm.text === param) return i;
          i++;
        }
        if (names.length === 0) i++;
        continue;
      }
      const nameNode = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.childForFieldName('pattern') ?? p.childForFieldName('declarator') ?? p.namedChildren.find((c) => c.type === 'identifier'));
      const text = nameNode?.text ?? p.text;
      if (new RegExp(`(?<![\\w$])${param.replace(/\$/g, '\\$')}(?![\\w$])`).test(text)) return /^[{[]/.test(text) ? undefined : i;
      i++;
    }
    return undefined;
  }

  /** Expressions the function returns (explicit `return e`, or an arrow function's expression body). */
  returnsOf(fn: Node, owner: (n: Node) => Node | null): Node[] {
    let list = this.returns.get(fn.id);
    if (list) return list;
    list = [];
    const body = fn.childForFieldName('body');
    if (body && (fn.type === 'arrow_function' || fn.type === 'lambda' || fn.type === 'lambda_expression') && !/block|statement/.test(body.type)) list.push(body);
    else if (body) {
      const hay = body.text;
      for (const rel of words(hay, 'return')) {
        if (list.length >= MAX_RETURNS) break;
        const off = body.startIndex + rel;
        const kw = this.tree.rootNode.descendantForIndex(off, off + 6);
        const ret = kw?.parent;
        if (!ret || !/^return(?:_statement)?$/.test(ret.type) || owner(ret)?.id !== fn.id) continue;
        const e = ret.namedChildren.find((c) => c.type !== 'comment');
        if (e) list.push(e.type === 'expression_list' && e.namedChildCount === 1 ? e.namedChildren[0]! : e);
      }
    }
    this.returns.set(fn.id, list);
    return list;
  }
}
