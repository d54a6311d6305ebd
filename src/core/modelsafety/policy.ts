/**
 * Which Python globals a model pickle may import. An allowlist of what PyTorch, NumPy and joblib
 * weight files actually use, and a denylist of what gives code execution, file, network or
 * interpreter access. Anything on neither list is "suspicious". The denylist merges the rule sets
 * of picklescan, modelscan and fickling with every published bypass of them we found (table in
 * test/unit/core/modelsafety/bypasses.test.ts); matching covers submodules, aliases, case and dotted names.
 */

/** Classification of one (module, name) pair. */
export interface GlobalVerdict {
  verdict: 'safe' | 'suspicious' | 'dangerous';
  reason: string;
}

/** Module aliases: C accelerators, Python 2 names and platform aliases map to the module they stand for. */
const MODULE_ALIASES: Record<string, string> = {
  __builtin__: 'builtins',
  __builtins__: 'builtins',
  posix: 'os',
  nt: 'os',
  _posixsubprocess: 'subprocess',
  commands: 'subprocess',
  popen2: 'subprocess',
  _operator: 'operator',
  _functools: 'functools',
  _io: 'io',
  _pickle: 'pickle',
  cpickle: 'pickle',
  copy_reg: 'copyreg',
  _socket: 'socket',
  _ssl: 'ssl',
  httplib: 'http.client',
  urllib2: 'urllib.request',
  _thread: 'threading',
  thread: 'threading',
  _ctypes: 'ctypes',
  _multiprocessing: 'multiprocessing',
  _asyncio: 'asyncio',
  _lsprof: 'cprofile',
  _signal: 'signal',
  _sqlite3: 'sqlite3',
  _imp: 'importlib',
  imp: 'importlib',
  _frozen_importlib: 'importlib',
  _frozen_importlib_external: 'importlib',
  _bootstrap: 'importlib',
  _interpreters: 'importlib',
  _xxsubinterpreters: 'importlib',
  'numpy._core': 'numpy.core',
};

