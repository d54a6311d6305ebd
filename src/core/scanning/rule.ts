/**
 * The rule model. A rule is data (id, CWE, severity, languages, message, why, help URL) plus
 * matchers: a node shape the scanner dispatches on (call, binding, string literal, comparison,
 * or a named node type) and a predicate evaluated in TypeScript. The scanner walks each tree
 * once and hands every node of a shape to the matchers registered for it, so adding a rule
 * never adds a pass over the tree.
 */
import type { Node } from 'web-tree-sitter';
import type { Range, FixEdit, Severity } from './finding';
import type { RuleLanguage } from './languages';
import type { Taint, Val } from './dataflow';
import type { Binding, CallSite } from './syntax';

/** What a matcher returns when it fires. */
export interface Hit {
  /** Node to underline (defaults to the matched node). */
  node?: Node;
  /** Overrides the rule message (e.g. to name the API). */
  message?: string;
  /** Overrides the rule severity (e.g. higher when an untrusted source is proven). */
  severity?: Severity;
  /** Overrides the rule CWE for this finding (e.g. CWE-916 for a password hashed with SHA-256). */
  cwe?: string;
  /** The untrusted source that reached the sink, for data-flow findings. */
  taint?: Taint;
  /** Sink description for the flow (`cursor.execute`). */
  sink?: string;
  fixes?: FixEdit[];
}

/** What matchers can ask about the code around a node. */
export interface RuleContext {
  readonly family: RuleLanguage;
  /** Whole document text. */
  readonly text: string;
  /** Abstract value of an expression in the current scope (data flow). */
  val(n: Node | null | undefined): Val;
  /** True when the document text matches (cached per pattern). */
  fileHas(re: RegExp): boolean;
  /** Text of the enclosing function (or the whole file at top level). */
  functionText(): string;
  /** Name of the enclosing function, '' at top level. */
  functionName(): string;
  /** The enclosing function node, null at top level. */
  functionNode(): Node | null;
  /** Range helper. */
  range(n: Node): Range;
  /** False when the enclosing function (or file at top level) cannot contain untrusted data. */
  mayTaint(): boolean;
  /** False when this expression cannot carry untrusted data (cheap, text-based, conservative). */
  mayTaintExpr(n: Node): boolean;
}

/**
 * `trigger` is a cheap necessary condition: a matcher whose trigger does not match the document
 * text is skipped for that document, and node types nobody is left to look at are not visited.
 * It must never be narrower than the check (a prescan narrower than its rule loses findings).
 * Every matcher except a call matcher with `names` must have one. The scanner is anchored: it
 * finds candidate nodes from where names/triggers/anchors occur in the text, so code with no
 * anchor is never visited.
 */
export type Matcher = {
  trigger?: RegExp;
  /**
   * Where in the text the node this matcher inspects can be found (the scanner climbs from each
   * match to the nearest node of the matcher's shape). Defaults to `trigger`; set it when the
   * trigger is a file-level condition elsewhere in the text (e.g. a route decorator).
   */
  anchor?: RegExp;
} & (
  | {
      kind: 'call';
      /** Last callee segments that trigger; omit for every call. */
      names?: readonly string[];
      /**
       * Optional necessary condition on the source text just before the callee name (e.g.
       * `requests.` before `get`): lets the scanner skip generic names without touching the tree.
       */
      before?: RegExp;
      check(call: CallSite, ctx: RuleContext): Hit | undefined;
    }
  | { kind: 'binding'; check(b: Binding, ctx: RuleContext): Hit | undefined }
  | { kind: 'string'; check(node: Node, content: string, ctx: RuleContext): Hit | undefined }
  | { kind: 'compare'; check(node: Node, left: Node, right: Node, op: string, ctx: RuleContext): Hit | undefined }
  | { kind: 'node'; types: readonly string[]; check(node: Node, ctx: RuleContext): Hit | undefined }
);

/** Rule metadata (what SARIF and the UI need). */
export interface RuleMeta {
  /** Stable id, e.g. `sql-injection`. */
  id: string;
  /** Short title, e.g. "SQL built from untrusted data". */
  name: string;
  /** Primary CWE, e.g. `CWE-89`. */
  cwe: string;
  severity: Severity;
  /** Rule families the rule has matchers for. */
  languages: readonly RuleLanguage[];
  /** Default finding message. */
  message: string;
  /** Short why, tied to the OpenSSF guidance. */
  why: string;
  /** One-paragraph description (SARIF fullDescription). */
  description: string;
  /** Which of the 25 ranked patterns in CODE-RULES-NOTES §6 this implements (0 = next tier). */
  pattern: number;
}

/** A rule: metadata plus per-language matchers. */
export interface Rule extends RuleMeta {
  matchers: Partial<Record<RuleLanguage, readonly Matcher[]>>;
}

/** Public rule metadata with the help URL resolved. */
export interface RuleInfo extends RuleMeta {
  helpUrl: string;
  shortDescription: string;
  fullDescription: string;
}

/** CWE page for an id like `CWE-89`. */
export function cweUrl(cwe: string): string {
  const n = /^CWE-(\d+)$/.exec(cwe)?.[1];
  return n ? `https://cwe.mitre.org/data/definitions/${n}.html` : 'https://cwe.mitre.org/';
}

/** Defines a rule; `languages` is derived from the matchers so the two cannot drift. */
export function defineRule(r: Omit<Rule, 'languages'>): Rule {
  return { ...r, languages: Object.keys(r.matchers) as RuleLanguage[] };
}
