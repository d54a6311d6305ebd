/** Unsafe deserialization (CWE-502): pickle family, torch.load, yaml.load, numpy, Java/PHP/Ruby/.NET/JS deserializers. */
import type { Matcher } from '../rule';
import { defineRule } from '../rule';
import type { CallSite } from '../syntax';
import { appendArgFix, isFalse, isTrue, kw, replaceFix } from './helpers';

const PICKLE_MODULES = /^(?:pickle|cPickle|_pickle|dill|cloudpickle|joblib|jsonpickle|marshal|shelve|pandas|pd|torch\.serialization|numpy|np|sklearn\.externals\.joblib|pickle5|srsly|keras\.models|tf\.keras\.models)$/;

function pyModule(c: CallSite): string {
  const dot = c.callee.lastIndexOf('.');
  return dot > 0 ? c.callee.slice(0, dot) : '';
}

const pyDeser: Matcher = {
  kind: 'call',
  names: ['load', 'loads', 'decode', 'open', 'read_pickle', 'Unpickler', 'load_pickle'],
  check: (c, ctx) => {
    const mod = pyModule(c);
    if (c.name === 'read_pickle') return /^(?:pd|pandas)$/.test(mod) || mod === '' ? { message: 'pandas.read_pickle runs pickle on the file: loading an untrusted file runs arbitrary code' } : undefined;
    if (c.name === 'Unpickler') return /^(?:pickle|cPickle|_pickle|dill)$/.test(mod) ? { message: `${c.callee} loads pickles, which run arbitrary code from untrusted data` } : undefined;
    if (!PICKLE_MODULES.test(mod) || /^(?:pandas|pd|numpy|np|torch\.serialization|keras\.models|tf\.keras\.models)$/.test(mod)) return undefined;
    if (mod === 'jsonpickle' && c.name !== 'decode') return undefined;
    if (mod === 'shelve' && c.name !== 'open') return undefined;
    if (mod !== 'jsonpickle' && mod !== 'shelve' && c.name !== 'load' && c.name !== 'loads') return undefined;
    if (mod === 'srsly' && !/pickle/.test(c.callee)) return undefined;
    // A constant argument (a literal bytes blob) is not loading untrusted data.
    const a = c.args[0];
    if (a && ctx.val(a).c && a.type !== 'identifier') return undefined;
    return { message: `${c.callee} deserializes with pickle semantics: loading untrusted data runs arbitrary code; use a data-only format (JSON, safetensors)` };
  },
};

