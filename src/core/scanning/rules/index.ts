/**
 * The rule catalog. Validated at load: unique ids, CWE format, at least one language.
 */
import type { Rule } from '../rule';
import { codeInjection, commandInjection, sqlInjection } from './injection';

const ALL: Rule[] = [sqlInjection, commandInjection, codeInjection];

function validate(rules: Rule[]): Rule[] {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) throw new Error(`duplicate rule id ${r.id}`);
    seen.add(r.id);
    if (!/^CWE-\d+$/.test(r.cwe)) throw new Error(`rule ${r.id}: bad CWE ${r.cwe}`);
    if (!r.languages.length) throw new Error(`rule ${r.id}: no languages`);
  }
  return rules;
}

/** Every rule, in a stable order. */
export const RULE_SET: readonly Rule[] = validate(ALL);
