/// <reference lib="dom" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useWorkbench } from './harness';

// A dangerous pickle lands in the workspace: the Explorer shows the ☠ badge on it and its folders,
// a notification says so once, the status bar counts it, and the details view lists what it imports.
const EVIL_PICKLE = Buffer.from("cos\nsystem\n(S'echo owned'\ntR.", 'latin1');

describe('Model file safety, as seen in the VS Code window', function () {
  this.timeout(120_000);
  const wb = useWorkbench();
  const dir = () => path.join(wb().workspace, 'downloads', 'evil-model');

  before(() => {
    fs.mkdirSync(dir(), { recursive: true });
    fs.writeFileSync(path.join(dir(), 'model.pkl'), EVIL_PICKLE);
    // A second entry keeps the Explorer from compacting downloads/evil-model into one row.
    fs.writeFileSync(path.join(wb().workspace, 'downloads', 'README.txt'), 'models downloaded from a forum post\n');
  });
  after(() => fs.rmSync(path.join(wb().workspace, 'downloads'), { recursive: true, force: true }));

  it('puts the dangerous badge on the pickle and its folders, and says so once', async () => {
    // The files appeared after the window opened; the file watcher would find them, but the
    // check command is what a person runs after downloading a model, and it does not race.
    await wb().runCommand('TrustLens: Check Model Files Are Safe to Load');
    const note = await wb().notification(/model\.pkl is dangerous to load/, 30_000);
    assert.match(await note.innerText(), /imports (os|posix)\.system/);
    await wb().screenshot('model-safety-notification');
    await wb().page.keyboard.press('Escape');
    // The files were written behind the workbench's back; its watcher may not have shown them yet.
    await wb().runCommand('Refresh Explorer');
    await wb().openExplorer();
    // Expand step by step, retrying: on a loaded machine a click can land before the row is ready.
    for (const [folder, child] of [['downloads', 'evil-model'], ['evil-model', 'model.pkl']]) {
      const f = wb().explorerRow(folder);
      await f.waitFor({ timeout: 30_000 });
      for (let i = 0; i < 5 && !(await wb().explorerRow(child).isVisible()); i++) {
        if ((await f.getAttribute('aria-expanded')) !== 'true') await f.click();
        await wb().page.waitForTimeout(500);
      }
    }
    const row = await wb().revealInExplorer('downloads/evil-model/model.pkl');
    await wb().page.waitForFunction(() => [...document.querySelectorAll('.explorer-folders-view .monaco-icon-label')].some((e) => (e.getAttribute('aria-label') ?? '').includes('Dangerous to load')), null, { timeout: 30_000 });
    assert.match(await wb().badgeOf(row), /☠/);
    assert.match(await wb().badgeOf(wb().explorerRow('evil-model')), /☠/);
    assert.match(await wb().badgeOf(wb().explorerRow('downloads')), /☠/);
    await wb().statusBarItem(/dangerous model file/).waitFor({ timeout: 10_000 });
    await row.hover();
    await wb().screenshot('model-safety-explorer');
  });

  it('lists the imported globals with offsets in the Model File Safety view', async () => {
    const row = await wb().revealInExplorer('downloads/evil-model/model.pkl');
    const menu = await wb().contextMenu(row);
    assert.ok(menu.includes('Show Model File Safety Details'), menu.join(' | '));
    await wb().clickMenuItem('Show Model File Safety Details');
    const file = wb().viewRow('Model File Safety', 'model.pkl');
    await file.waitFor({ timeout: 20_000 });
    assert.match(await file.innerText(), /dangerous/);
    const global = wb().viewRow('Model File Safety', /system/);
    await global.waitFor({ timeout: 10_000 });
    assert.match(await global.innerText(), /dangerous · GLOBAL · offset 0x0/);
    await wb().page.mouse.move(900, 300); // no tooltip over the rows
    await wb().screenshot('model-safety-details');
    await wb().openExplorer();
  });
});
