/**
 * Published bypasses of picklescan, modelscan and fickling, each rebuilt here and required to be
 * caught (verdict "dangerous"). Sources: GitHub advisories of mmaitre314/picklescan, issues of
 * protectai/modelscan, trailofbits/fickling PRs/advisories, JFrog and Sonatype write-ups.
 *
 * | # | bypass (source)                                                        | construct rebuilt here                                   | caught by |
 * |---|------------------------------------------------------------------------|----------------------------------------------------------|-----------|
 * | 1 | pip.main (picklescan GHSA-655q-fx9r-782v, CVE-2025-1716)               | GLOBAL pip.main + REDUCE                                 | module denylist |
 * | 2 | non-standard pickle name in a torch zip (CVE-2025-1889)                | `archive/evil.weights` member holding a pickle           | content sniffing of every member |
 * | 3 | local/central header name mismatch (CVE-2025-1944)                     | central `archive/data.txt`, local `archive/data.pkl`     | zip reader compares headers, scans both |
 * | 4 | zip flag bits 0x1/0x20/0x40 (CVE-2025-1945, GHSA-w8jq-xcqf-f792)       | flags set on data.pkl                                    | flags ignored except bit 3 |
 * | 5 | bad CRC makes zipfile raise (JFrog CVE-2025-10156)                     | wrong CRC on data.pkl                                    | CRC not needed to scan |
 * | 6 | pickle named .bin/.pt but not a zip (JFrog CVE-2025-10155)             | raw pickle saved as pytorch_model.bin                    | format by content |
 * | 7 | submodule of a denied module (JFrog CVE-2025-10157, GHSA-jgw4-cr84-mqxg) | asyncio.unix_events._UnixSubprocessTransport._start    | parent-package matching |
 * | 8 | legacy torch magic + eval (picklescan pytorch_magic_bypass.pt)         | magic-number pickle, then __builtin__.eval               | multi-pickle legacy reader |
 * | 9 | memo key confusion (picklescan keyerror/type-confusion exploits)       | PUT overwrites a memo slot before STACK_GLOBAL           | exact memo model |
 * |10 | BUILD sets attributes on numpy.prod, dotted GLOBAL numpy prod.a (modelscan#85) | verbatim opcode sequence from the issue          | BUILD-on-global + dotted names |
 * |11 | numpy.__builtins__ via STACK_GLOBAL + eval lookup (modelscan#330)      | verbatim hex from the issue                              | dunder names, computed calls |
 * |12 | importlib.import_module + getattr chains (modelscan#331, picklescan#66) | importlib.import_module('builtins') then getattr        | module denylist, computed calls |
 * |13 | nested pickle.loads(b"...") (modelscan#267)                            | __reduce__ -> pickle.loads(payload)                      | denylist + nested scan |
 * |14 | pydoc.locate + operator.methodcaller (GHSA-84r2-jw7c-4r5q)             | both globals                                             | denylist |
 * |15 | _operator.methodcaller / attrgetter (GHSA-955r-x9j8-7rhh, GHSA-46h3-79wf-xr6c) | aliases of operator                              | alias map |
 * |16 | pkgutil.resolve_name (GHSA-vvpj-8cmc-gx39)                             | GLOBAL pkgutil.resolve_name                              | denylist |
 * |17 | stdlib helpers that shell out (GHSA-g38g-8gr9-h9xp)                    | uuid, _osx_support, _aix_support, imaplib, _pyrepl, test.support | denylist |
 * |18 | profile/cProfile run/runctx (GHSA-7wx9-6375-f5wh, -9w88-, -49gj-)      | GLOBAL profile.run …                                     | denylist |
 * |19 | timeit, runstring, ensurepip, venv, idlelib, lib2to3, doctest, code, trace, distutils, ctypes, pty, f2py (picklescan 2025 advisories) | one GLOBAL each | denylist |
 * |20 | torch gadgets (bottleneck, _dynamo guards, fx symbolic_shapes, collect_env, datapipes decoder, jit execWrapper, _config_module, _inductor codecache) | one GLOBAL each | denylist |
 * |21 | _io.FileIO, urllib.request.urlopen, logging.FileHandler, types.CodeType, cloudpickle helpers | one GLOBAL each                  | denylist + aliases |
 * |22 | multiprocessing.util.spawnv_passfds, mlflow _run_entry_point, pandas read_csv (modelscan#338) | one GLOBAL each                       | denylist |
 * |23 | dotted attribute traversal `pathlib` + `os.system` (fickling GHSA-5j3x-jp52-966f) | STACK_GLOBAL 'pathlib' 'os.system'              | dotted-name components |
 * |24 | case / platform aliases (posix, nt, __builtin__, _posixsubprocess, OS) | GLOBAL variants                                          | alias + case folding |
 * |25 | EXT opcodes after copyreg.add_extension                                | EXT1 code                                                | unresolved import |
 * |26 | torch.storage._load_from_bytes with an embedded malicious archive      | nested pickle payload                                    | nested scan |
 * |27 | member hidden from the central directory                               | local header only                                        | local-header walk |
 * |28 | malicious pickle after a joblib raw array payload                      | NumpyArrayWrapper + raw bytes + os.system                | joblib payload skipping |
 * |29 | Keras Lambda / module-function config (CVE-2024-3660, CVE-2025-1550, CVE-2025-8747) | .keras config.json                           | Keras config walk |
 * |30 | GGUF chat-template SSTI (CVE-2024-34359)                               | tokenizer.chat_template with __globals__                 | GGUF reader |
 * |31 | other eval/exec/download gadgets (sympy parse_expr, _winapi, transformers remote code, hf_hub) | one GLOBAL each             | denylist |
 * |32 | pickle/zip polyglot (fickling polyglot checks)                         | a benign pickle with a malicious zip appended            | zip trailer check on pickles |
 */
