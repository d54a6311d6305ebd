/**
 * A small intra-procedural data-flow pass. As the scanner walks a function in document order it
 * records, per variable, an abstract value: is it constant, which untrusted source (if any) it
 * carries, which sanitizers it went through, and the constant text it is built from (so rules
 * can tell a SQL string from any other). Flow goes through assignments, augmented assignment,
 * string building (concat, f-strings, template literals, format/join/sprintf) and simple calls.
 * It is deliberately flow-insensitive inside branches and ignores loops' back edges: explainable
 * and linear in the size of the function.
 */
import type { Node } from 'web-tree-sitter';
import type { RuleLanguage } from './languages';
import { type Range } from './finding';
import { SOURCES, sanitizerMask, San, type SourceKind } from './sources';
import { compactCallee, type Dialect } from './syntax';

/** Where untrusted data came from. */
export interface Taint {
  kind: SourceKind;
  /** Human-readable source, e.g. `request.args.get('q')` (HTTP request data). */
  label: string;
  range: Range;
  /** Sink categories (San bits) the tainted data was sanitized for on its way here. */
  san?: number;
}

/** Abstract value of an expression. */
export interface Val {
  /** Fully built from literals (or sanitized to a constant shape). */
  c: boolean;
  /** Untrusted source carried by the value, if any. */
  taint?: Taint;
  /** Sink categories this value was sanitized for (San bits). */
  san: number;
  /** The literal text the value is built from; holes appear as `{}`. Capped. */
  text: string;
  /** A string literal or string built by concatenation/interpolation/formatting. */
  str: boolean;
  /** Built from at least one non-constant part. */
  dyn: boolean;
}

export const UNKNOWN: Val = Object.freeze({ c: false, san: 0, text: '{}', str: false, dyn: false }) as Val;
const CONST_EMPTY: Val = Object.freeze({ c: true, san: San.All, text: '', str: false, dyn: false }) as Val;
const MAX_TEXT = 2000;
const MAX_DEPTH = 60;

/**
 * Where names get their values. The scanner's implementation is demand-driven: it finds the
 * latest binding of a name before the use, in the enclosing function (then outer scopes), only
 * when a rule asks - so code far from any sink is never analysed.
 */
export interface Env {
  /** Value of `name` as seen at `at`, or undefined when it is not bound in the document. */
  lookup(name: string, at: Node): Val | undefined;
  /** Summary of what a same-file helper `name()` returns, when it is defined in the document. */
  callSummary?(name: string): Val | undefined;
}

export function rangeOf(n: Node): Range {
  return { startLine: n.startPosition.row, startCol: n.startPosition.column, endLine: n.endPosition.row, endCol: n.endPosition.column };
}

function join(parts: Val[], str: boolean): Val {
  let c = true;
  let taint: Taint | undefined;
  let san = San.All;
  let text = '';
  let dyn = false;
  for (const p of parts) {
    if (!p.c) {
      c = false;
      dyn = true;
      san &= p.san;
    }
    if (p.taint) taint = taint ? { ...taint, san: (taint.san ?? 0) & (p.taint.san ?? 0) } : p.taint;
    if (p.dyn) dyn = true;
    if (text.length < MAX_TEXT) text += p.str || p.c ? p.text : '{}';
  }
  return { c, taint, san: c ? San.All : san, text: text.slice(0, MAX_TEXT), str, dyn };
}

/** Call node type -> [callee field, receiver field]. */
const CALL_FIELDS: Record<string, [string, string?]> = {
  call_expression: ['function'],
  new_expression: ['constructor'],
  method_invocation: ['name', 'object'],
  invocation_expression: ['function'],
  function_call_expression: ['function'],
  member_call_expression: ['name', 'object'],
  nullsafe_member_call_expression: ['name', 'object'],
  scoped_call_expression: ['name', 'scope'],
  macro_invocation: ['macro'],
};

/** Member/subscript node type -> the field holding the object being accessed. */
const OBJECT_FIELD: Record<string, string> = {
  attribute: 'object',
  member_expression: 'object',
  subscript: 'value',
  subscript_expression: 'object',
  selector_expression: 'operand',
  field_access: 'object',
  member_access_expression: 'expression',
  element_reference: 'object',
  index_expression: 'operand',
  element_access_expression: 'expression',
  array_access: 'array',
  field_expression: 'value',
};