export const unsafeDeserialization = defineRule({
  id: 'unsafe-deserialization',
  name: 'Deserialization that can run code',
  cwe: 'CWE-502',
  severity: 'high',
  pattern: 4,
  message: 'This deserializer can instantiate arbitrary types or run code when the input is untrusted',
  why: 'OpenSSF AI code assistant guide: "Never suggest turning off security features like … type checking during deserialization"; pickle-like formats execute code on load (modelscan, fickling).',
  description: 'pickle/dill/cloudpickle/joblib/jsonpickle/marshal/shelve/pandas.read_pickle in Python; ObjectInputStream, XStream, Jackson default typing, SnakeYAML in Java; Marshal.load/YAML.load/Oj in Ruby; unserialize in PHP; BinaryFormatter/TypeNameHandling in .NET; node-serialize in JS.',
  matchers: {
    python: [pyDeser],
    java: [
      {
        kind: 'call',
        names: ['ObjectInputStream'],
        check: (c, ctx) => (c.isNew && !ctx.fileHas(/setObjectInputFilter|ObjectInputFilter|ValidatingObjectInputStream|resolveClass\s*\(/) ? { message: 'ObjectInputStream.readObject deserializes arbitrary classes (gadget chains); add an ObjectInputFilter allow-list or use a data format' } : undefined),
      },
      { kind: 'call', names: ['fromXML'], check: (c, ctx) => ((/xstream|xs\b|XStream/i.test(c.receiver?.text ?? '') || (/^\w+$/.test(c.receiver?.text ?? '') && ctx.fileHas(new RegExp(`\\bXStream\\s+${c.receiver?.text}\\b`)))) && !ctx.fileHas(/allowTypes|addPermission|setupDefaultSecurity/) ? { message: 'XStream.fromXML without a type allow-list can instantiate arbitrary classes' } : undefined) },
      {
        // Jackson polymorphic typing by class name: the JSON picks the class to instantiate.
        kind: 'node', trigger: /JsonTypeInfo/, types: ['annotation'],
        check: (n) => (/^@(?:com\.fasterxml\.jackson\.annotation\.)?JsonTypeInfo\s*\([^)]*\bId\.(?:CLASS|MINIMAL_CLASS)\b/.test(n.text) ? { message: '@JsonTypeInfo(use = Id.CLASS) lets the JSON name any class to instantiate (deserialization gadgets); use Id.NAME with @JsonSubTypes' } : undefined),
      },
      { kind: 'call', names: ['enableDefaultTyping', 'activateDefaultTyping', 'enableDefaultTypingAsProperty'], check: () => ({ message: 'Jackson default typing lets the JSON choose classes to instantiate (polymorphic deserialization gadgets)' }) },
      { kind: 'call', names: ['Yaml'], check: (c) => (c.isNew && !c.args.some((a) => /SafeConstructor/.test(a.text)) ? { message: 'SnakeYAML `new Yaml()` without SafeConstructor can construct arbitrary Java types from YAML' } : undefined) },
      { kind: 'call', names: ['XMLDecoder'], check: (c) => (c.isNew ? { message: 'java.beans.XMLDecoder executes method calls described by the XML' } : undefined) },
    ],
    ruby: [
      { kind: 'call', names: ['load', 'restore'], check: (c) => (/^(?:::)?Marshal$/.test(c.receiver?.text ?? '') ? { message: 'Marshal.load of untrusted data can instantiate arbitrary objects; use JSON' } : undefined) },
      {
        kind: 'call',
        names: ['load', 'unsafe_load', 'load_file', 'load_documents', 'load_stream', 'unsafe_load_file'],
        check: (c) => {
          if (!/^(?:::)?(?:YAML|Psych)$/.test(c.receiver?.text ?? '')) return undefined;
          // load_file reads a local (usually app-owned config) file: not untrusted input by itself.
          if (c.name === 'load_file') return undefined;
          if (c.name === 'load') {
            // Psych 4 made load safe by default, but only for code pinned to it; permitted classes
            // or an explicit safe load are the portable form.
            if (c.kwargs.has('permitted_classes') && !isTrue(kw(c, 'unsafe'))) return undefined;
          }
          return { message: `${c.callee} can build arbitrary Ruby objects from YAML; use YAML.safe_load` };
        },
      },
      { kind: 'call', names: ['load', 'object_load'], check: (c) => (/^Oj$/.test(c.receiver?.text ?? '') && !/mode:\s*:(?:strict|null|compat|json|rails)|:mode\s*=>\s*:(?:strict|null|compat|json)/.test(c.node.text) ? { message: 'Oj.load in object mode can instantiate arbitrary classes; pass mode: :strict' } : undefined) },
      { kind: 'call', names: ['load'], check: (c) => (/^(?:::)?JSON$/.test(c.receiver?.text ?? '') ? { message: 'JSON.load can create arbitrary objects (json_create); use JSON.parse', severity: 'medium' } : undefined) },
    ],
    php: [
      {
        kind: 'call',
        names: ['unserialize'],
        check: (c, ctx) => {
          if (c.receiver) return undefined;
          if (c.args[1] && /allowed_classes['"]\s*=>\s*false/.test(c.args[1].text)) return undefined;
          const a = c.args[0];
          if (a && ctx.val(a).c) return undefined;
          return { message: 'unserialize() of non-constant data can trigger object injection (magic methods); use json_decode or allowed_classes => false' };
        },
      },
    ],
    csharp: [
      { kind: 'call', names: ['BinaryFormatter', 'SoapFormatter', 'NetDataContractSerializer', 'LosFormatter', 'ObjectStateFormatter'], check: (c) => (c.isNew ? { message: `${c.name} deserializes arbitrary types and cannot be made safe; use System.Text.Json` } : undefined) },
      {
        kind: 'node', trigger: /TypeNameHandling/,
        types: ['member_access_expression'],
        check: (n) => (/^TypeNameHandling\.(?:All|Auto|Objects|Arrays)$/.test(n.text) ? { message: `${n.text} lets JSON choose the .NET type to instantiate (deserialization gadgets)` } : undefined),
      },
      { kind: 'call', names: ['JavaScriptSerializer'], check: (c) => (c.isNew && c.args.some((a) => /SimpleTypeResolver/.test(a.text)) ? { message: 'JavaScriptSerializer with SimpleTypeResolver instantiates types named in the JSON' } : undefined) },
    ],
    javascript: [
      {
        kind: 'call',
        names: ['unserialize', 'deserialize'],
        check: (c, ctx) => (ctx.fileHas(/node-serialize|serialize-to-js|funcster/) && !ctx.val(c.args[0]).c ? { message: 'node-serialize/serialize-to-js unserialize evaluates functions embedded in the data (IIFE payloads)' } : undefined),
      },
    ],
  },
});

export const torchLoad = defineRule({
  id: 'torch-load-unsafe',
  name: 'torch.load without weights_only=True',
  cwe: 'CWE-502',
  severity: 'high',
  pattern: 5,
  message: 'torch.load without weights_only=True unpickles the checkpoint: a malicious model file runs code on load',
  why: 'OpenSSF AI/ML guidance on model integrity; Bandit B614 / TorchFix TOR102. PyTorch < 2.6 defaults to full unpickling, and weights_only=False opts back in.',
  description: 'torch.load (and torch.serialization.load) called without weights_only=True, or with weights_only=False.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['load'],
        check: (c, ctx) => {
          if (!/^torch(?:\.serialization)?\.load$/.test(c.callee)) return undefined;
          const w = kw(c, 'weights_only');
          if (w && isTrue(w)) return undefined;
          if (w) return { message: 'torch.load(weights_only=False) unpickles the checkpoint: a malicious model file runs code on load', fixes: [replaceFix('Set weights_only=True', w, 'True', ctx)] };
          const fix = appendArgFix('Add weights_only=True', c, 'weights_only=True');
          return { fixes: fix ? [fix] : undefined };
        },
      },
    ],
  },
});

