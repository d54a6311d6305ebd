/**
 * The rule catalog. Validated at load: unique ids, CWE format, at least one language.
 */
import type { Rule } from '../rule';
import { corsCredentialsWildcard, csrfDisabled, debugEnabled, errorDetailsExposed, insecureCookie, jwtUnverified, timingUnsafeCompare, webviewFileAccess, xxe } from './config';
import { insecureRandom, staticIv, weakCipher, weakHash, weakKeySize } from './crypto';
import { kerasUnsafe, numpyAllowPickle, torchLoad, unsafeDeserialization, yamlUnsafeLoad } from './deserialization';
import { codeInjection, commandInjection, nosqlInjection, sqlInjection } from './injection';
import { allocOverflow, cDangerousFunction, cppAutoPtr, cUncheckedIndex, formatString, rustUnsafe, uncheckedAlloc, useAfterFree } from './memory';
import { incompleteSanitization, incompleteUrlValidation, insecureTempFile, integerNarrowing, massAssignment, postMessageOrigin, prototypePollution, reverseTabnabbing, permissiveFilePermissions, regexDos, sensitiveLogging, stubValidator, untrustedSystemPrompt, xpathInjection } from './misc';
import { logInjection } from './logInjection';
import { privilegeDrop, toctouRace } from './privilege';
import { hfUnpinned, llmCodeTools, trustRemoteCode } from './ml';
import { hardcodedPassword, hardcodedProviderKey } from './secrets';
import { tlsVerificationDisabled } from './tls';
import { headerInjection, openRedirect, pathTraversal, ssrf, xss } from './web';

const ALL: Rule[] = [
  sqlInjection,
  commandInjection,
  codeInjection,
  unsafeDeserialization,
  torchLoad,
  yamlUnsafeLoad,
  trustRemoteCode,
  hfUnpinned,
  numpyAllowPickle,
  kerasUnsafe,
  hardcodedProviderKey,
  hardcodedPassword,
  tlsVerificationDisabled,
  weakHash,
  weakCipher,
  weakKeySize,
  staticIv,
  insecureRandom,
  xss,
  pathTraversal,
  xxe,
  cDangerousFunction,
  allocOverflow,
  uncheckedAlloc,
  useAfterFree,
  cUncheckedIndex,
  formatString,
  ssrf,
  openRedirect,
  incompleteUrlValidation,
  insecureTempFile,
  permissiveFilePermissions,
  debugEnabled,
  errorDetailsExposed,
  llmCodeTools,
  untrustedSystemPrompt,
  corsCredentialsWildcard,
  jwtUnverified,
  timingUnsafeCompare,
  csrfDisabled,
  insecureCookie,
  headerInjection,
  regexDos,
  xpathInjection,
  sensitiveLogging,
  rustUnsafe,
  integerNarrowing,
  prototypePollution,
  reverseTabnabbing,
  nosqlInjection,
  massAssignment,
  postMessageOrigin,
  webviewFileAccess,
  incompleteSanitization,
  logInjection,
  stubValidator,
  cppAutoPtr,
  privilegeDrop,
  toctouRace,
];

function validate(rules: Rule[]): Rule[] {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) throw new Error(`duplicate rule id ${r.id}`);
    seen.add(r.id);
    if (!/^CWE-\d+$/.test(r.cwe)) throw new Error(`rule ${r.id}: bad CWE ${r.cwe}`);
    if (!r.languages.length) throw new Error(`rule ${r.id}: no languages`);
    for (const ms of Object.values(r.matchers))
      for (const m of ms ?? []) if (!(m.kind === 'call' && m.names) && !m.trigger) throw new Error(`rule ${r.id}: a ${m.kind} matcher without names needs a trigger`);
  }
  return rules;
}

/** Every rule, in a stable order. */
export const RULE_SET: readonly Rule[] = validate(ALL);