const STRING_BUILDERS = /^(?:format|join|sprintf|Sprintf|Sprint|Sprintln|Fprintf|String\.format|format!|concat|formatted|String\.join|strings\.Join|fmt\.Sprintf|fmt\.Sprint|str\.format|f|printf|vsprintf|snprintf|replace|Replace|replaceAll|ReplaceAll|strip|lower|upper|trim|trimmed|Trim|toLowerCase|toUpperCase|toString|ToString|to_s|str|String|String\.valueOf|encode|decode|rstrip|lstrip|strip|split|substring|slice|substr|as_str|to_string|to_owned|into|unwrap|clone|bytes|getBytes|valueOf|append|toCharArray|implode|sprintf|html|render|Join|Sprint|Trim|TrimSpace|ToLower|ToUpper|c_str|data|substr|string)$/;

/** Ruby: tree-sitter puts a heredoc's body (`<<~SQL … SQL`) after the statement that opens it. */
function rubyHeredocBody(start: Node): Node | null {
  for (let p: Node | null = start; p && p.type !== 'body_statement' && p.type !== 'program'; p = p.parent) {
    for (let s = p.nextNamedSibling; s; s = s.nextNamedSibling) if (s.type === 'heredoc_body' && s.startIndex >= start.endIndex) return s;
  }
  return null;
}

/** Evaluates expressions to abstract values against the current scope. */
export class Evaluator {
  private readonly sources;
  constructor(
    private readonly dialect: Dialect,
    private readonly family: RuleLanguage,
  ) {
    this.sources = SOURCES[family];
  }

  /** Source matching a compacted expression text, if any. */
  sourceFor(compact: string): { kind: SourceKind; label: string } | undefined {
    const probe = compact.length > 240 ? compact.slice(0, 240) : compact;
    for (const s of this.sources) if (s.re.test(probe)) return { kind: s.kind, label: s.label };
    return undefined;
  }