export const yamlUnsafeLoad = defineRule({
  id: 'yaml-unsafe-load',
  name: 'yaml.load without a safe loader',
  cwe: 'CWE-502',
  severity: 'high',
  pattern: 6,
  message: 'yaml.load without SafeLoader can construct arbitrary Python objects; use yaml.safe_load',
  why: 'OpenSSF AI code assistant guide (no unsafe deserialization); Bandit B506. PyYAML\'s full/unsafe loaders call constructors named in the document.',
  description: 'yaml.load / load_all without Loader=SafeLoader/CSafeLoader/BaseLoader, with Loader=Loader/UnsafeLoader/FullLoader, or yaml.unsafe_load / full_load.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['load', 'load_all', 'unsafe_load', 'unsafe_load_all', 'full_load', 'full_load_all'],
        check: (c, ctx) => {
          if (!/^(?:yaml|ruamel\.yaml)\./.test(c.callee) && !(c.callee === c.name && ctx.fileHas(/from\s+yaml\s+import[^\n]*\bload\b/))) return undefined;
          if (c.name.startsWith('unsafe_') || c.name.startsWith('full_')) return { message: `${c.callee} constructs arbitrary Python objects; use yaml.safe_load` };
          const loader = kw(c, 'Loader') ?? c.args[1];
          if (loader && /(?:^|\.)(?:C?SafeLoader|BaseLoader|C?BaseLoader)$/.test(loader.text)) return undefined;
          const fixes = loader ? undefined : [{ title: 'Use yaml.safe_load', range: ctx.range(c.node.childForFieldName('function')!), newText: c.callee.replace(/load(_all)?$/, 'safe_load$1') }];
          return { fixes };
        },
      },
    ],
  },
});

export const numpyAllowPickle = defineRule({
  id: 'numpy-allow-pickle',
  name: 'np.load(allow_pickle=True)',
  cwe: 'CWE-502',
  severity: 'high',
  pattern: 9,
  message: 'np.load(allow_pickle=True) unpickles object arrays: an untrusted .npy/.npz file runs code',
  why: 'NumPy made allow_pickle=False the default (CVE-2019-6446); modelscan flags pickled numpy arrays. OpenSSF AI/ML: treat model and data files as untrusted.',
  description: 'numpy.load called with allow_pickle=True.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['load'],
        check: (c, ctx) => {
          if (!/^(?:np|numpy)\.load$/.test(c.callee)) return undefined;
          const a = kw(c, 'allow_pickle');
          return a && isTrue(a) ? { node: a, fixes: [replaceFix('Set allow_pickle=False', a, 'False', ctx)] } : undefined;
        },
      },
    ],
  },
});

export const kerasUnsafe = defineRule({
  id: 'keras-unsafe-load',
  name: 'Keras unsafe deserialization / Lambda layer',
  cwe: 'CWE-502',
  severity: 'high',
  pattern: 9,
  message: 'Keras model loading with safe_mode disabled runs code embedded in the model file',
  why: 'Keras safe_mode blocks Lambda-layer bytecode on load (CVE-2025-1550, CVE-2025-9906); modelscan flags Lambda layers. OpenSSF AI/ML: model files are untrusted input.',
  description: 'load_model(safe_mode=False), keras.config.enable_unsafe_deserialization(), Lambda layers in models that will be shipped, and model_from_json/from_config of untrusted data.',
  matchers: {
    python: [
      {
        kind: 'call',
        names: ['load_model', 'model_from_json', 'model_from_yaml', 'from_config', 'deserialize_keras_object'],
        check: (c, ctx) => {
          const sm = kw(c, 'safe_mode');
          if (sm && isFalse(sm)) return { node: sm, fixes: [replaceFix('Set safe_mode=True', sm, 'True', ctx)] };
          if (c.name === 'model_from_yaml') return { message: 'model_from_yaml builds layers with unsafe YAML loading (removed in Keras 2.6 for that reason)' };
          return undefined;
        },
      },
      { kind: 'call', names: ['enable_unsafe_deserialization'], check: () => ({ message: 'enable_unsafe_deserialization() turns off Keras safe_mode for every later load' }) },
      {
        kind: 'call',
        names: ['Lambda'],
        check: (c, ctx) => (/^(?:(?:tf\.)?keras\.layers\.|layers\.)?Lambda$/.test(c.callee) && ctx.fileHas(/keras/) ? { severity: 'medium', message: 'Keras Lambda layers serialize Python bytecode into the model: loading such a model runs code (and needs safe_mode=False)' } : undefined),
      },
    ],
  },
});