/** Modules (and all their submodules) that are dangerous whatever name is imported. Lower case. */
const DANGEROUS_MODULES: Record<string, string> = {
  os: 'operating-system access (os.system, exec*, spawn*, file writes)',
  subprocess: 'runs external processes',
  pty: 'spawns processes (pty.spawn)',
  sys: 'interpreter internals (sys.modules, settrace, exit)',
  runpy: 'runs Python code (runpy._run_code)',
  code: 'interactive interpreter (runs code)',
  codeop: 'compiles code',
  importlib: 'imports arbitrary modules',
  zipimport: 'imports code from archives',
  pkgutil: 'resolves arbitrary names (pkgutil.resolve_name)',
  pydoc: 'resolves arbitrary names (pydoc.locate) and runs pagers',
  inspect: 'reflective access to any object',
  gc: 'reaches every live object',
  site: 'imports and executes .pth hooks',
  socket: 'network access',
  socketserver: 'network servers',
  ssl: 'network access (DNS/TLS exfiltration)',
  http: 'network access',
  urllib: 'network access',
  urllib3: 'network access',
  requests: 'network access',
  httpx: 'network access',
  aiohttp: 'network access',
  ftplib: 'network access',
  smtplib: 'network access',
  imaplib: 'network access and shell commands (IMAP4_stream)',
  poplib: 'network access',
  telnetlib: 'network access',
  nntplib: 'network access',
  xmlrpc: 'network access',
  webbrowser: 'opens URLs / runs a browser',
  shutil: 'file-system writes and deletes',
  tempfile: 'file-system writes',
  glob: 'file-system enumeration',
  fileinput: 'file reads',
  linecache: 'file reads',
  filecmp: 'file reads',
  tarfile: 'archive extraction (file writes)',
  zipfile: 'archive extraction (file writes)',
  shelve: 'opens pickle databases (nested unpickling)',
  sqlite3: 'database files',
  mmap: 'memory-mapped files',
  pickle: 'nested unpickling',
  dill: 'nested unpickling / code objects',
  cloudpickle: 'code-object reconstruction',
  marshal: 'code-object loading',
  types: 'code/function object construction (types.CodeType, FunctionType)',
  ctypes: 'native code / foreign function calls',
  cffi: 'native code',
  multiprocessing: 'spawns processes (multiprocessing.util.spawnv_passfds)',
  concurrent: 'spawns processes/threads',
  threading: 'starts threads',
  asyncio: 'subprocesses and network (asyncio.unix_events, create_subprocess_*)',
  signal: 'signal handlers',
  atexit: 'registers code to run at exit',
  bdb: 'debugger (runs code)',
  pdb: 'debugger (runs code)',
  trace: 'runs code under tracing (Trace.run)',
  timeit: 'runs code strings (timeit.timeit)',
  cprofile: 'runs code strings (cProfile.run)',
  profile: 'runs code strings (profile.run)',
  doctest: 'runs code (debug_script)',
  unittest: 'runs test code',
  test: 'runs Python subprocesses (test.support.script_helper)',
  idlelib: 'IDLE helpers that run code',
  lib2to3: 'grammar loaders that unpickle / eval',
  distutils: 'build helpers (file writes, spawn)',
  setuptools: 'build helpers (spawn, file writes)',
  pip: 'installs packages (pip.main)',
  ensurepip: 'runs pip (ensurepip._run_pip)',
  venv: 'creates environments, runs pip',
  platform: 'runs commands (platform.popen in old versions)',
  uuid: 'runs commands (uuid._get_command_stdout)',
  _osx_support: 'runs commands (_read_output)',
  _aix_support: 'runs commands (_read_cmd_output)',
  _pyrepl: 'runs pagers via the shell',
  pipes: 'runs shell pipelines',
  pexpect: 'spawns processes',
  sh: 'spawns processes',
  plumbum: 'spawns processes',
  fabric: 'remote command execution',
  paramiko: 'remote command execution',
  compileall: 'compiles and writes .pyc files',
  py_compile: 'compiles and writes .pyc files',
  logging: 'file/network handlers (logging.FileHandler)',
  syslog: 'writes system logs',
  select: 'I/O multiplexing',
  selectors: 'I/O multiplexing',
  'numpy.f2py': 'eval of Fortran expressions (crackfortran.getlincoef)',
  'numpy.distutils': 'build commands',
  'numpy.testing': 'runstring() executes code',
  'numpy.ctypeslib': 'loads native libraries',
  'numpy.lib.npyio': 'loads files (numpy.load with pickles)',
  'pandas.io': 'reads files and URLs (read_csv, read_pickle)',
  'torch.hub': 'downloads and runs code',
  'torch._dynamo': 'compiles and runs code (GuardBuilder.get)',
  'torch._inductor': 'compiles and runs code (codecache.compile_file)',
  'torch.jit': 'compiles and runs code (unsupported_tensor_ops.execWrapper)',
  'torch.fx': 'evaluates code (symbolic_shapes.ShapeEnv.evaluate_guards_expression)',
  'torch.utils._config_module': 'loads nested pickles (ConfigModule.load_config)',
  'torch.utils.bottleneck': 'runs profilers on code (run_cprofile)',
  'torch.utils.collect_env': 'runs commands (collect_env.run)',
  'torch.utils.data.datapipes': 'nested pickle loaders (decoder.basichandlers)',
  'torch.utils.cpp_extension': 'compiles and loads native code',
  'torch.distributed': 'network and remote calls',
  'torch.ops': 'loads native libraries',
  'torch._ops': 'loads native libraries',
  'torch.classes': 'loads native libraries',
  'torch.package': 'imports code from packages',
  'torch._c': 'native internals',
  'mlflow.projects': 'runs entry points (_run_entry_point)',
  keras: 'not a pickle global in weight files (Keras deserialisation helpers)',
  tensorflow: 'graph execution / file I/O (tf.io, tf.py_function)',
  jinja2: 'template execution',
  yaml: 'unsafe YAML loading',
  jsonpickle: 'nested object loading',
  _winapi: 'Windows process creation (CreateProcess)',
  msvcrt: 'Windows C runtime (spawn, file handles)',
  winreg: 'Windows registry access',
  _winreg: 'Windows registry access',
  wsgiref: 'network servers',
  asyncore: 'network access',
  asynchat: 'network access',
  boto3: 'cloud access',
  botocore: 'cloud access',
  huggingface_hub: 'downloads files and code',
  'transformers.dynamic_module_utils': 'imports remote code (trust_remote_code loaders)',
  pyximport: 'compiles and imports code',
  cython: 'compiles code',
  ipython: 'runs code and shell commands',
  'sympy.parsing': 'eval of expressions (parse_expr)',
  numexpr: 'evaluates expressions',
  'torch.export': 'loads nested archives',
  'torch._export': 'loads nested archives',
  'torch.multiprocessing': 'spawns processes',
  'torch.testing': 'test helpers that spawn processes',
};

