/**
 * Per-language syntax tables and small extractors that turn grammar-specific nodes into
 * language-neutral shapes (a call with callee/receiver/args/keyword args, an assignment with
 * target/value). Rules are written against these shapes, so one rule covers many grammars.
 */
import type { Node } from 'web-tree-sitter';
import type { RuleLanguage } from './languages';

/** Node categories the scanner dispatches on. */
export const enum Cat {
  None = 0,
  Call = 1,
  Assign = 2,
  Function = 3,
  String = 4,
  Compare = 5,
  Other = 6,
}

/** Syntax table for one rule family. */
export interface Dialect {
  family: RuleLanguage;
  calls: ReadonlySet<string>;
  assigns: ReadonlySet<string>;
  functions: ReadonlySet<string>;
  /** Plain string literal node types (secrets/regex scanning); interpolated forms included. */
  strings: ReadonlySet<string>;
  /** Binary expression node types (for == compares). */
  binaries: ReadonlySet<string>;
  /** Node types that are literals with no data (numbers, booleans, null). */
  constants: ReadonlySet<string>;
  /** Node types that are identifiers (variable reads). */
  identifiers: ReadonlySet<string>;
}

const S = (...xs: string[]): ReadonlySet<string> => new Set(xs);

export const DIALECTS: Record<RuleLanguage, Dialect> = {
  python: {
    family: 'python',
    calls: S('call'),
    assigns: S('assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'keyword_argument', 'pair'),
    functions: S('function_definition', 'lambda'),
    strings: S('string', 'concatenated_string'),
    binaries: S('comparison_operator'),
    constants: S('integer', 'float', 'true', 'false', 'none'),
    identifiers: S('identifier'),
  },
  javascript: {
    family: 'javascript',
    calls: S('call_expression', 'new_expression'),
    assigns: S('variable_declarator', 'assignment_expression', 'augmented_assignment_expression', 'pair', 'for_in_statement', 'jsx_attribute', 'public_field_definition'),
    functions: S('function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function'),
    strings: S('string', 'template_string'),
    binaries: S('binary_expression'),
    constants: S('number', 'true', 'false', 'null', 'undefined', 'regex'),
    identifiers: S('identifier', 'shorthand_property_identifier'),
  },
  java: {
    family: 'java',
    calls: S('method_invocation', 'object_creation_expression'),
    assigns: S('variable_declarator', 'assignment_expression', 'enhanced_for_statement', 'element_value_pair'),
    functions: S('method_declaration', 'constructor_declaration', 'lambda_expression'),
    strings: S('string_literal', 'text_block'),
    binaries: S('binary_expression'),
    constants: S('decimal_integer_literal', 'hex_integer_literal', 'octal_integer_literal', 'binary_integer_literal', 'decimal_floating_point_literal', 'true', 'false', 'null_literal', 'character_literal'),
    identifiers: S('identifier'),
  },
  go: {
    family: 'go',
    calls: S('call_expression'),
    assigns: S('short_var_declaration', 'assignment_statement', 'var_spec', 'const_spec', 'keyed_element', 'range_clause'),
    functions: S('function_declaration', 'method_declaration', 'func_literal'),
    strings: S('interpreted_string_literal', 'raw_string_literal'),
    binaries: S('binary_expression'),
    constants: S('int_literal', 'float_literal', 'true', 'false', 'nil', 'rune_literal', 'iota'),
    identifiers: S('identifier'),
  },
  c: {
    family: 'c',
    calls: S('call_expression'),
    assigns: S('init_declarator', 'assignment_expression'),
    functions: S('function_definition', 'lambda_expression'),
    strings: S('string_literal', 'raw_string_literal', 'concatenated_string'),
    binaries: S('binary_expression'),
    constants: S('number_literal', 'true', 'false', 'null', 'nullptr', 'char_literal', 'sizeof_expression'),
    identifiers: S('identifier'),
  },
  ruby: {
    family: 'ruby',
    calls: S('call'),
    assigns: S('assignment', 'operator_assignment', 'pair'),
    functions: S('method', 'singleton_method'),
    strings: S('string', 'subshell'),
    binaries: S('binary'),
    constants: S('integer', 'float', 'true', 'false', 'nil', 'simple_symbol'),
    identifiers: S('identifier', 'instance_variable', 'class_variable', 'global_variable'),
  },
  php: {
    family: 'php',
    calls: S('function_call_expression', 'member_call_expression', 'scoped_call_expression', 'nullsafe_member_call_expression', 'object_creation_expression'),
    assigns: S('assignment_expression', 'augmented_assignment_expression', 'array_element_initializer', 'foreach_statement'),
    functions: S('function_definition', 'method_declaration', 'anonymous_function', 'anonymous_function_creation_expression', 'arrow_function'),
    strings: S('string', 'encapsed_string', 'heredoc', 'nowdoc', 'shell_command_expression'),
    binaries: S('binary_expression'),
    constants: S('integer', 'float', 'boolean', 'null'),
    identifiers: S('variable_name'),
  },
  rust: {
    family: 'rust',
    calls: S('call_expression', 'macro_invocation'),
    assigns: S('let_declaration', 'assignment_expression', 'compound_assignment_expr', 'field_initializer'),
    functions: S('function_item', 'closure_expression'),
    strings: S('string_literal', 'raw_string_literal'),
    binaries: S('binary_expression'),
    constants: S('integer_literal', 'float_literal', 'boolean_literal', 'char_literal'),
    identifiers: S('identifier'),
  },
  csharp: {
    family: 'csharp',
    calls: S('invocation_expression', 'object_creation_expression'),
    assigns: S('variable_declarator', 'assignment_expression', 'foreach_statement'),
    functions: S('method_declaration', 'constructor_declaration', 'local_function_statement', 'lambda_expression'),
    strings: S('string_literal', 'verbatim_string_literal', 'raw_string_literal', 'interpolated_string_expression'),
    binaries: S('binary_expression'),
    constants: S('integer_literal', 'real_literal', 'boolean_literal', 'null_literal', 'character_literal'),
    identifiers: S('identifier'),
  },
};

/** A call in language-neutral form. */
export interface CallSite {
  node: Node;
  /** Callee text, whitespace removed and nested argument lists collapsed: `Runtime.getRuntime().exec`. */
  callee: string;
  /** Last callee segment: `exec`. For `new X(...)`: `X`. */
  name: string;
  /** Receiver expression (`obj` in `obj.m()`), when there is one. */
  receiver: Node | null;
  /** Positional argument expressions (wrappers like PHP/C# `argument` removed). */
  args: Node[];
  /** Keyword / named arguments (Python `k=v`, C# `k: v`, Ruby `k: v`, PHP `k: v`). */
  kwargs: Map<string, Node>;
  /** `new X(...)` / object creation. */
  isNew: boolean;
}

/** Collapses nested argument lists and whitespace so callees compare as text. */
export function compactCallee(text: string): string {
  let t = text.length > 300 ? text.slice(-300) : text;
  // Plain dotted names (most callees) have nothing to rewrite below.
  if (!/[\s(:?\-\u0001]/.test(t)) return t;
  t = t.replace(/\s+/g, '').replace(/::<[^<>]*>/g, '');
  // Collapse innermost groups to a placeholder first: `(a, b())` -> `()` even when nested
  // (replacing with `()` directly would stop at the first pass that leaves `()` in place).
  for (let i = 0; i < 6 && /\([^()]*\)/.test(t); i++) t = t.replace(/\([^()]*\)/g, '\u0001');
  t = t.replace(/\u0001/g, '()');
  return t.replace(/\?\./g, '.').replace(/::/g, '.').replace(/->/g, '.');
}

function lastSegment(callee: string): string {
  const m = /([A-Za-z_$][\w$]*[!?]?)(?:<[^<>]*>)?$/.exec(callee);
  return m ? m[1] : callee;
}

function unwrapArg(n: Node, kwargs: Map<string, Node>, out: Node[], family: RuleLanguage): void {
  switch (n.type) {
    case 'keyword_argument': {
      const k = n.childForFieldName('name');
      const v = n.childForFieldName('value');
      if (k && v) kwargs.set(k.text, v);
      return;
    }
    case 'pair': {
      // Ruby keyword args `k: v` / `:k => v`.
      const k = n.childForFieldName('key');
      const v = n.childForFieldName('value');
      if (k && v) kwargs.set(k.text.replace(/^:|:$/g, '').replace(/^["']|["']$/g, ''), v);
      return;
    }
    case 'argument': {
      // PHP and C# wrap each argument; a named argument carries a name.
      const named = n.namedChildren;
      const value = named[named.length - 1];
      if (!value) return;
      const nameNode = n.childForFieldName('name') ?? named.find((c) => c.type === 'name_colon');
      if (nameNode && named.length > 1) {
        kwargs.set(nameNode.text.replace(/[:\s]/g, ''), value);
        return;
      }
      out.push(value);
      return;
    }
    case 'comment':
      return;
    default:
      if (family === 'ruby' && n.type === 'block_argument') return;
      out.push(n);
  }
}

function collectArgs(list: Node | null, family: RuleLanguage): { args: Node[]; kwargs: Map<string, Node> } {
  const args: Node[] = [];
  const kwargs = new Map<string, Node>();
  if (list) for (const c of list.namedChildren) unwrapArg(c, kwargs, args, family);
  return { args, kwargs };
}

/** Member-access node type -> the field holding the receiver. */
const RECEIVER_FIELD: Record<string, string> = {
  attribute: 'object',
  member_expression: 'object',
  selector_expression: 'operand',
  field_expression: 'value',
  member_access_expression: 'expression',
};

/** Extracts a CallSite from a call node of the given family, or undefined for shapes we skip. */
export function callSite(node: Node, family: RuleLanguage): CallSite | undefined {
  let fn: Node | null = null;
  let receiver: Node | null = null;
  // undefined = read the 'arguments' field lazily; null = no argument list.
  let argList: Node | null | undefined;
  const type = node.type;
  let calleeText = '';
  let isNew = false;
  switch (type) {
    case 'call':
      if (family === 'ruby') {
        receiver = node.childForFieldName('receiver');
        const method = node.childForFieldName('method');
        if (!method) return undefined;
        calleeText = receiver ? `${receiver.text}.${method.text}` : method.text;
        break;
      }
      fn = node.childForFieldName('function');
      break;
    case 'call_expression':
    case 'function_call_expression':
    case 'invocation_expression':
      fn = node.childForFieldName('function');
      break;
    case 'new_expression':
      fn = node.childForFieldName('constructor');
      isNew = true;
      break;
    case 'method_invocation': {
      receiver = node.childForFieldName('object');
      const name = node.childForFieldName('name');
      if (!name) return undefined;
      calleeText = receiver ? `${receiver.text}.${name.text}` : name.text;
      break;
    }
    case 'member_call_expression':
    case 'nullsafe_member_call_expression':
    case 'scoped_call_expression': {
      receiver = node.childForFieldName('object') ?? node.childForFieldName('scope');
      const name = node.childForFieldName('name');
      if (!name) return undefined;
      calleeText = receiver ? `${receiver.text}.${name.text}` : name.text;
      break;
    }
    case 'object_creation_expression': {
      isNew = true;
      const type = node.childForFieldName('type') ?? node.namedChildren.find((c) => c.type === 'name' || c.type === 'qualified_name') ?? null;
      if (!type) return undefined;
      calleeText = type.text;
      argList = node.childForFieldName('arguments') ?? node.namedChildren.find((c) => c.type === 'arguments') ?? null;
      break;
    }
    case 'macro_invocation': {
      const m = node.childForFieldName('macro');
      if (!m) return undefined;
      calleeText = `${m.text}!`;
      argList = node.namedChildren.find((c) => c.type === 'token_tree') ?? null;
      break;
    }
    default:
      return undefined;
  }
  if (fn) {
    calleeText = fn.text;
    // Each `.type` / field read is a wasm call: read the type once, then the one field it has.
    const field = RECEIVER_FIELD[fn.type];
    if (field) receiver = fn.childForFieldName(field) ?? fn.childForFieldName('argument');
  }
  const callee = compactCallee(calleeText);
  return new LazyCallSite(node, callee, lastSegment(callee.replace(/!$/, '')), receiver, isNew, argList, type === 'macro_invocation', family);
}

/**
 * A CallSite whose arguments are read only when a matcher asks (most reject on the callee
 * alone). A class rather than an object literal with a closure: one is built per call site.
 */
class LazyCallSite implements CallSite {
  private parsed: { args: Node[]; kwargs: Map<string, Node> } | undefined;

  constructor(
    readonly node: Node,
    readonly callee: string,
    readonly name: string,
    readonly receiver: Node | null,
    readonly isNew: boolean,
    /** undefined = read the 'arguments' field lazily; null = no argument list. */
    private argList: Node | null | undefined,
    /** Rust macro: the arguments are a token tree. */
    private readonly macro: boolean,
    private readonly family: RuleLanguage,
  ) {}

  private parse(): { args: Node[]; kwargs: Map<string, Node> } {
    if (!this.parsed) {
      if (this.argList === undefined) this.argList = this.node.childForFieldName('arguments');
      this.parsed = this.macro ? macroArgs(this.argList) : collectArgs(this.argList, this.family);
    }
    return this.parsed;
  }

  get args(): Node[] {
    return this.parse().args;
  }

  get kwargs(): Map<string, Node> {
    return this.parse().kwargs;
  }
}

/** Rust macro arguments are a token tree; keep top-level expression-like tokens. */
function macroArgs(tt: Node | null): { args: Node[]; kwargs: Map<string, Node> } {
  const args: Node[] = [];
  if (tt) for (const c of tt.namedChildren) args.push(c);
  return { args, kwargs: new Map() };
}

/** An assignment-like binding in language-neutral form. */
export interface Binding {
  node: Node;
  /** Target nodes (identifiers, attributes, patterns flattened to names where possible). */
  targets: Node[];
  /** Text of the (last) target, e.g. `self.password` or `DB_PASSWORD`. */
  targetText: string;
  value: Node | null;
  /** `+=`-style update: the old value stays part of the new one. */
  augmented: boolean;
  /** A key/value pair in an object/dict/struct literal or a keyword argument, not a variable. */
  pair: boolean;
  /** A loop binding (`for x in xs`): the target takes the element of the value. */
  loop: boolean;
}

function innermostName(n: Node): Node {
  let cur: Node = n;
  for (let i = 0; i < 8; i++) {
    const d = cur.childForFieldName('declarator');
    if (!d) break;
    cur = d;
  }
  return cur;
}

/** Flattens destructuring patterns into the identifier nodes they bind. */
function patternNames(n: Node, family: RuleLanguage): Node[] {
  switch (n.type) {
    case 'identifier':
    case 'variable_name':
    case 'shorthand_property_identifier_pattern':
      return [n];
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'expression_list':
    case 'object_pattern':
    case 'array_pattern':
    case 'left_assignment_list': {
      const out: Node[] = [];
      for (const c of n.namedChildren) {
        if (c.type === 'pair_pattern') {
          const v = c.childForFieldName('value');
          if (v) out.push(...patternNames(v, family));
        } else out.push(...patternNames(c, family));
      }
      return out;
    }
    default:
      return [n];
  }
}

/** Extracts a Binding from an assignment-like node, or undefined. */
export function binding(node: Node, family: RuleLanguage): Binding | undefined {
  let target: Node | null = null;
  let value: Node | null = null;
  let augmented = false;
  let pair = false;
  let loop = false;
  switch (node.type) {
    case 'assignment':
    case 'assignment_expression':
    case 'assignment_statement':
    case 'short_var_declaration':
      target = node.childForFieldName('left');
      value = node.childForFieldName('right');
      if (node.type === 'assignment_expression' && family !== 'javascript' && family !== 'python') {
        const op = node.childForFieldName('operator');
        if (op && op.text !== '=') augmented = true;
      }
      // Go `query += x`.
      if (node.type === 'assignment_statement' && family === 'go' && /^[-+*/%|&^]=$|^<<=$|^>>=$/.test(node.childForFieldName('operator')?.text ?? '')) augmented = true;
      if (!target && family === 'csharp') {
        const nc = node.namedChildren;
        target = nc[0] ?? null;
        value = nc[nc.length - 1] ?? null;
      }
      break;
    case 'augmented_assignment':
    case 'augmented_assignment_expression':
    case 'operator_assignment':
    case 'compound_assignment_expr':
      target = node.childForFieldName('left');
      value = node.childForFieldName('right');
      augmented = true;
      break;
    case 'variable_declarator':
      target = node.childForFieldName('name');
      value = node.childForFieldName('value');
      if (!value && family === 'csharp') {
        const nc = node.namedChildren;
        if (nc.length > 1) value = nc[nc.length - 1];
        if (value?.type === 'bracketed_argument_list') value = null;
      }
      break;
    case 'init_declarator':
      target = node.childForFieldName('declarator');
      if (target) target = innermostName(target);
      value = node.childForFieldName('value');
      break;
    case 'let_declaration':
      target = node.childForFieldName('pattern');
      value = node.childForFieldName('value');
      break;
    case 'var_spec':
    case 'const_spec': {
      const names = node.childrenForFieldName('name');
      target = names[0] ?? null;
      value = node.childForFieldName('value');
      break;
    }
    case 'keyword_argument':
    case 'element_value_pair':
    case 'field_initializer':
      target = node.childForFieldName('name') ?? node.childForFieldName('key') ?? node.childForFieldName('field');
      value = node.childForFieldName('value');
      pair = true;
      break;
    case 'pair':
    case 'keyed_element':
      target = node.childForFieldName('key') ?? node.namedChildren[0] ?? null;
      value = node.childForFieldName('value') ?? node.namedChildren[1] ?? null;
      pair = true;
      break;
    case 'jsx_attribute': {
      const nc = node.namedChildren;
      target = nc[0] ?? null;
      value = nc[1] ?? null;
      if (value?.type === 'jsx_expression') value = value.namedChildren[0] ?? null;
      pair = true;
      break;
    }
    case 'array_element_initializer': {
      const nc = node.namedChildren;
      if (nc.length < 2) return undefined;
      target = nc[0];
      value = nc[1];
      pair = true;
      break;
    }
    case 'public_field_definition':
      target = node.childForFieldName('name') ?? node.childForFieldName('property');
      value = node.childForFieldName('value');
      break;
    case 'for_statement':
    case 'for_in_clause':
    case 'for_in_statement':
      target = node.childForFieldName('left');
      value = node.childForFieldName('right');
      loop = true;
      break;
    case 'enhanced_for_statement':
      target = node.childForFieldName('name');
      value = node.childForFieldName('value');
      loop = true;
      break;
    case 'range_clause':
      target = node.childForFieldName('left');
      value = node.childForFieldName('right');
      loop = true;
      break;
    case 'foreach_statement': {
      if (family === 'csharp') {
        target = node.childForFieldName('left');
        value = node.childForFieldName('right');
      } else {
        const nc = node.namedChildren;
        value = nc[0] ?? null;
        target = nc[1] ?? null;
        if (target?.type === 'pair') target = target.namedChildren[1] ?? target;
      }
      loop = true;
      break;
    }
    default:
      return undefined;
  }
  if (!target) return undefined;
  const targets = pair ? [target] : patternNames(target, family);
  return { node, targets, targetText: target.text, value, augmented, pair, loop };
}

/** Text of a string literal without quotes/prefixes; interpolations appear as `{}`. */
export function stringContent(n: Node): string {
  let t = n.text;
  if (t.length > 4000) t = t.slice(0, 4000);
  // Strip Python prefixes (r, b, f, u), C#/C++ prefixes (@, $, L, u8, R).
  const m = /^(?:[rRbBuUfF]{0,3}|@\$?|\$@?|L|u8|u|U|R)?("""|'''|"|'|`)([\s\S]*?)\1?$/.exec(t);
  if (m) return m[2];
  return t;
}

/** The enclosing node of one of `types`, or null (stops after 200 ancestors). */
export function enclosing(n: Node, types: ReadonlySet<string>): Node | null {
  let cur = n.parent;
  for (let i = 0; cur && i < 200; i++, cur = cur.parent) if (types.has(cur.type)) return cur;
  return null;
}

/** Name of a function-like node (def name, method name, variable the lambda is assigned to). */
export function functionName(fn: Node): string {
  const name = fn.childForFieldName('name');
  if (name) return name.text;
  const decl = fn.childForFieldName('declarator');
  if (decl) {
    const inner = decl.childForFieldName('declarator');
    return (inner ?? decl).text.replace(/\(.*$/s, '');
  }
  const p = fn.parent;
  if (p && (p.type === 'variable_declarator' || p.type === 'pair' || p.type === 'assignment_expression')) {
    const t = p.childForFieldName('name') ?? p.childForFieldName('key') ?? p.childForFieldName('left');
    if (t) return t.text;
  }
  return '';
}