import { strict as assert } from 'node:assert';
import { scanModelBytes } from '../../../../src/core/modelsafety';
import { makeZip, P, pk, reducePickle, torchStyleDataPkl } from './fixtures';
import { gguf } from './ggufFixture';

async function expectDangerous(data: Buffer, name: string, mustName?: string): Promise<void> {
  const r = await scanModelBytes(data, name);
  assert.equal(r.verdict, 'dangerous', `${name}: ${r.summary}\n${JSON.stringify(r.globals.concat(r.findings as never), null, 1)}`);
  if (mustName) {
    const all = r.globals.map((g) => `${g.module}.${g.name}`).concat(r.findings.map((f) => f.message));
    assert.ok(all.some((s) => s.includes(mustName)), `expected ${mustName} in ${JSON.stringify(all)}`);
  }
}

const singleGlobals: Array<[string, string, string]> = [
  ['#1 pip.main', 'pip', 'main'],
  ['#7 asyncio submodule', 'asyncio.unix_events', '_UnixSubprocessTransport._start'],
  ['#14 pydoc.locate', 'pydoc', 'locate'],
  ['#14 operator.methodcaller', 'operator', 'methodcaller'],
  ['#15 _operator.methodcaller', '_operator', 'methodcaller'],
  ['#15 _operator.attrgetter', '_operator', 'attrgetter'],
  ['#16 pkgutil.resolve_name', 'pkgutil', 'resolve_name'],
  ['#17 uuid._get_command_stdout', 'uuid', '_get_command_stdout'],
  ['#17 _osx_support._read_output', '_osx_support', '_read_output'],
  ['#17 _aix_support._read_cmd_output', '_aix_support', '_read_cmd_output'],
  ['#17 imaplib.IMAP4_stream', 'imaplib', 'IMAP4_stream'],
  ['#17 _pyrepl.pager.pipe_pager', '_pyrepl.pager', 'pipe_pager'],
  ['#17 test.support.script_helper', 'test.support.script_helper', 'assert_python_ok'],
  ['#18 profile.run', 'profile', 'run'],
  ['#18 profile.Profile.runctx', 'profile', 'Profile.runctx'],
  ['#18 cProfile.runctx', 'cProfile', 'runctx'],
  ['#19 timeit.timeit', 'timeit', 'timeit'],
  ['#19 numpy runstring', 'numpy.testing._private.utils', 'runstring'],
  ['#19 ensurepip._run_pip', 'ensurepip', '_run_pip'],
  ['#19 venv.create', 'venv', 'create'],
  ['#19 idlelib.pyshell', 'idlelib.pyshell', 'ModifiedInterpreter.runcode'],
  ['#19 idlelib.calltip', 'idlelib.calltip', 'get_entity'],
  ['#19 lib2to3 grammar', 'lib2to3.pgen2.grammar', 'Grammar.loads'],
  ['#19 lib2to3 pgen', 'lib2to3.pgen2.pgen', 'ParserGenerator.make_label'],
  ['#19 doctest.debug_script', 'doctest', 'debug_script'],
  ['#19 code.InteractiveInterpreter', 'code', 'InteractiveInterpreter.runcode'],
  ['#19 trace.Trace.run', 'trace', 'Trace.run'],
  ['#19 distutils write_file', 'distutils.file_util', 'write_file'],
  ['#19 ctypes.CDLL', 'ctypes', 'CDLL'],
  ['#19 pty.spawn', 'pty', 'spawn'],
  ['#19 numpy.f2py getlincoef', 'numpy.f2py.crackfortran', 'getlincoef'],
  ['#19 bdb.Bdb.run', 'bdb', 'Bdb.run'],
  ['#19 pdb.run', 'pdb', 'run'],
  ['#19 runpy._run_code', 'runpy', '_run_code'],
  ['#19 webbrowser.open', 'webbrowser', 'open'],
  ['#19 shutil.rmtree', 'shutil', 'rmtree'],
  ['#19 socket.create_connection', 'socket', 'create_connection'],
  ['#19 subprocess.run', 'subprocess', 'run'],
  ['#19 sys.exit', 'sys', 'exit'],
  ['#19 marshal.loads', 'marshal', 'loads'],
  ['#19 functools.partial', 'functools', 'partial'],
  ['#19 requests.api.get', 'requests.api', 'get'],
  ['#19 aiohttp ClientSession', 'aiohttp.client', 'ClientSession'],
  ['#19 httplib HTTPSConnection', 'httplib', 'HTTPSConnection'],
  ['#19 ssl.get_server_certificate', 'ssl', 'get_server_certificate'],
  ['#19 importlib.import_module', 'importlib', 'import_module'],
  ['#20 torch bottleneck', 'torch.utils.bottleneck.__main__', 'run_cprofile'],
  ['#20 torch _dynamo guards', 'torch._dynamo.guards', 'GuardBuilder.get'],
  ['#20 torch fx symbolic_shapes', 'torch.fx.experimental.symbolic_shapes', 'ShapeEnv.evaluate_guards_expression'],
  ['#20 torch collect_env', 'torch.utils.collect_env', 'run'],
  ['#20 torch datapipes decoder', 'torch.utils.data.datapipes.utils.decoder', 'basichandlers'],
  ['#20 torch jit execWrapper', 'torch.jit.unsupported_tensor_ops', 'execWrapper'],
  ['#20 torch _config_module', 'torch.utils._config_module', 'ConfigModule.load_config'],
  ['#20 torch _inductor codecache', 'torch._inductor.codecache', 'compile_file'],
  ['#20 torch.hub.load', 'torch.hub', 'load'],
  ['#20 torch.load', 'torch', 'load'],
  ['#20 torch.serialization.load', 'torch.serialization', 'load'],
  ['#21 _io.FileIO', '_io', 'FileIO'],
  ['#21 urllib.request.urlopen', 'urllib.request', 'urlopen'],
  ['#21 logging.FileHandler', 'logging', 'FileHandler'],
  ['#21 types.CodeType', 'types', 'CodeType'],
  ['#21 types.FunctionType', 'types', 'FunctionType'],
  ['#21 cloudpickle _make_function', 'cloudpickle.cloudpickle', '_make_function'],
  ['#21 dill _create_code', 'dill._dill', '_create_code'],
  ['#22 multiprocessing spawnv_passfds', 'multiprocessing.util', 'spawnv_passfds'],
  ['#22 mlflow _run_entry_point', 'mlflow.projects.backend.local', '_run_entry_point'],
  ['#22 pandas read_csv', 'pandas.io.parsers.readers', 'read_csv'],
  ['#24 posix.system', 'posix', 'system'],
  ['#24 nt.system', 'nt', 'system'],
  ['#24 os.path submodule', 'os.path', 'join'],
  ['#24 _posixsubprocess.fork_exec', '_posixsubprocess', 'fork_exec'],
  ['#24 __builtin__.eval', '__builtin__', 'eval'],
  ['#24 builtins.exec', 'builtins', 'exec'],
  ['#24 builtins.getattr', 'builtins', 'getattr'],
  ['#24 builtins.__import__', 'builtins', '__import__'],
  ['#24 builtins.open', 'builtins', 'open'],
  ['#24 builtins.compile', 'builtins', 'compile'],
  ['#24 builtins.globals', 'builtins', 'globals'],
  ['#24 upper-case OS', 'OS', 'system'],
  ['#24 mixed-case Subprocess', 'Subprocess', 'Popen'],
  ['#24 commands (py2)', 'commands', 'getoutput'],
  ['#31 sympy parse_expr (eval)', 'sympy.parsing.sympy_parser', 'parse_expr'],
  ['#31 _winapi.CreateProcess', '_winapi', 'CreateProcess'],
  ['#31 transformers remote code', 'transformers.dynamic_module_utils', 'get_class_from_dynamic_module'],
  ['#31 huggingface_hub download', 'huggingface_hub', 'hf_hub_download'],
];

