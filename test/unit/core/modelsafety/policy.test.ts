import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyGlobal, filesAtLeast, ModelSafetyCache, worstVerdict } from '../../../../src/core/modelsafety';
import { reducePickle, tempDir, torchStyleDataPkl } from './fixtures';

describe('modelsafety policy', () => {
  it('allows the globals PyTorch, NumPy and joblib weight files use', () => {
    for (const [m, n] of [
      ['torch._utils', '_rebuild_tensor_v2'],
      ['torch._utils', '_rebuild_parameter'],
      ['torch', 'FloatStorage'],
      ['torch', 'BFloat16Storage'],
      ['torch', 'bfloat16'],
      ['torch', 'float8_e4m3fn'],
      ['torch', 'Size'],
      ['torch._tensor', '_rebuild_from_type_v2'],
      ['torch.nn.parameter', 'Parameter'],
      ['collections', 'OrderedDict'],
      ['numpy.core.multiarray', '_reconstruct'],
      ['numpy._core.multiarray', '_reconstruct'],
      ['numpy', 'dtype'],
      ['numpy.dtypes', 'Float32DType'],
      ['_codecs', 'encode'],
      ['__builtin__', 'set'],
      ['copy_reg', '_reconstructor'],
      ['joblib.numpy_pickle', 'NumpyArrayWrapper'],
    ]) {
      assert.equal(classifyGlobal(m, n).verdict, 'safe', `${m}.${n}`);
    }
  });

  it('calls anything else suspicious, with a reason', () => {
    for (const [m, n] of [
      ['sklearn.linear_model._base', 'LinearRegression'],
      ['collections', 'Counter'],
      ['__main__', 'MyModel'],
      ['torch', 'FloatTensorTypo'],
      ['builtins', 'print'],
    ]) {
      const v = classifyGlobal(m, n);
      assert.equal(v.verdict, 'suspicious', `${m}.${n}`);
      assert.ok(v.reason.length > 10);
    }
  });

  it('matches submodules, aliases, case and dotted traversal as dangerous', () => {
    for (const [m, n] of [
      ['os.path', 'join'],
      ['posix', 'system'],
      ['NT', 'system'],
      ['__builtin__', 'eval'],
      ['builtins', 'getattr'],
      ['torch', 'serialization.os.system'],
      ['collections', 'OrderedDict.__init__.__globals__'],
      ['numpy', '__builtins__'],
      ['asyncio.unix_events', '_UnixSubprocessTransport._start'],
      ['_operator', 'attrgetter'],
      ['torch.utils._config_module', 'ConfigModule.load_config'],
    ]) {
      assert.equal(classifyGlobal(m, n).verdict, 'dangerous', `${m}.${n}`);
    }
  });

  it('orders verdicts safe < unknown < suspicious < dangerous', () => {
    assert.equal(worstVerdict(), 'safe');
    assert.equal(worstVerdict('safe', 'unknown'), 'unknown');
    assert.equal(worstVerdict('suspicious', 'unknown', 'safe'), 'suspicious');
    assert.equal(worstVerdict('dangerous', 'suspicious'), 'dangerous');
  });

  it('lists the files at or above a level, worst first (for the signing warning)', () => {
    const files = [
      { path: 'a', verdict: 'suspicious' as const },
      { path: 'b', verdict: 'dangerous' as const },
      { path: 'c', verdict: 'safe' as const },
      { path: 'd', verdict: 'unknown' as const },
    ];
    assert.deepEqual(filesAtLeast(files).map((f) => f.path), ['b']);
    assert.deepEqual(filesAtLeast(files, 'unknown').map((f) => f.path), ['b', 'a', 'd']);
  });
});

describe('ModelSafetyCache', () => {
  it('reuses a verdict while the file is unchanged and rescans after a change', async () => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'm.pkl');
      fs.writeFileSync(file, torchStyleDataPkl());
      const cache = new ModelSafetyCache();
      const a = await cache.get(file);
      const b = await cache.get(file);
      assert.equal(a, b);
      assert.equal(a.verdict, 'safe');
      fs.writeFileSync(file, reducePickle('os', 'system'));
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      const c = await cache.get(file);
      assert.notEqual(c, a);
      assert.equal(c.verdict, 'dangerous');
      cache.invalidate(file);
      assert.notEqual(await cache.get(file), c);
    } finally {
      t.cleanup();
    }
  });
});
