/// <reference lib="dom" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useWorkbench } from './harness';

// The AI code lens as a person sees it: an assistant-sized block lands in the editor, TrustLens
// underlines the weaknesses, puts a lens above the block, explains on hover, and lists the snippet
// in the AI Code Review view with a status-bar count.
const BLOCK = [
  '',
  'def load_checkpoint(path, config_path):',
  '    import subprocess, torch, yaml',
  '    subprocess.run("tar xzf " + path, shell=True)',
  '    model = torch.load(path)',
  '    config = yaml.load(open(config_path))',
  '    return model, config',
  '',
].join('\n');

describe('AI code lens, as seen in the VS Code window', function () {
  this.timeout(120_000);
  const wb = useWorkbench();
  // Our own file, so the shared sample workspace stays as other suites expect it.
  before(() => fs.writeFileSync(path.join(wb().workspace, 'app', 'checkpoints.py'), '"""Checkpoint helpers."""\nimport os\n\nprint(os.getcwd())\n'));

  it('flags an assistant-style insertion with squiggles and a lens that says why it is AI code', async () => {
    const { page } = wb();
    // Each workbench page gets a fresh extension host: an edit made before TrustLens has activated
    // cannot be seen by anyone, so wait for its status-bar summary (created during activation).
    await wb().statusBarItem(/✓ \d+/).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('checkpoints.py');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'checkpoints.py' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ timeout: 30_000 });
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    // The whole block lands in ONE edit, as an accepted completion or an agent edit delivers it.
    // (Typed text would arrive one character per edit, which TrustLens rightly treats as typing.)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.evaluate((text) => navigator.clipboard.writeText(text), BLOCK);
    await page.keyboard.press('Control+V');
    const lens = page.locator('.codelens-decoration', { hasText: /security findings? in AI-generated code/ }).first();
    await lens.waitFor({ timeout: 30_000 });
    const text = await lens.innerText();
    assert.match(text, /⚠ 3 security findings in AI-generated code \(.+, inserted (just now|\d+ min ago)\)/);
    assert.match(text, /Review/);
    assert.match(text, /Explain/);
    await page.locator('.squiggly-error').first().waitFor({ timeout: 10_000 });
    await wb().statusBarItem(/unreviewed AI snippet/).waitFor({ timeout: 10_000 });
    await wb().screenshot('ai-code-lens');
  });

  it('explains a finding on hover with the OpenSSF guidance line and the fix', async () => {
    const { page } = wb();
    const squiggle = page.locator('.squiggly-error').last();
    const box = await squiggle.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'OpenSSF guidance' }).first();
    await hover.waitFor({ timeout: 15_000 });
    assert.match(await hover.innerText(), /CWE-\d+/);
    await wb().screenshot('ai-code-hover');
    await page.keyboard.press('Escape');
  });

  it('lists the flagged snippet in the AI Code Review view and records a review', async () => {
    const { page } = wb();
    await wb().openTrustLens();
    await wb().view('AI Code Review');
    const row = wb().viewRow('AI Code Review', /def load_checkpoint/);
    await row.waitFor({ timeout: 20_000 });
    assert.match(await row.innerText(), /unreviewed/);
    await wb().screenshot('ai-review-view');
    await row.hover();
    await row.locator('.action-label[aria-label="Mark AI Snippet Reviewed"]').click();
    await page.waitForFunction(() => [...document.querySelectorAll('.pane .monaco-list-row')].some((r) => /def load_checkpoint/.test(r.textContent ?? '') && /reviewed/.test(r.textContent ?? '') && !/unreviewed/.test(r.textContent ?? '')), null, { timeout: 15_000 });
    await page.locator('.codelens-decoration', { hasText: /✓ 3 security findings in AI-generated code .* · reviewed/ }).first().waitFor({ timeout: 15_000 });
    await wb().screenshot('ai-review-view-reviewed');
  });

  it('shows the CWE as a link in the Problems panel', async () => {
    const { page } = wb();
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: /CWE-\d+/ }).first();
    await problem.waitFor({ timeout: 15_000 });
    assert.match(await problem.innerText(), /TrustLens/);
    await wb().screenshot('ai-code-problems');
    // Leave the window as the next suite expects it: nothing unsaved, Explorer visible (workbench
    // state is per workspace, and a dirty editor would be restored in the next window).
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.tabs-container .tab', { hasText: 'checkpoints.py' }).first().click();
    await page.keyboard.press('Control+S');
    await page.locator('.tabs-container .tab.dirty').first().waitFor({ state: 'detached', timeout: 10_000 });
    await wb().openExplorer();
  });
});
