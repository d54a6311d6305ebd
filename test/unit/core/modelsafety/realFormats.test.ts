/**
 * Files written by the real libraries (torch.save, joblib.dump, dill.dump, keras Model.save),
 * when python3 can import them. CI machines without these libraries skip this suite; locally,
 * point TRUSTLENS_TEST_PYTHONPATH at a directory with them installed (e.g. `pip install --target`).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanModelFile, type FileSafetyReport } from '../../../../src/core/modelsafety';
import { tempDir } from './fixtures';

const ROOT = path.resolve(__dirname, '../../../..');
const PYTHONPATH = process.env.TRUSTLENS_TEST_PYTHONPATH ?? (fs.existsSync(path.join(ROOT, '.tmp/pylib')) ? path.join(ROOT, '.tmp/pylib') : '');
const env = { ...process.env, PYTHONPATH, KERAS_BACKEND: 'torch', PYTHONWARNINGS: 'ignore', TF_CPP_MIN_LOG_LEVEL: '3' };

function canImport(mod: string): boolean {
  return spawnSync('python3', ['-c', `import ${mod}`], { env }).status === 0;
}

function run(code: string, out: string): void {
  const r = spawnSync('python3', ['-c', `import os, sys\nOUT = sys.argv[1]\nclass Evil:\n    def __reduce__(self):\n        return (os.system, ('echo pwned',))\n${code}`, out], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

const CASES: Array<{ lib: string; code: string; expect: Record<string, [FileSafetyReport['verdict'], FileSafetyReport['format']]> }> = [
  {
    lib: 'torch',
    code: `
import numpy as np, torch, torch.nn as nn
m = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(16, 2))
torch.save(m.state_dict(), f'{OUT}/state_zip.pt')
torch.save(m.state_dict(), f'{OUT}/state_legacy.pt', _use_new_zipfile_serialization=False)
torch.save(m, f'{OUT}/whole_model.pt')
opt = torch.optim.Adam(m.parameters()); m(torch.randn(1, 3, 4, 4)).sum().backward(); opt.step()
torch.save({'model': m.state_dict(), 'optimizer': opt.state_dict(), 'epoch': 3, 'np': np.arange(4), 'lr': np.float32(0.1)}, f'{OUT}/checkpoint.ckpt')
torch.save({'bf16': torch.randn(4).to(torch.bfloat16), 'f8': torch.randn(4).to(torch.float8_e4m3fn),
            'q': torch.quantize_per_tensor(torch.randn(4), 0.1, 0, torch.qint8), 'sparse': torch.randn(4, 4).to_sparse(),
            'p': nn.Parameter(torch.randn(2)), 'c': torch.randn(2, dtype=torch.complex64)}, f'{OUT}/dtypes.pth')
torch.save({'w': torch.randn(2), 'x': Evil()}, f'{OUT}/evil_torch.pt')
torch.save({'w': torch.randn(2), 'x': Evil()}, f'{OUT}/evil_torch_legacy.pt', _use_new_zipfile_serialization=False)
`,
    expect: {
      'state_zip.pt': ['safe', 'pytorch-zip'],
      'state_legacy.pt': ['safe', 'pytorch-legacy'],
      'checkpoint.ckpt': ['safe', 'pytorch-zip'],
      'dtypes.pth': ['safe', 'pytorch-zip'],
      'whole_model.pt': ['suspicious', 'pytorch-zip'],
      'evil_torch.pt': ['dangerous', 'pytorch-zip'],
      'evil_torch_legacy.pt': ['dangerous', 'pytorch-legacy'],
    },
  },
  {
    lib: 'joblib',
    code: `
import numpy as np, joblib
joblib.dump({'a': np.arange(1000, dtype=np.float64), 'b': np.ones((3, 3), dtype=np.int32), 'o': np.array([1, 'x'], dtype=object)}, f'{OUT}/plain.joblib')
joblib.dump({'a': np.arange(1000, dtype=np.float64)}, f'{OUT}/zlib.joblib', compress=3)
joblib.dump({'a': np.arange(1000, dtype=np.float64)}, f'{OUT}/gzip.joblib', compress=('gzip', 3))
joblib.dump({'a': np.arange(10.0), 'evil': Evil()}, f'{OUT}/evil.joblib')
`,
    expect: { 'plain.joblib': ['safe', 'pickle'], 'zlib.joblib': ['safe', 'pickle'], 'gzip.joblib': ['safe', 'pickle'], 'evil.joblib': ['dangerous', 'pickle'] },
  },
  {
    lib: 'dill',
    code: `
import dill
dill.dump({'a': [1, 2, 3]}, open(f'{OUT}/plain.dill', 'wb'))
dill.dump(lambda x: x + 1, open(f'{OUT}/lambda.dill', 'wb'))
`,
    expect: { 'plain.dill': ['safe', 'pickle'], 'lambda.dill': ['dangerous', 'pickle'] },
  },
  {
    lib: 'keras',
    code: `
import keras
k = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dropout(0.1)])
k.save(f'{OUT}/dense.keras'); k.save(f'{OUT}/dense.h5')
kl = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda x: x * 2)])
kl.save(f'{OUT}/lambda.keras'); kl.save(f'{OUT}/lambda.h5')
`,
    expect: { 'dense.keras': ['safe', 'keras'], 'dense.h5': ['safe', 'keras-h5'], 'lambda.keras': ['dangerous', 'keras'], 'lambda.h5': ['dangerous', 'keras-h5'] },
  },
];

describe('modelsafety on files written by the real libraries', function () {
  this.timeout(180_000);
  for (const c of CASES) {
    describe(`when ${c.lib} is importable`, function () {
      let t: ReturnType<typeof tempDir>;
      before(function () {
        if (!canImport(c.lib)) this.skip();
        t = tempDir();
        run(c.code, t.dir);
      });
      after(() => t?.cleanup());
      for (const [file, [verdict, format]] of Object.entries(c.expect)) {
        it(`${file}: ${verdict} (${format})`, async () => {
          const r = await scanModelFile(path.join(t.dir, file));
          assert.equal(r.format, format);
          assert.equal(r.verdict, verdict, `${r.summary}\n${JSON.stringify({ globals: r.globals, findings: r.findings }, null, 1)}`);
        });
      }
    });
  }
});
