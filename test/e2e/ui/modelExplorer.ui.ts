/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useWorkbench } from './harness';

// What a person sees in the real workbench, with the extension installed from the packaged .vsix.
describe('Model explorer, as seen in the VS Code window', function () {
  this.timeout(120_000);
  const wb = useWorkbench();

  it('shows the TrustLens activity-bar view with each model and its state', async () => {
    await wb().openTrustLens();
    await wb().setSidebarWidth(520);
    await wb().collapseView('AI Code Review');
    await wb().collapseView('Model File Safety');
    const expected: [string, RegExp][] = [
      ['bert-signed', /verified · key · trusted\.pub\.pem/],
      ['huge-sparse', /verified/],
      ['llama-unsigned', /unsigned/],
      ['resnet-tampered', /modified · 1 file differs from the signature/],
      ['whisper-untrusted', /cannot verify · signer not trusted/],
    ];
    for (const [name, state] of expected) {
      const row = wb().viewRow('Models', name);
      await row.waitFor({ timeout: 60_000 });
      await wb().page.waitForFunction(
        ([n, re]) => Array.from(document.querySelectorAll('.pane .monaco-list-row')).some((r) => r.textContent?.includes(n) && new RegExp(re).test(r.textContent)),
        [name, state.source] as const,
        { timeout: 60_000 },
      );
    }
    await wb().statusBarItem(/✓ 2 ✗ 1 ! 1/).waitFor({ timeout: 10_000 });
    await wb().screenshot('models-view');
  });

  it('lists the files of a model with their own state', async () => {
    await wb().viewRow('Models', 'resnet-tampered').click();
    await wb().viewRow('Models', 'model.onnx').waitFor();
    const text = await wb().viewRow('Models', 'model.onnx').innerText();
    assert.match(text, /changed since signing/);
    assert.match(await wb().viewRow('Models', 'labels.txt').innerText(), /matches the signature/);
  });

  it('puts verification badges on model folders and files in the Explorer', async () => {
    const bert = await wb().revealInExplorer('models/bert-signed');
    await wb().page.waitForFunction(() => Array.from(document.querySelectorAll('.explorer-folders-view .monaco-icon-label')).some((e) => (e.getAttribute('aria-label') ?? '').includes('TrustLens')), null, { timeout: 30_000 });
    // Other features (model-file safety) add their own badges; ours are identified by their tooltip.
    assert.ok((await wb().badgesOf(bert)).includes('✓'));
    assert.match(await wb().ariaLabelOf(bert), /TrustLens: signature verified/);
    assert.ok((await wb().badgesOf(wb().explorerRow('resnet-tampered'))).includes('!'));
    assert.match(await wb().ariaLabelOf(wb().explorerRow('resnet-tampered')), /modified since signing/);
    assert.ok((await wb().badgesOf(wb().explorerRow('whisper-untrusted'))).includes('?'));
    assert.match(await wb().ariaLabelOf(wb().explorerRow('whisper-untrusted')), /cannot verify, signer not trusted/);
    assert.doesNotMatch(await wb().ariaLabelOf(wb().explorerRow('llama-unsigned')), /TrustLens: (not signed|signature)/, 'no signing badge on an unsigned model by default');
    await wb().revealInExplorer('models/resnet-tampered/model.onnx');
    assert.ok((await wb().badgesOf(wb().explorerRow('model.onnx'))).includes('!'));
    await wb().explorerRow('model.onnx').hover();
    await wb().screenshot('explorer-badges');
  });

  it('offers Sign / Verify / Show Signature Details on a signed folder, only Sign on an unsigned one', async () => {
    const signed = await wb().contextMenu(wb().explorerRow('bert-signed'));
    for (const item of ['Sign Model…', 'Verify Model', 'Show Signature Details']) assert.ok(signed.includes(item), `${item} in ${signed.join(' | ')}`);
    await wb().screenshot('explorer-context-menu');
    await wb().page.keyboard.press('Escape');
    const unsigned = await wb().contextMenu(wb().explorerRow('llama-unsigned'));
    assert.ok(unsigned.includes('Sign Model…'));
    assert.ok(!unsigned.includes('Verify Model'));
    await wb().page.keyboard.press('Escape');
  });

  it('shows the decoded signature in the Signature Details view', async () => {
    await wb().contextMenu(wb().explorerRow('resnet-tampered'));
    await wb().clickMenuItem('Show Signature Details');
    await wb().view('Signature Details');
    await wb().collapseView('Models');
    await wb().collapseView('AI Code Review');
    await wb().collapseView('Model File Safety');
    await wb().viewRow('Signature Details', 'Resources').waitFor({ timeout: 30_000 });
    assert.match(await wb().viewRow('Signature Details', 'labels.txt').innerText(), /matches/);
    assert.match(await wb().viewRow('Signature Details', 'model.onnx').innerText(), /current [0-9a-f]{6}/);
    assert.match(await wb().viewRow('Signature Details', 'Method').innerText(), /key/);
    await wb().screenshot('signature-details');
  });

  it('turns a verified model "modified" when a weight file changes on disk', async () => {
    await wb().openTrustLens();
    await wb().view('Models');
    const file = path.join(wb().workspace, 'models/bert-signed/model.safetensors');
    fs.appendFileSync(file, Buffer.from([0]));
    await wb().page.waitForFunction(() => Array.from(document.querySelectorAll('.pane .monaco-list-row')).some((r) => r.textContent?.includes('bert-signed') && r.textContent.includes('modified')), null, { timeout: 10_000 });
    await wb().statusBarItem(/✓ 1 ✗ 2 ! 1/).waitFor({ timeout: 10_000 });
  });

  it('reports the result of Verify Model in a notification', async () => {
    await wb().viewRow('Models', 'huge-sparse').click({ button: 'right' });
    await wb().clickMenuItem('Verify Model');
    await wb().notification(/huge-sparse verified: signed by trusted\.pub\.pem/);
  });

  it('overview: models, a tampered model\'s files, its signature details and the status bar', async () => {
    await wb().page.keyboard.press('Control+P');
    await wb().page.locator('.quick-input-widget input').fill('assistant_snippets.py');
    await wb().page.locator('.quick-input-list .monaco-list-row', { hasText: 'assistant_snippets.py' }).first().waitFor();
    await wb().page.keyboard.press('Enter');
    await wb().page.locator('.editor-instance .view-lines').first().waitFor();
    await wb().openTrustLens();
    await wb().view('Models');
    await wb().view('Signature Details');
    await wb().collapseView('AI Code Review');
    await wb().collapseView('Model File Safety');
    await wb().contextMenu(wb().viewRow('Models', 'resnet-tampered'));
    await wb().clickMenuItem('Show Signature Details');
    await wb().viewRow('Signature Details', 'Public key hint').waitFor({ timeout: 30_000 });
    const tampered = wb().viewRow('Models', 'resnet-tampered');
    if ((await tampered.getAttribute('aria-expanded')) !== 'true') await tampered.click();
    await wb().viewRow('Models', 'model.onnx').waitFor();
    await wb().page.mouse.move(1000, 720);
    await wb().page.waitForTimeout(1200); // hover tooltips fade out
    await wb().screenshot('overview');
  });

  it('signs an unsigned model the way a person does: menu, quick pick, file dialog, passphrase', async () => {
    const page = wb().page;
    await wb().revealInExplorer('models/llama-unsigned');
    await wb().contextMenu(wb().explorerRow('llama-unsigned'));
    await wb().clickMenuItem('Sign Model…');
    const input = page.locator('.quick-input-widget input').first();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Private key' }).first().waitFor({ timeout: 15_000 });
    await wb().screenshot('sign-quick-pick');
    await input.fill('Private key');
    await page.keyboard.press('Enter');
    await wb().pickFileInDialog(path.join(wb().workspace, 'keys', 'trusted.encrypted.key.pem'), /Select the private key/);
    await page.locator('.quick-input-widget', { hasText: /passphrase|encrypted/i }).first().waitFor({ timeout: 15_000 });
    // The passphrase box hides what is typed.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.quick-input-widget input')).some((e) => (e as HTMLInputElement).type === 'password' && (e as HTMLElement).offsetParent), null, { timeout: 5_000 });
    const secret = page.locator('.quick-input-widget input[type="password"]').first();
    await secret.fill('correct horse battery staple');
    await wb().screenshot('sign-passphrase');
    await page.keyboard.press('Enter');
    await wb().notification(/signed llama-unsigned → models\/llama-unsigned\/model\.sig \(verified\)/, 30_000);
    assert.ok(fs.existsSync(path.join(wb().workspace, 'models/llama-unsigned/model.sig')));
    await wb().openTrustLens();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.pane .monaco-list-row')).some((r) => r.textContent?.includes('llama-unsigned') && r.textContent.includes('verified')), null, { timeout: 15_000 });
  });

  it('trusts an unknown signer from the Models view ("Trust This Signer…") and then verifies it', async () => {
    const page = wb().page;
    await wb().view('Models');
    await wb().collapseView('Signature Details');
    await wb().collapseView('Model File Safety');
    const tampered = wb().viewRow('Models', 'resnet-tampered');
    if ((await tampered.getAttribute('aria-expanded')) === 'true') await tampered.click();
    await wb().contextMenu(wb().viewRow('Models', 'whisper-untrusted'));
    await wb().clickMenuItem('Trust This Signer…');
    await wb().pickFileInDialog(path.join(wb().workspace, 'keys', 'untrusted.pub.pem'), /public key/);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.pane .monaco-list-row')).some((r) => r.textContent?.includes('whisper-untrusted') && r.textContent.includes('verified')), null, { timeout: 20_000 });
    await wb().notification(/whisper-untrusted verified: signed by untrusted\.pub\.pem/);
  });

  it('warns once, naming the setting, when a setting has a bad value, and keeps working', async () => {
    const file = path.join(wb().workspace, '.vscode', 'settings.json');
    const original = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(original), 'trustlens.models.maxEntries': 'lots' }, null, 2));
      const toast = await wb().notification(/the setting trustlens\.models\.maxEntries is invalid/);
      assert.match(await toast.innerText(), /using its default/);
      await wb().screenshot('settings-warning');
      await wb().view('Models');
      await wb().viewRow('Models', 'bert-signed').waitFor();
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});