describe('modelsafety: published scanner bypasses are caught', () => {
  for (const [label, module, name] of singleGlobals) {
    it(`${label}: ${module}.${name} via GLOBAL+REDUCE and via STACK_GLOBAL`, async () => {
      await expectDangerous(reducePickle(module, name), 'model.pkl', `${module}.${name}`);
      const viaStack = pk(P.proto(4), P.sbu(module), P.memoize, P.sbu(name), P.memoize, P.stackGlobal, P.sbu('x'), P.tuple1, P.reduce, P.stop);
      await expectDangerous(viaStack, 'model.pkl', `${module}.${name}`);
    });
  }

  const evil = reducePickle('os', 'system');

  it('#2 a pickle under a non-standard member name in a torch zip', async () => {
    const zip = makeZip([
      { name: 'archive/data.pkl', data: torchStyleDataPkl() },
      { name: 'archive/evil.weights', data: evil },
    ]);
    await expectDangerous(zip, 'model.pt', 'os.system');
  });

  it('#3 local and central headers naming the member differently', async () => {
    const r = await scanModelBytes(makeZip([{ name: 'archive/data.txt', localName: 'archive/data.pkl', data: evil }]), 'model.pt');
    assert.equal(r.verdict, 'dangerous');
    assert.ok(r.findings.some((f) => f.code === 'ZIP_NAME_MISMATCH'));
  });

  for (const flags of [0x1, 0x20, 0x40]) {
    it(`#4 zip flag bit 0x${flags.toString(16)} on data.pkl`, async () => {
      await expectDangerous(makeZip([{ name: 'archive/data.pkl', data: evil, flags }]), 'model.pt', 'os.system');
    });
  }

  it('#5 a wrong CRC on data.pkl (deflated, with a data descriptor)', async () => {
    await expectDangerous(makeZip([{ name: 'archive/data.pkl', data: evil, badCrc: true, method: 8, dataDescriptor: true }]), 'model.pt', 'os.system');
  });

  it('#6 a raw pickle named pytorch_model.bin', async () => {
    await expectDangerous(evil, 'pytorch_model.bin', 'os.system');
  });

  it('#8 legacy torch magic number followed by __builtin__.eval', async () => {
    // LONG1 of the magic 0x1950a86a20f9469cfc6c, as torch.save(_use_new_zipfile_serialization=False) writes it.
    const magic = pk(P.proto(2), Buffer.from([0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]), P.stop);
    const data = pk(magic, pk(P.proto(2), P.global('__builtin__', 'eval'), P.binunicode('1'), P.tuple1, P.reduce, P.stop));
    const r = await scanModelBytes(data, 'model.pt');
    assert.equal(r.verdict, 'dangerous');
    assert.equal(r.format, 'pytorch-legacy');
  });

  it('#9 memo slot overwritten with a different type before STACK_GLOBAL', async () => {
    const data = pk(
      P.proto(4),
      P.binint1(42), P.binput(0), P.pop,
      P.sbu('os'), P.binput(0), P.pop,
      P.sbu('system'), P.binput(1), P.pop,
      P.binget(0), P.binget(1), P.stackGlobal, P.sbu('id'), P.tuple1, P.reduce, P.stop,
    );
    await expectDangerous(data, 'x.pkl', 'os.system');
  });

  it('#10 modelscan#85: BUILD on numpy.prod, then dotted GLOBAL numpy prod.a / prod.b', async () => {
    const data = pk(
      P.proto(5),
      P.global('numpy', 'prod'),
      P.none, P.mark, P.unicode('a'), P.unicode('os'), Buffer.from('d'), P.tuple2, P.build,
      P.none, P.mark, P.unicode('b'), P.unicode('system'), Buffer.from('d'), P.tuple2, P.build,
      P.pop,
      P.global('numpy', 'prod.a'), P.put('0'),
      P.global('numpy', 'prod.b'), P.put('1'),
      P.pop, P.pop,
      P.get('0'), P.get('1'), P.stackGlobal,
      P.unicode('echo pwned!!!'), P.tuple1, P.reduce, P.stop,
    );
    const r = await scanModelBytes(data, 'x.pkl');
    assert.equal(r.verdict, 'dangerous');
    assert.ok(r.findings.some((f) => f.code === 'PICKLE_MUTATES_GLOBAL'));
    assert.ok(r.findings.some((f) => f.code === 'PICKLE_UNRESOLVED_IMPORT'));
  });

  it('#11 modelscan#330: numpy.__builtins__ and an eval lookup (verbatim bytes)', async () => {
    const hex =
      '80049566000000000000008c056e756d70798c0473697a659394948c056e756d70798c0c5f5f6275696c74696e735f5f93949468017d7d8c0573686170656803738662680168018c046576616c86528c1d5f5f696d706f72745f5f28226f7322292e73797374656d28226964222985522e';
    const r = await scanModelBytes(Buffer.from(hex, 'hex'), 'numpy_allowlist.pkl');
    assert.equal(r.verdict, 'dangerous');
    assert.ok(r.globals.some((g) => g.name === '__builtins__' && g.verdict === 'dangerous'));
  });

  it('#12 modelscan#331: importlib.import_module("builtins") then builtins.getattr on the result', async () => {
    const data = pk(
      P.proto(4),
      P.sbu('importlib'), P.sbu('import_module'), P.stackGlobal, P.memoize, P.sbu('builtins'), P.tuple1, P.reduce, P.memoize,
      P.sbu('builtins'), P.sbu('getattr'), P.stackGlobal, P.memoize,
      P.binget(2), P.binget(1), P.sbu('exec'), P.tuple2, P.reduce,
      P.sbu('print(1)'), P.tuple1, P.reduce, P.stop,
    );
    const r = await scanModelBytes(data, 'x.pkl');
    assert.equal(r.verdict, 'dangerous');
    assert.ok(r.findings.some((f) => f.code === 'PICKLE_COMPUTED_CALL'));
  });

  it('#13 modelscan#267: pickle.loads of an embedded payload is flagged and the payload scanned', async () => {
    const inner = Buffer.from("cbuiltins\nprint\n(S'This pickle has been exploited!'\ntR.", 'latin1');
    const data = pk(P.proto(2), P.global('pickle', 'loads'), P.binbytes(inner), P.tuple1, P.reduce, P.stop);
    const r = await scanModelBytes(data, 'nested_exploit.pickle');
    assert.equal(r.verdict, 'dangerous');
    const inside = r.globals.find((g) => g.module === 'builtins' && g.name === 'print');
    assert.ok(inside, 'the nested payload was scanned');
    assert.match(inside.locations[0].member ?? '', /pickle\.loads/);
  });

  it('#23 fickling GHSA-5j3x-jp52-966f: STACK_GLOBAL "pathlib" "os.system"', async () => {
    const data = pk(P.proto(4), P.sbu('pathlib'), P.sbu('os.system'), P.stackGlobal, P.sbu('id'), P.tuple1, P.reduce, P.stop);
    await expectDangerous(data, 'x.pkl', 'pathlib.os.system');
  });

  it('#25 EXT1 after copyreg.add_extension', async () => {
    const data = pk(
      P.proto(2),
      P.global('copyreg', 'add_extension'), P.binunicode('os'), P.binunicode('system'), P.binint1(1), Buffer.from([0x87]), P.reduce, P.pop,
      P.ext1(1), P.binunicode('id'), P.tuple1, P.reduce, P.stop,
    );
    await expectDangerous(data, 'x.pkl', 'copyreg.add_extension');
  });

  it('#26 torch.storage._load_from_bytes with an embedded malicious torch archive', async () => {
    const innerZip = makeZip([{ name: 'archive/data.pkl', data: evil }]);
    const data = pk(P.proto(2), P.global('torch.storage', '_load_from_bytes'), P.binbytes(innerZip), P.tuple1, P.reduce, P.stop);
    const r = await scanModelBytes(data, 'x.pkl');
    assert.equal(r.verdict, 'dangerous');
    assert.ok(r.globals.some((g) => g.module === 'os' && g.name === 'system' && /archive\/data\.pkl/.test(g.locations[0].member ?? '')), JSON.stringify(r.globals));
  });

  it('#26b torch.load(io.BytesIO(payload)) is looked through and the payload scanned', async () => {
    const data = pk(
      P.proto(2),
      P.global('torch', 'load'),
      P.global('_io', 'BytesIO'), P.binbytes(reducePickle('subprocess', 'getoutput')), P.tuple1, P.reduce,
      P.tuple1, P.reduce, P.stop,
    );
    const r = await scanModelBytes(data, 'x.pkl');
    assert.ok(r.globals.some((g) => g.module === 'subprocess' && /torch\.load/.test(g.locations[0].member ?? '')), JSON.stringify(r.globals));
  });

  it('#32 a pickle that is also a zip (polyglot): both views are scanned', async () => {
    const zip = makeZip([{ name: 'archive/data.pkl', data: evil }]);
    const benignPickle = torchStyleDataPkl();
    // Zip offsets are relative to the archive start; Python's zipfile finds it after the pickle.
    const r = await scanModelBytes(Buffer.concat([benignPickle, zip]), 'model.pkl');
    assert.equal(r.verdict, 'dangerous');
    assert.ok(r.findings.some((f) => f.code === 'POLYGLOT_ZIP'));
  });

  it('#27 a malicious member present only as a local header (not in the central directory)', async () => {
    const zip = makeZip([
      { name: 'archive/data.pkl', data: torchStyleDataPkl() },
      { name: 'archive/hidden.pkl', data: evil, hidden: true },
    ]);
    const r = await scanModelBytes(zip, 'model.pt');
    assert.equal(r.verdict, 'dangerous');
    assert.ok(r.findings.some((f) => f.code === 'ZIP_HIDDEN_ENTRY'));
  });

  it('#28 joblib: raw array bytes after a NumpyArrayWrapper BUILD, then os.system', async () => {
    const data = pk(
      P.proto(2),
      P.global('joblib.numpy_pickle', 'NumpyArrayWrapper'), P.emptyTuple, P.newobj,
      P.emptyDict, P.mark,
      P.binunicode('subclass'), P.global('numpy', 'ndarray'),
      P.binunicode('shape'), P.binint1(4), P.tuple1,
      P.binunicode('order'), P.binunicode('C'),
      P.binunicode('dtype'), P.global('numpy', 'dtype'), P.binunicode('f8'), Buffer.from([0x89, 0x88, 0x87]), P.reduce,
      P.binunicode('allow_mmap'), Buffer.from([0x89]),
      P.binunicode('numpy_array_alignment_bytes'), P.binint1(16),
      Buffer.from('u'), P.build,
      Buffer.from([3]), Buffer.alloc(3), // padding length byte + padding
      Buffer.alloc(32, 0xff), // 4 float64 values of raw array data
      P.pop,
      P.global('posix', 'system'), P.binunicode('id'), P.tuple1, P.reduce, P.stop,
    );
    const r = await scanModelBytes(data, 'model.joblib');
    assert.equal(r.verdict, 'dangerous', JSON.stringify(r.findings));
    assert.ok(!r.findings.some((f) => f.code === 'PICKLE_MALFORMED'), 'the raw payload was skipped, not parsed as opcodes');
  });

  it('#29 Keras: Lambda layer, a module function in the config, and the get_file gadget', async () => {
    const config = {
      class_name: 'Functional',
      config: {
        layers: [
          { class_name: 'Lambda', config: { name: 'lam', function: { class_name: '__lambda__', config: { code: 'YWJj' } } } },
          { module: 'os', class_name: 'function', config: 'system', registered_name: 'function' },
          { module: 'keras.utils', class_name: 'function', config: 'get_file', registered_name: 'function' },
        ],
      },
    };
    const zip = makeZip([
      { name: 'metadata.json', data: Buffer.from('{"keras_version": "3.8.0"}') },
      { name: 'config.json', data: Buffer.from(JSON.stringify(config)), method: 8 },
      { name: 'model.weights.h5', data: Buffer.from('\x89HDF\r\n\x1a\n', 'latin1') },
    ]);
    const r = await scanModelBytes(zip, 'model.keras');
    assert.equal(r.format, 'keras');
    assert.equal(r.verdict, 'dangerous');
    const codes = r.findings.map((f) => f.code);
    for (const c of ['KERAS_LAMBDA', 'KERAS_DANGEROUS_OBJECT', 'KERAS_GADGET']) assert.ok(codes.includes(c), `${c} in ${codes}`);
  });

  it('#30 GGUF chat template reaching Python internals', async () => {
    await expectDangerous(gguf({ kv: [['tokenizer.chat_template', "{{ ''.__class__.__mro__[1].__subclasses__() }}"]] }), 'model.gguf', 'CVE-2024-34359');
  });
});