/** Specific dangerous callables in otherwise tolerable modules. Keys are canonical module names (lower case). */
const DANGEROUS_NAMES: Record<string, Record<string, string>> = {
  builtins: Object.fromEntries(
    [
      'eval', 'exec', 'execfile', 'compile', 'getattr', 'setattr', 'delattr', 'hasattr', '__import__', 'open', 'file',
      'globals', 'locals', 'vars', 'dir', 'breakpoint', 'input', 'raw_input', 'apply', 'reload', 'help', 'exit',
      'quit', '__build_class__', '__loader__', '__spec__', 'memoryview', 'classmethod', 'staticmethod', 'property',
      'super', 'type',
    ].map((n) => [n, 'builtin with direct code, attribute or I/O access']),
  ),
  operator: Object.fromEntries(
    ['attrgetter', 'itemgetter', 'methodcaller', 'call', 'getitem', 'setitem', 'delitem'].map((n) => [
      n,
      'turns strings into attribute/method access (bypass vehicle)',
    ]),
  ),
  functools: { partial: 'wraps any callable (bypass vehicle)', partialmethod: 'wraps any callable', reduce: 'calls any callable repeatedly' },
  io: { FileIO: 'reads/writes arbitrary files', open: 'opens arbitrary files', open_code: 'opens arbitrary files' },
  codecs: { open: 'opens arbitrary files', EncodedFile: 'wraps files' },
  copyreg: { add_extension: 'registers extension codes (EXT opcode tricks)' },
  numpy: { load: 'loads nested files/pickles', fromfile: 'reads files', memmap: 'maps files', save: 'writes files' },
  torch: { load: 'loads nested files/pickles', compile: 'compiles code', from_file: 'reads files', save: 'writes files' },
  'torch.serialization': { load: 'loads nested files/pickles', _load: 'loads nested files/pickles', save: 'writes files' },
  'torch.storage': { _load_from_bytes: 'runs torch.load on embedded bytes (nested pickle)' },
  joblib: { load: 'loads nested pickles', dump: 'writes files' },
  'joblib.numpy_pickle': { load: 'loads nested pickles', dump: 'writes files' },
  pandas: { read_pickle: 'loads nested pickles', read_csv: 'reads files and URLs', eval: 'evaluates expressions' },
};

