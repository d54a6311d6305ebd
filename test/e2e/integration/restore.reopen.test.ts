import * as assert from 'node:assert/strict';
import { model, modelsApi, stateOf } from './helpers';
import type { ModelState } from '../../../src/features/modelExplorer/modelState';

// Runs in a SECOND extension host session on the same user data, after phase "main" (see
// scripts/vscode-host/e2e.js, which also appends a byte to llama-unsigned/model.gguf in between).
describe('Reopening the workspace', () => {
  before(async () => {
    await (await modelsApi()).whenIdle();
  });

  it('restores a verified model from the cache without re-hashing it', async () => {
    const st = (await stateOf(model('huge-sparse'))) as Extract<ModelState, { kind: 'verified' }>;
    assert.equal(st.kind, 'verified');
    assert.equal(st.restored, true, 'restored from the stored snapshot, not re-verified');
  });

  it('shows a file changed while VS Code was closed as modified, naming it', async () => {
    const st = (await stateOf(model('llama-unsigned'))) as Extract<ModelState, { kind: 'modified' }>;
    assert.equal(st.kind, 'modified');
    assert.deepEqual(st.changed, ['model.gguf']);
  });

  it('re-verifies the models that had no stored verified state', async () => {
    assert.equal((await stateOf(model('whisper-untrusted')))?.kind, 'untrusted');
  });
});