  eval(n: Node | null | undefined, scope: Env, depth = 0): Val {
    if (!n) return UNKNOWN;
    if (depth > MAX_DEPTH) return UNKNOWN;
    const d = this.dialect;
    const t = n.type;
    if (d.constants.has(t)) return { c: true, san: San.All, text: n.text.slice(0, 40), str: false, dyn: false };
    if (d.strings.has(t) || t === 'string_literal' || t === 'template_string' || t === 'encapsed_string') return this.evalString(n, scope, depth);
    if (t === 'heredoc_beginning') {
      const body = rubyHeredocBody(n);
      if (body) return this.evalString(body, scope, depth);
    }
    if (d.identifiers.has(t) || t === 'variable_name' || t === 'shorthand_property_identifier') {
      const name = n.text;
      const v = scope.lookup(name, n);
      if (v) return v;
      const src = this.sourceFor(name);
      if (src) return this.tainted(n, src);
      return UNKNOWN;
    }
    switch (t) {
      case 'cast_expression':
        return this.eval(n.childForFieldName('value') ?? n.namedChildren[n.namedChildCount - 1], scope, depth + 1);
      case 'parenthesized_expression':
      case 'await_expression':
      case 'await':
      case 'expression_statement':
      case 'non_null_expression':
      case 'as_expression':
      case 'type_assertion':
      case 'satisfies_expression':
      case 'type_conversion_expression':
      case 'reference_expression':
      case 'pointer_expression':
      case 'unary_expression':
      case 'expression_list':
      case 'argument':
      case 'parenthesized_statements':
      case 'try_expression':
      case 'spread_element':
      case 'list_splat':
      case 'block_argument':
      case 'literal_element': {
        const nc = n.namedChildren;
        if (nc.length === 0) return UNKNOWN;
        if (nc.length === 1) return this.eval(nc[0], scope, depth + 1);
        return join(nc.map((c) => this.eval(c, scope, depth + 1)), false);
      }
      case 'binary_expression':
      case 'binary_operator':
      case 'binary': {
        const l = this.eval(n.childForFieldName('left') ?? n.namedChildren[0], scope, depth + 1);
        const r = this.eval(n.childForFieldName('right') ?? n.namedChildren[1], scope, depth + 1);
        const op = n.childForFieldName('operator')?.text ?? '';
        // `"..." % args` in Python is formatting; `+`, `.`, `<<` build strings.
        const strish = l.str || r.str;
        if (op === '%' && l.str) return join([l, r], true);
        // Python/Ruby string repetition: b"\x00" * 16 is still a (constant) string.
        if (op === '*' && (l.str || r.str)) {
          const s = l.str ? l : r;
          return { c: l.c && r.c, taint: l.taint ?? r.taint, san: s.san, text: s.text, str: true, dyn: !(l.c && r.c) };
        }
        if (op === '+' || op === '.' || op === '<<' || op === '||' || op === '??' || op === 'or' || op === 'and' || op === '&&' || op === '' || op === '&') return join([l, r], strish);
        // Comparisons yield booleans: no data flows through them.
        if (/^(?:==|!=|===|!==|<|>|<=|>=|in|not in|is|is not|instanceof)$/.test(op)) return { c: l.c && r.c, san: San.All, text: '', str: false, dyn: false };
        // Arithmetic, `/` path joins, bit ops: not a string, but untrusted data stays untrusted.
        const taint = l.taint ?? r.taint;
        return { c: l.c && r.c, taint, san: taint ? (l.taint ? l.san : r.san) : San.All, text: '', str: false, dyn: !(l.c && r.c) };
      }
      case 'conditional_expression':
      case 'ternary_expression':
      case 'conditional': {
        const nc = n.namedChildren;
        // Python `a if cond else b`: children [a, cond, b]; JS/Java: [cond, a, b].
        const branches = t === 'conditional_expression' && this.family === 'python' ? [nc[0], nc[2]] : [nc[1], nc[2]];
        return join(branches.map((c) => this.eval(c, scope, depth + 1)), false);
      }
      case 'boolean_operator': {
        return join([this.eval(n.childForFieldName('left'), scope, depth + 1), this.eval(n.childForFieldName('right'), scope, depth + 1)], false);
      }
      case 'list':
      case 'tuple':
      case 'array':
      case 'array_creation_expression':
      case 'array_initializer':
      case 'composite_literal':
      case 'literal_value':
      case 'set':
      case 'array_expression':
      case 'initializer_list':
      case 'collection_expression':
      case 'implicit_array_creation_expression':
      case 'list_comprehension':
      case 'generator_expression': {
        const nc = n.namedChildren.filter((c) => c.type !== 'comment');
        if (nc.length === 0) return CONST_EMPTY;
        const v = join(nc.slice(0, 50).map((c) => this.eval(c, scope, depth + 1)), false);
        return { ...v, str: false };
      }
      case 'dictionary':
      case 'object':
      case 'hash': {
        const nc = n.namedChildren.filter((c) => c.type !== 'comment');
        if (nc.length === 0) return CONST_EMPTY;
        const vals = nc.slice(0, 50).map((c) => this.eval(c.childForFieldName('value') ?? c, scope, depth + 1));
        return { ...join(vals, false), str: false };
      }
      case 'pair':
        return this.eval(n.childForFieldName('value'), scope, depth + 1);
      case 'lambda':
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'func_literal':
      case 'lambda_expression':
      case 'closure_expression':
        // A function value is code the author wrote, not data.
        return { c: true, san: San.All, text: '', str: false, dyn: false };
      default:
        break;
    }
    if (this.dialect.calls.has(t)) return this.evalCall(n, scope, depth);
    // Member access / subscripts: sources by text, else propagate from the object.
    const compact = compactCallee(n.text.length > 400 ? n.text.slice(0, 400) : n.text);
    const src = this.sourceFor(compact);
    if (src) return this.tainted(n, src);
    // JS `el.innerHTML` read: markup already in the page, not text that needs escaping.
    if (this.family === 'javascript' && /\.(?:innerHTML|outerHTML)$/.test(compact)) return { c: false, san: San.Html, text: '{}', str: true, dyn: true };
    const objField = OBJECT_FIELD[t];
    const obj =
      (objField ? n.childForFieldName(objField) : null) ??
      n.childForFieldName('object') ??
      n.childForFieldName('value') ??
      n.childForFieldName('operand') ??
      n.childForFieldName('expression') ??
      n.childForFieldName('argument') ??
      n.childForFieldName('receiver') ??
      n.namedChildren[0];
    if (obj && obj !== n && obj.startIndex >= n.startIndex && obj.endIndex <= n.endIndex && obj.endIndex - obj.startIndex < n.endIndex - n.startIndex) {
      const v = this.eval(obj, scope, depth + 1);
      // `x.length`, `len(x)` etc are numbers; keep it simple: propagate taint, not constness of text.
      return { c: v.c, taint: v.taint, san: v.san, text: v.c ? '' : '{}', str: false, dyn: v.dyn };
    }
    return UNKNOWN;
  }

