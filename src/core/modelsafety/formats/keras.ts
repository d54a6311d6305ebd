/**
 * Keras model configs (`config.json` in a `.keras` zip, the `model_config` attribute of a legacy
 * `.h5`). Keras rebuilds layers from class/module names; a Lambda layer carries marshalled Python
 * bytecode that runs on load unless `safe_mode=True` (default since Keras 2.13/3, bypassed by
 * CVE-2024-3660, CVE-2025-1550, CVE-2025-8747, CVE-2025-9906). Layers from modules outside Keras
 * need custom code; modules/functions on the pickle denylist are dangerous here too.
 */
import { classifyGlobal } from '../policy';
import { note, type ScanContext } from '../scanContext';

const KERAS_MODULE = /^(keras|tf_keras|tensorflow\.keras|tensorflow\.python\.keras)(\.|$)/;
/** Keras-internal functions that are gadgets when named in a config (file download, unsafe mode, nested loads). */
const KERAS_GADGETS = /(^|\.)(get_file|enable_unsafe_deserialization|load_model|load_weights|save_model|save|set_value|run_eagerly)$/;
const MAX_NODES = 2_000_000;

/** Walks a parsed Keras config and records findings for `member`. */
export function analyzeKerasConfig(config: unknown, ctx: ScanContext, member: string | undefined, where: string): void {
  const stack: unknown[] = [config];
  const reported = new WeakSet<object>();
  let nodes = 0;
  while (stack.length) {
    const node = stack.pop();
    if (++nodes > MAX_NODES) return note(ctx, 'unknown', 'KERAS_LIMIT', `${where}: config too large to walk`, member);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    const o = node as Record<string, unknown>;
    const cls = typeof o.class_name === 'string' ? o.class_name : undefined;
    const mod = typeof o.module === 'string' ? o.module : undefined;
    const registered = typeof o.registered_name === 'string' ? o.registered_name : undefined;
    if (cls === 'Lambda') {
      const layer = typeof (o.config as Record<string, unknown> | undefined)?.name === 'string' ? ` "${(o.config as Record<string, string>).name}"` : '';
      note(ctx, 'dangerous', 'KERAS_LAMBDA', `${where}: Lambda layer${layer} embeds Python bytecode that runs on load when safe_mode=False (or on Keras < 2.13 / CVE-2024-3660)`, member);
      // Its own function is a __lambda__ object: do not report it twice.
      const fn = (o.config as Record<string, unknown> | undefined)?.function;
      if (fn && typeof fn === 'object') reported.add(fn);
    } else if (cls === '__lambda__' && !reported.has(o)) {
      note(ctx, 'dangerous', 'KERAS_LAMBDA', `${where}: serialized Python lambda (marshalled bytecode) runs on load when safe_mode=False`, member);
    }
    if (mod !== undefined && cls !== undefined) {
      const fn = typeof o.config === 'string' ? o.config : cls;
      const v = KERAS_MODULE.test(mod) ? undefined : classifyGlobal(mod, fn);
      if (KERAS_MODULE.test(mod)) {
        if (KERAS_GADGETS.test(fn) || KERAS_GADGETS.test(cls)) {
          note(ctx, 'dangerous', 'KERAS_GADGET', `${where}: Keras function ${mod}.${fn} named in a config can download files or disable safe mode (CVE-2025-8747/9906)`, member);
        }
      } else if (v?.verdict === 'dangerous' || classifyGlobal(mod, cls).verdict === 'dangerous') {
        note(ctx, 'dangerous', 'KERAS_DANGEROUS_OBJECT', `${where}: object ${mod}.${fn} (${v?.reason}) is imported on load (CVE-2025-1550 style)`, member);
      } else if (mod !== 'builtins') {
        note(ctx, 'suspicious', 'KERAS_CUSTOM_OBJECT', `${where}: ${mod}.${cls} comes from outside Keras and needs custom code to load`, member);
      } else if (mod === 'builtins' && fn !== cls) {
        note(ctx, 'suspicious', 'KERAS_CUSTOM_OBJECT', `${where}: builtins.${fn} named in a config`, member);
      }
    }
    if (registered && registered.includes('>') && !KERAS_MODULE.test(mod ?? '')) {
      note(ctx, 'suspicious', 'KERAS_CUSTOM_OBJECT', `${where}: registered custom object ${registered} needs custom code to load`, member);
    }
    for (const v of Object.values(o)) if (v && typeof v === 'object') stack.push(v);
  }
}

/** Parses JSON text and analyses it; malformed JSON is an "unknown". */
export function analyzeKerasJson(text: string, ctx: ScanContext, member: string | undefined, where: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    note(ctx, 'unknown', 'KERAS_BAD_CONFIG', `${where} is not valid JSON: ${(e as Error).message}`, member);
    return false;
  }
  analyzeKerasConfig(parsed, ctx, member, where);
  return true;
}