/** Exact (canonical module, name) pairs that weight files legitimately use. */
const SAFE_NAMES: Record<string, Set<string>> = {
  collections: new Set(['OrderedDict']),
  builtins: new Set([
    'set', 'frozenset', 'dict', 'list', 'tuple', 'bytearray', 'bytes', 'str', 'int', 'float', 'complex', 'bool',
    'slice', 'range', 'object', 'NoneType', 'Ellipsis', 'NotImplemented',
  ]),
  copyreg: new Set(['_reconstructor', '__newobj__', '__newobj_ex__']),
  torch: new Set([
    'Size', 'device', 'dtype', 'layout', 'memory_format', 'qscheme', 'Tensor', 'Generator',
    'strided', 'sparse_coo', 'sparse_csr', 'sparse_csc', 'sparse_bsr', 'sparse_bsc', '_mkldnn', 'jagged',
    'contiguous_format', 'channels_last', 'channels_last_3d', 'preserve_format',
    'per_tensor_affine', 'per_channel_affine', 'per_tensor_symmetric', 'per_channel_symmetric',
    'per_channel_affine_float_qparams', 'half', 'float', 'double', 'long', 'int', 'short', 'bool', 'cfloat',
    'cdouble', 'chalf',
  ]),
  'torch._utils': new Set([
    '_rebuild_tensor', '_rebuild_tensor_v2', '_rebuild_tensor_v3', '_rebuild_parameter', '_rebuild_parameter_with_state',
    '_rebuild_qtensor', '_rebuild_sparse_tensor', '_rebuild_sparse_csr_tensor', '_rebuild_nested_tensor',
    '_rebuild_device_tensor_from_numpy', '_rebuild_device_tensor_from_cpu_tensor', '_rebuild_meta_tensor_no_storage',
    '_rebuild_wrapper_subclass', '_rebuild_xla_tensor', '_rebuild_mlc_tensor', '_rebuild_mtia_tensor',
  ]),
  'torch._tensor': new Set(['_rebuild_from_type_v2', '_rebuild_from_type', 'Tensor']),
  'torch.nn.parameter': new Set(['Parameter', 'Buffer', 'UninitializedParameter', 'UninitializedBuffer']),
  'torch.storage': new Set(['UntypedStorage', 'TypedStorage', '_LegacyStorage']),
  'torch.serialization': new Set(['_get_layout']),
  'torch.torch_version': new Set(['TorchVersion']),
  numpy: new Set(['dtype', 'ndarray', 'bool_', 'float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'complex64', 'complex128']),
  'numpy.core.multiarray': new Set(['_reconstruct', 'scalar']),
  'numpy.core.numeric': new Set(['_frombuffer']),
  'joblib.numpy_pickle': new Set(['NumpyArrayWrapper']),
  'joblib.numpy_pickle_compat': new Set(['NDArrayWrapper']),
  _codecs: new Set(['encode']),
};

/** torch storage classes (torch.FloatStorage, torch.cuda.HalfStorage…) and dtypes (torch.float32…). */
const TORCH_STORAGE = /^[A-Z][A-Za-z0-9]*Storage$/;
const TORCH_DTYPE = /^(float(16|32|64)|bfloat16|u?int(1|2|3|4|5|6|7|8|16|32|64)|complex(32|64|128)|q(u)?int(8|32|2x4|4x2)|float8_e[45]m[23](fn|fnuz)?|float8_e8m0fnu|float4_e2m1fn_x2|bits(1x8|2x4|4x2|8|16))$/;
const NUMPY_DTYPE_CLASS = /^[A-Z][A-Za-z0-9]*DType$/;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Canonical, lower-cased module name with aliases applied to its first segments. */
export function canonicalModule(module: string): string {
  const lower = module.toLowerCase();
  const parts = lower.split('.');
  for (let i = parts.length; i >= 1; i--) {
    const head = parts.slice(0, i).join('.');
    const alias = MODULE_ALIASES[head];
    if (alias) return [alias, ...parts.slice(i)].join('.');
  }
  return lower;
}

/** The denylist reason of `module` or of one of its parent packages, if any. */
function dangerousModuleReason(canonical: string): string | undefined {
  const parts = canonical.split('.');
  for (let i = 1; i <= parts.length; i++) {
    const head = parts.slice(0, i).join('.');
    const why = DANGEROUS_MODULES[head];
    if (why) return `${head}: ${why}`;
  }
  return undefined;
}

/** Looks `name` up case-insensitively in a name table. */
function lookupName(table: Record<string, string> | undefined, name: string): string | undefined {
  if (!table) return undefined;
  if (table[name]) return table[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(table)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function isSafe(module: string, name: string): boolean {
  const mod = module === 'numpy._core.multiarray' ? 'numpy.core.multiarray' : module === 'numpy._core.numeric' ? 'numpy.core.numeric' : module;
  const canon = MODULE_ALIASES[mod] ?? mod;
  if (SAFE_NAMES[canon]?.has(name)) return true;
  if ((mod === 'torch' || mod === 'torch.cuda') && TORCH_STORAGE.test(name)) return true;
  if (mod === 'torch' && TORCH_DTYPE.test(name)) return true;
  if (mod === 'numpy.dtypes' && NUMPY_DTYPE_CLASS.test(name)) return true;
  return false;
}

/**
 * Classifies an imported global. Checks, in order: the whole path against dangerous modules
 * (with aliases, case folding and parent packages), dotted-name traversal (`pathlib` + `os.system`,
 * `numpy` + `__builtins__`), dangerous callables, then the exact-match allowlist.
 */
export function classifyGlobal(module: string, name: string): GlobalVerdict {
  const canon = canonicalModule(module);
  const modWhy = dangerousModuleReason(canon);
  if (modWhy) return { verdict: 'dangerous', reason: `module ${modWhy}` };

  const nameParts = name.split('.');
  // Pickle resolves dotted names attribute by attribute, so `name` can walk into any module the
  // imported one references; each component counts (GHSA-5j3x-jp52-966f, modelscan#85).
  if (nameParts.length > 1) {
    for (let i = 0; i < nameParts.length; i++) {
      const part = nameParts[i];
      const asModule = dangerousModuleReason(canonicalModule(part));
      if (asModule) return { verdict: 'dangerous', reason: `dotted name reaches module ${asModule}` };
      if (/^__.*__$/.test(part)) return { verdict: 'dangerous', reason: `dotted name walks through dunder attribute ${part}` };
    }
    const viaPrefix = classifyGlobal(`${module}.${nameParts.slice(0, -1).join('.')}`, nameParts[nameParts.length - 1]);
    if (viaPrefix.verdict === 'dangerous') return { verdict: 'dangerous', reason: `dotted name: ${viaPrefix.reason}` };
  }
  if (isSafe(module, name)) return { verdict: 'safe', reason: 'on the allowlist of globals used by weight files' };
  if (/^__.*__$/.test(name)) {
    return { verdict: 'dangerous', reason: `dunder attribute ${name} exposes interpreter internals (e.g. __builtins__)` };
  }
  const nameWhy = lookupName(DANGEROUS_NAMES[canon], name) ?? lookupName(DANGEROUS_NAMES[canon], nameParts[0]);
  if (nameWhy) return { verdict: 'dangerous', reason: `${canon}.${name}: ${nameWhy}` };
  if (canon === 'builtins' && !SAFE_NAMES.builtins.has(name)) {
    return { verdict: 'suspicious', reason: `builtin ${name} is not on the safe list` };
  }
  if (!module.split('.').every((p) => IDENTIFIER.test(p)) || !nameParts.every((p) => IDENTIFIER.test(p))) {
    return { verdict: 'suspicious', reason: 'not a valid Python module/attribute name' };
  }
  if (module === '__main__') return { verdict: 'suspicious', reason: 'class or function from the saving script (__main__): its code is not in the file' };
  return { verdict: 'suspicious', reason: 'not on the allowlist: loading imports and may call third-party code' };
}