  private tainted(n: Node, src: { kind: SourceKind; label: string }): Val {
    let text = n.text.replace(/\s+/g, ' ');
    if (text.length > 60) text = text.slice(0, 57) + '...';
    return { c: false, taint: { kind: src.kind, label: `${text} (${src.label})`, range: rangeOf(n) }, san: 0, text: '{}', str: false, dyn: true };
  }

  private evalString(n: Node, scope: Env, depth: number): Val {
    const holes: Node[] = [];
    for (const c of n.namedChildren) {
      const ct = c.type;
      if (ct === 'interpolation' || ct === 'template_substitution' || ct === 'variable_name' || ct === 'subscript_expression' || ct === 'member_access_expression' || ct === 'member_call_expression' || ct === 'dynamic_variable_name' || ct === 'simple_expansion' || ct === 'expansion') {
        holes.push(ct === 'interpolation' || ct === 'template_substitution' ? (c.childForFieldName('expression') ?? c.namedChildren.find((x) => x.type !== 'interpolation_brace' && x.type !== 'format_specifier' && x.type !== 'type_conversion') ?? c) : c);
      } else if (ct === 'string' || ct === 'string_literal' || ct === 'encapsed_string') {
        holes.push(c); // concatenated_string parts
      }
    }
    if (n.type === 'concatenated_string') return join(holes.map((h) => this.eval(h, scope, depth + 1)), true);
    const text = n.text.length > MAX_TEXT ? n.text.slice(0, MAX_TEXT) : n.text;
    if (holes.length === 0) return { c: true, san: San.All, text: stripQuotes(text), str: true, dyn: false };
    const parts: Val[] = [{ c: true, san: San.All, text: stripQuotes(text.replace(/\{[^{}]*\}|\$\{[^{}]*\}|#\{[^{}]*\}/g, '{}')), str: true, dyn: false }];
    for (const h of holes) parts.push(this.eval(h, scope, depth + 1));
    const v = join(parts, true);
    v.text = parts[0].text;
    return v;
  }

  private evalCall(n: Node, scope: Env, depth: number): Val {
    // Known shapes read exactly the fields they have (each field lookup is a wasm call).
    const shape = CALL_FIELDS[n.type];
    const fn = shape
      ? n.childForFieldName(shape[0])
      : (n.childForFieldName('function') ?? n.childForFieldName('constructor') ?? n.childForFieldName('name') ?? n.childForFieldName('method') ?? n.childForFieldName('macro') ?? n.childForFieldName('type'));
    const recvNode = shape ? (shape[1] ? n.childForFieldName(shape[1]) : null) : (n.childForFieldName('object') ?? n.childForFieldName('receiver') ?? n.childForFieldName('scope'));
    let calleeText = fn ? fn.text : '';
    if (recvNode && fn && fn !== recvNode) calleeText = `${recvNode.text}.${fn.text}`;
    if (n.type === 'macro_invocation') calleeText += '!';
    const callee = compactCallee(calleeText);
    const name = /([A-Za-z_$][\w$]*!?)$/.exec(callee)?.[1] ?? callee;
    // Ruby `xs.map { |x| "…#{x}…" }`: the elements are the block's value (its last expression).
    if (this.family === 'ruby' && /^(?:map|collect|flat_map|filter_map)$/.test(name)) {
      const blk = n.namedChildren.find((c) => c.type === 'block' || c.type === 'do_block');
      const body = blk?.namedChildren.find((c) => c.type === 'block_body' || c.type === 'body_statement');
      const last = body?.namedChildren.filter((c) => c.type !== 'comment').pop();
      if (last) return this.eval(last, scope, depth + 1);
    }
    // A conversion that makes any sink safe wins over a source prefix (`params[:id].to_i`).
    if (sanitizerMask(callee, name) === San.All) return { c: true, san: San.All, text: '', str: false, dyn: false };
    // jQuery `.text(x)` / `.val(x)` with an argument is a setter: it returns the element with the
    // text set safely, not DOM text to reinterpret.
    if (this.family === 'javascript' && /^(?:\$|jQuery)[\w$]*(?:\(\))?(?:\.\w+\(\))*\.(?:text|val)$/.test(callee) && (n.childForFieldName('arguments')?.namedChildCount ?? 0) > 0) return { c: false, san: San.Html, text: '{}', str: false, dyn: true };
    const src = this.sourceFor(`${callee}()`);
    if (src) return this.tainted(n, src);
    const argsNode = n.childForFieldName('arguments') ?? n.namedChildren.find((c) => c.type === 'token_tree' || c.type === 'argument_list' || c.type === 'arguments');
    const args = argsNode ? argsNode.namedChildren.filter((c) => c.type !== 'comment') : [];
    const san = sanitizerMask(callee, name);
    let recv: Node | null = recvNode;
    if (!recv && fn && (fn.type === 'attribute' || fn.type === 'member_expression' || fn.type === 'selector_expression' || fn.type === 'field_expression' || fn.type === 'member_access_expression')) {
      recv = fn.childForFieldName('object') ?? fn.childForFieldName('operand') ?? fn.childForFieldName('value') ?? fn.childForFieldName('expression') ?? fn.childForFieldName('argument');
    }
    const argVals = args.slice(0, 20).map((a) => this.eval(a.type === 'keyword_argument' ? a.childForFieldName('value') : a, scope, depth + 1));
    // Go `fmt.Sprintf("… id = %d", x)`: an argument printed with a numeric verb (%d %x %f %t…) cannot carry text.
    if (this.family === 'go' && /^fmt\.(?:Sprintf|Errorf)$/.test(callee) && /^["`]/.test(args[0]?.text ?? '')) {
      const verbs = [...args[0].text.matchAll(/%[-+# 0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?([a-zA-Z%])/g)].map((m) => m[1]).filter((v) => v !== '%');
      verbs.forEach((v, i) => {
        if (/[dboxXcUeEfFgGtp]/.test(v) && argVals[i + 1]) argVals[i + 1] = { c: true, san: San.All, text: '', str: false, dyn: false };
      });
    }
    let parts = argVals;
    // Go `fmt.Sprintf(…)`, `strings.Join(…)`: an unbound identifier qualifier is a package, not data.
    const goPackage = this.family === 'go' && recv?.type === 'identifier' && /^[a-z]\w*$/.test(recv.text) && !scope.lookup(recv.text, recv) && !this.sourceFor(recv.text);
    if (recv && !goPackage) {
      const rv = this.eval(recv, scope, depth + 1);
      parts = [rv, ...argVals];
    }
    if (san === San.All) return { c: true, san: San.All, text: '', str: false, dyn: false };
    // `QUERIES.get(choice)` on a constant, non-empty table: an allow-list lookup yields one of the
    // table's constants (or the default), whatever the key.
    if (recv && parts.length > 1 && /^(?:get|fetch)$/.test(name) && parts[0].c && parts[0].text !== '' && !this.sourceFor(compactCallee(recv.text))) {
      const rest = argVals.slice(1);
      return rest.length ? { ...join([parts[0], ...rest], false), str: false } : { c: true, san: San.All, text: '', str: false, dyn: false };
    }
    const joined = parts.length ? join(parts, false) : { ...UNKNOWN };
    // A helper defined in this file: a source read inside it, or a sanitiser on every return
    // (added to what its name says it does).
    const local = (!recv || /^(?:this|self|@)$/.test(recv.text)) && scope.callSummary ? scope.callSummary(name) : undefined;
    if (local) {
      if (local.c) return { ...local };
      const taint = joined.taint ?? local.taint;
      const lsan = local.san | san;
      return { c: false, taint: taint && lsan ? { ...taint, san: (taint.san ?? 0) | lsan } : taint, san: (taint ? (joined.taint ? joined.san : local.san) : 0) | lsan, text: local.str ? local.text : '{}', str: local.str || !!san, dyn: true };
    }
    if (san) {
      // The value is still data, but safe for the sanitizer's sink categories.
      const taint = joined.taint ? { ...joined.taint, san: (joined.taint.san ?? 0) | san } : undefined;
      return { c: joined.c, taint, san: joined.san | san, text: joined.text, str: true, dyn: joined.dyn };
    }
    if (STRING_BUILDERS.test(name) || STRING_BUILDERS.test(callee)) {
      const first = parts[0];
      const str = !!first?.str || parts.some((p) => p.str);
      return { ...joined, str, text: parts.filter((p) => p.str).map((p) => p.text).join('') || joined.text };
    }
    // Unknown call: its result is not constant; taint flows through simple calls (wrappers).
    return { c: false, taint: joined.taint, san: joined.taint ? joined.san : 0, text: '{}', str: false, dyn: true };
  }
}

function stripQuotes(t: string): string {
  const m = /^(?:[rRbBuUfF]{0,3}|@\$?|\$@?|L|u8|u|U|R)?("""|'''|"|'|`)([\s\S]*?)\1?$/.exec(t);
  return m ? m[2] : t;
}
