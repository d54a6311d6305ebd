import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverModels, listModelFiles } from '../../../../src/features/modelExplorer/discovery';
import { globToRegExp } from '../../../../src/features/modelExplorer/glob';
import { isCancellation } from '../../../../src/core/errors';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-disc-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const opts = { signatureFileName: 'model.sig', include: [], exclude: [], maxEntries: 10_000 };
const rel = (root: string, r: { models: { folder: string }[] }) => r.models.map((m) => path.relative(root, m.folder)).sort();

describe('model discovery', () => {
  it('finds folders with weights or a signature, and skips dependencies, VCS and virtual environments', async () => {
    const root = tree({
      'models/a/model.safetensors': 'x',
      'models/b/model.sig': '{}',
      'models/b/weights.dat': 'x',
      'node_modules/pkg/model.bin': 'x',
      '.git/objects/model.pt': 'x',
      'env/pyvenv.cfg': 'home = /usr',
      'env/lib/model.pkl': 'x',
      '.venv/lib/x.onnx': 'x',
      'src/main.py': 'print()',
    });
    const r = await discoverModels(root, opts);
    assert.deepEqual(rel(root, r), ['models/a', 'models/b']);
    assert.equal(r.models.find((m) => m.folder.endsWith('b'))!.signed, true);
    assert.equal(r.truncated, false);
  });

  it('does not report sub-folders of a model folder as separate models', async () => {
    const root = tree({ 'm/model.sig': '{}', 'm/onnx/model.onnx': 'x', 'm/model.bin': 'x' });
    assert.deepEqual(rel(root, await discoverModels(root, opts)), ['m']);
  });

  it('honours include and exclude patterns', async () => {
    const root = tree({ 'a/net.weights': 'x', 'b/model.bin': 'x', 'c/tmp/model.bin': 'x' });
    const r = await discoverModels(root, { ...opts, include: ['**/*.weights'], exclude: ['c/**', 'c'] });
    assert.deepEqual(rel(root, r), ['a', 'b']);
  });

  it('stops at maxEntries and says so', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`d${i}/f.txt`] = 'x';
    const root = tree(files);
    const r = await discoverModels(root, { ...opts, maxEntries: 100 });
    assert.equal(r.truncated, true);
    assert.ok(r.entriesRead <= 101);
  });

  it('throws a cancellation when aborted', async () => {
    const root = tree({ 'a/model.bin': 'x' });
    const ctrl = new AbortController();
    ctrl.abort();
    await assert.rejects(discoverModels(root, { ...opts, signal: ctrl.signal }), (e: unknown) => isCancellation(e));
  });

  it('lists a model\'s files recursively with sizes, sorted, without .git', async () => {
    const root = tree({ 'b.bin': '12', 'a/c.txt': '1', '.git/HEAD': 'x' });
    const { files } = await listModelFiles(root);
    assert.deepEqual(files, [{ relPath: 'a/c.txt', size: 1 }, { relPath: 'b.bin', size: 2 }]);
  });
});

describe('glob patterns', () => {
  const m = (p: string, s: string) => globToRegExp(p).test(s);
  it('matches ** across folders, * within one, and bare names anywhere', () => {
    assert.ok(m('**/*.bin', 'a/b/c.bin'));
    assert.ok(m('**/*.bin', 'c.bin'));
    assert.ok(!m('a/*.bin', 'a/b/c.bin'));
    assert.ok(m('*.gguf', 'deep/x/model.gguf'));
    assert.ok(m('checkpoints/{tmp,old}', 'checkpoints/old'));
    assert.ok(!m('checkpoints/{tmp,old}', 'checkpoints/new'));
    assert.ok(!m('a.b', 'axb'), 'dots are literal');
  });
});
