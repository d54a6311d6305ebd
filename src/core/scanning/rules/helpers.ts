/** Small predicates shared by rules. */
import type { Node } from 'web-tree-sitter';
import type { Val } from '../dataflow';
import type { FixEdit } from '../finding';
import type { Hit, RuleContext } from '../rule';
import { San } from '../sources';
import type { CallSite } from '../syntax';

export { San };

/** True for literal true in any of our languages. */
export function isTrue(n: Node | undefined | null): boolean {
  return !!n && /^(?:True|true|1|TRUE|:true)$/.test(n.text.trim());
}

/** True for literal false in any of our languages. */
export function isFalse(n: Node | undefined | null): boolean {
  return !!n && /^(?:False|false|0|FALSE|None|nil|null)$/.test(n.text.trim());
}

/** Keyword argument by name (Python/C#/Ruby/PHP named args). */
export function kw(call: CallSite, name: string): Node | undefined {
  return call.kwargs.get(name);
}

/** Positional argument `i`, or the named argument `name`. */
export function arg(call: CallSite, i: number, name?: string): Node | undefined {
  return call.args[i] ?? (name ? call.kwargs.get(name) : undefined);
}

/**
 * Value of a key inside an options object argument (JS `{ rejectUnauthorized: false }`,
 * Go `&tls.Config{InsecureSkipVerify: true}`) searched in all args; returns the value node.
 */
export function optionIn(call: CallSite, key: RegExp): Node | undefined {
  for (const a of call.args) {
    if (a.type !== 'object' && a.type !== 'hash' && a.type !== 'dictionary') continue;
    for (const p of a.namedChildren) {
      const k = p.childForFieldName('key');
      if (k && key.test(k.text.replace(/^["']|["']$/g, ''))) return p.childForFieldName('value') ?? undefined;
    }
  }
  return undefined;
}

const SQL_RE = /\b(?:select\s[\s\S]*?\bfrom\b|insert\s+(?:or\s+\w+\s+)?into\b|update\s+[\w`"[\].]+\s+set\b|delete\s+from\b|replace\s+into\b|create\s+(?:table|index|view|database)\b|drop\s+(?:table|database|index|view)\b|alter\s+table\b|truncate\s+table\b|merge\s+into\b|exec(?:ute)?\s+sp_|\bwhere\s+[\w`"[\].]+\s*(?:=|like|in\b|<|>))/i;

/** True when the constant text of a value looks like SQL. */
export function looksLikeSql(text: string): boolean {
  return SQL_RE.test(text);
}

/** The abstract value is untrusted or built from non-constant data, and not sanitized for `mask`. */
export function dynamicFor(v: Val, mask: San): boolean {
  return !v.c && (v.san & mask) === 0;
}

/** Taint of the value when it is not sanitized for `mask`. */
export function taintFor(v: Val, mask: San): Val['taint'] {
  return v.taint && ((v.taint.san ?? 0) & mask) === 0 ? v.taint : undefined;
}

/** A data-flow hit: `high` when an untrusted source is proven, the rule's severity otherwise. */
export function flowHit(v: Val, mask: San, sink: string, node?: Node, message?: string): Hit {
  const taint = taintFor(v, mask);
  if (taint) return { taint, sink, node, severity: 'high', message };
  // No proven source and not built here (a parameter passed straight through): lower confidence.
  return v.str && v.dyn ? { node, sink, message } : { node, sink, message, severity: 'low' };
}

/** Replace a node's text. */
export function replaceFix(title: string, node: Node, newText: string, ctx: RuleContext): FixEdit {
  return { title, range: ctx.range(node), newText };
}

/** Insert `text` just before the closing parenthesis of a call's argument list. */
export function appendArgFix(title: string, call: CallSite, text: string): FixEdit | undefined {
  const args = call.node.childForFieldName('arguments');
  if (!args || !args.text.endsWith(')')) return undefined;
  const end = args.endPosition;
  const empty = args.namedChildCount === 0;
  return { title, range: { startLine: end.row, startCol: end.column - 1, endLine: end.row, endCol: end.column - 1 }, newText: empty ? text : `, ${text}` };
}

/** Names that say a value is a secret credential. */
export const SECRET_NAME = /(?:^|[_.\-$]|[a-z](?=[A-Z]))(?:pass(?:word|wd|phrase)?|pwd|secret|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|bearer[_-]?token|client[_-]?secret|token|credentials?)$/i;

/** Names that say a value is used for security (tokens, keys, nonces, salts). */
export const SECURITY_CONTEXT = /token|passw|pwd|secret|salt|nonce|otp|session|csrf|api_?key|apikey|auth|reset|verif|crypt|(?:^|[_A-Z])key|(?:^|_)iv(?:$|_)|\bIV\b|cookie|captcha|pin\b|\bcode\b|invite|signature|credential/i;

/** Last identifier in a dotted/indexed target, e.g. `self.db_password` -> `db_password`. */
export function lastName(text: string): string {
  const m = /([A-Za-z_$][\w$]*)["'\]]*$/.exec(text);
  return m ? m[1] : text;
}

/**
 * Java: what a local StringBuilder/StringBuffer (or List) named `name` collects in the enclosing
 * function before offset `at`: the constructor's arguments (`new StringBuilder("SELECT …")`), then
 * each `name.append(…)` / `name.add(…)` argument (chained calls included), in document order.
 */
export function javaCollected(name: string, at: number, ctx: RuleContext, methods: RegExp): Node[] {
  const fn = ctx.functionNode();
  if (!fn || !/^[A-Za-z_$][\w$]*$/.test(name)) return [];
  let parts: Node[] = [];
  for (const n of fn.descendantsOfType(['variable_declarator', 'assignment_expression', 'method_invocation'])) {
    if (!n || n.startIndex >= at) continue;
    if (n.type !== 'method_invocation') {
      const decl = n.type === 'variable_declarator';
      const value = n.childForFieldName(decl ? 'value' : 'right');
      if (n.childForFieldName(decl ? 'name' : 'left')?.text === name && value?.type === 'object_creation_expression') parts = [...(value.childForFieldName('arguments')?.namedChildren ?? [])];
      continue;
    }
    if (!methods.test(n.childForFieldName('name')?.text ?? '')) continue;
    let root = n.childForFieldName('object');
    while (root?.type === 'method_invocation' && methods.test(root.childForFieldName('name')?.text ?? '')) root = root.childForFieldName('object');
    if (root?.text === name) parts.push(...(n.childForFieldName('arguments')?.namedChildren ?? []));
  }
  return parts.sort((a, b) => a.startIndex - b.startIndex);
}

/** Abstract value of the concatenation of `parts` (what a builder's toString() returns). */
export function concatVal(parts: readonly Node[], ctx: RuleContext): Val {
  let c = true;
  let dyn = false;
  let san: number = San.All;
  let taint: Val['taint'];
  let text = '';
  for (const p of parts) {
    const v = ctx.val(p);
    if (!v.c) {
      c = false;
      dyn = true;
      san &= v.san;
    }
    taint ??= v.taint;
    if (v.dyn) dyn = true;
    if (text.length < 2000) text += v.str || v.c ? v.text : '{}';
  }
  return { c, taint, san: c ? San.All : san, text, str: true, dyn };
}

/** `sb.toString()` on a local builder: the builder's name, else ''. */
export function builderName(n: Node | undefined): string {
  return /^([A-Za-z_$][\w$]*)\s*\.\s*toString\s*\(\s*\)$/.exec(n?.text ?? '')?.[1] ?? '';
}
