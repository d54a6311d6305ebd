/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Playwright harness for UI tests against the real VS Code workbench (code-server), run by
 * scripts/vscode-host/e2e.js with plain mocha (Node side, not inside VS Code). The server is
 * already running with the PACKAGED extension installed; env tells where:
 *   TRUSTLENS_UI_URL, TRUSTLENS_UI_PORT, TRUSTLENS_UI_WORKSPACE, TRUSTLENS_UI_DEV_PATH ('' = packaged)
 *
 * Usage in a `*.ui.ts` file:
 *   const wb = useWorkbench();                 // registers before/after hooks: fresh workbench page
 *   it('…', async () => { await wb().openTrustLens(); await wb().viewRow('Models', 'bert-signed').waitFor(); });
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve(__dirname, '../../../test-results/screenshots');

export interface Workbench {
  page: Page;
  workspace: string;
  /** Saves test-results/screenshots/<name>.png (the whole window, or one element). */
  screenshot(name: string, target?: Locator): Promise<string>;
  /** Clicks the TrustLens icon in the activity bar (opens our view container). */
  openTrustLens(): Promise<void>;
  /** Opens the Explorer. */
  openExplorer(): Promise<void>;
  /** The pane (view) with this title in the side bar, expanded if it was collapsed. */
  view(title: string): Promise<Locator>;
  /** Collapses the view with this title (if expanded), to give the others room. */
  collapseView(title: string): Promise<void>;
  /** Drags the side bar's edge so that it is `px` wide (for readable screenshots). */
  setSidebarWidth(px: number): Promise<void>;
  /** A row of a tree view whose text contains `text`. */
  viewRow(viewTitle: string, text: string | RegExp): Locator;
  /** A row of the Explorer tree with this exact label. */
  explorerRow(label: string): Locator;
  /** Expands Explorer folders along a workspace-relative path, e.g. 'models/bert-signed'. */
  revealInExplorer(relPath: string): Promise<Locator>;
  /**
   * The FileDecoration badges of a row (CSS ::after content; several providers' badges are
   * joined by ", " by VS Code), [] when none.
   */
  badgesOf(row: Locator): Promise<string[]>;
  /** All badges of a row as VS Code renders them (e.g. "☠" or "?, ✓"), '' when none. */
  badgeOf(row: Locator): Promise<string>;
  /** The row's accessible label: file name plus every decoration tooltip. */
  ariaLabelOf(row: Locator): Promise<string>;
  /** Right-clicks and returns the visible context menu's item labels. */
  contextMenu(row: Locator): Promise<string[]>;
  /** Clicks an entry of the open context menu. */
  clickMenuItem(label: string): Promise<void>;
  /** Answers an open file dialog (code-server's is a quick input holding a path) with `file`. */
  pickFileInDialog(file: string, title?: RegExp): Promise<void>;
  /** Runs a command from the palette by its full title (e.g. 'TrustLens: Verify All Models'). */
  runCommand(title: string): Promise<void>;
  /** Waits for a notification containing `text` (toast, or the notification center). */
  notification(text: string | RegExp, timeoutMs?: number): Promise<Locator>;
  /** Text of the status bar entry whose text matches. */
  statusBarItem(text: string | RegExp): Locator;
}

let context: BrowserContext | undefined;
let profileDir: string | undefined;

async function browser(): Promise<BrowserContext> {
  if (context) return context;
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-ui-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return context;
}

/**
 * Expands a collapsed tree row and waits until it says so. A click that lands while the tree
 * re-renders (file watcher, decorations) can be lost, so it is retried a few times.
 */
async function expandRow(row: Locator): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    if ((await row.getAttribute('aria-expanded')) !== 'false') return;
    await row.click();
    for (let t = 0; t < 20 && (await row.getAttribute('aria-expanded')) === 'false'; t++) await row.page().waitForTimeout(100);
  }
  if ((await row.getAttribute('aria-expanded')) === 'false') throw new Error('tree row did not expand after 4 clicks');
}

function env(name: string): string {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set: run UI tests through \`npm run test:e2e\` (scripts/vscode-host/e2e.js)`);
  return v;
}

/** Opens a fresh workbench page for the enclosing describe() and closes it afterwards. */
export function useWorkbench(): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(120_000);
    const url = env('TRUSTLENS_UI_URL');
    const workspace = env('TRUSTLENS_UI_WORKSPACE');
    const devPath = process.env.TRUSTLENS_UI_DEV_PATH;
    const ctx = await browser();
    const page = await ctx.newPage();
    let target = `${url}/?folder=${encodeURIComponent(workspace)}`;
    if (devPath) target += `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${env('TRUSTLENS_UI_PORT')}${devPath}`]]))}`;
    await page.goto(target);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
    wb = makeWorkbench(page, workspace);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      const name = `FAILED-${this.currentTest.fullTitle().replace(/[^\w]+/g, '-').slice(0, 80)}`;
      await wb.screenshot(name).catch(() => undefined);
    }
  });
  after(async () => {
    await wb?.page.close().catch(() => undefined);
  });
  return () => {
    if (!wb) throw new Error('workbench not ready (before hook failed?)');
    return wb;
  };
}

/** Closes the shared browser (mocha's root after-all, see hooks in e2e.js via --exit). */
export async function closeBrowser(): Promise<void> {
  await context?.close().catch(() => undefined);
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  context = undefined;
}

function makeWorkbench(page: Page, workspace: string): Workbench {
  const wb: Workbench = {
    page,
    workspace,
    async screenshot(name, target) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.waitForTimeout(300); // let hover/animation settle
      if (target) await target.screenshot({ path: file });
      else await page.screenshot({ path: file });
      return file;
    },
    async openTrustLens() {
      const icon = page.locator('.activitybar .action-item a[aria-label^="TrustLens"], .activitybar .action-item[aria-label^="TrustLens"]').first();
      await icon.waitFor({ timeout: 60_000 });
      const item = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="TrustLens"]') }).first();
      const checked = (await item.getAttribute('class'))?.includes('checked');
      if (!checked) {
        // Focusing inputs can scroll the workbench's root by a few pixels: undo that first.
        await page.evaluate(() => document.querySelectorAll('*').forEach((e) => { if (e.scrollTop || e.scrollLeft) { e.scrollTop = 0; e.scrollLeft = 0; } }));
        await icon.click({ timeout: 5_000 }).catch(async () => {
          await page.keyboard.press('Escape');
          await wb.runCommand('TrustLens: Focus on Models View');
        });
      }
      await page.locator('.pane-header', { hasText: 'Models' }).first().waitFor({ timeout: 30_000 });
    },
    async openExplorer() {
      await page.keyboard.press('Control+Shift+E');
      await page.locator('.explorer-folders-view').first().waitFor();
    },
    async view(title) {
      const header = page.locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) }).first();
      await header.waitFor({ timeout: 30_000 });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      return header.locator('xpath=..');
    },
    async collapseView(title) {
      const header = page.locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) }).first();
      if ((await header.count()) && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
    },
    async setSidebarWidth(px) {
      const bar = await page.locator('.part.sidebar').first().boundingBox();
      if (!bar) return;
      const edge = bar.x + bar.width;
      // The side bar's resize handle is the vertical sash lying on its right edge.
      const boxes = await page.locator('.monaco-sash.vertical').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2, h: r.height }; }));
      const sash = boxes.filter((b) => Math.abs(b.x - edge) < 6 && b.h > 100)[0];
      if (!sash) return;
      await page.mouse.move(sash.x, sash.y);
      await page.mouse.down();
      await page.mouse.move(sash.x + (bar.x + px - edge), sash.y, { steps: 8 });
      await page.mouse.up();
    },
    viewRow(viewTitle, text) {
      const pane = page.locator('.pane', { has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${viewTitle}$`, 'i') }) }).first();
      return pane.locator('.monaco-list-row', { hasText: text }).first();
    },
    explorerRow(label) {
      return page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) }).first();
    },
    async revealInExplorer(relPath) {
      await wb.openExplorer();
      const parts = relPath.split('/');
      let row = wb.explorerRow(parts[0]!);
      for (let i = 0; i < parts.length; i++) {
        row = wb.explorerRow(parts[i]!);
        await row.waitFor({ timeout: 30_000 });
        if (i < parts.length - 1) await expandRow(row);
      }
      return row;
    },
    async badgesOf(row) {
      const text = await row.locator('.monaco-icon-label').first().evaluate((e) => {
        const c = getComputedStyle(e, '::after').content;
        return c === 'none' || c === 'normal' ? '' : c.replace(/^"|"$/g, '');
      });
      return text ? text.split(/,\s*/) : [];
    },
    async badgeOf(row) {
      return (await wb.badgesOf(row)).join(', ');
    },
    async ariaLabelOf(row) {
      return (await row.locator('.monaco-icon-label').first().getAttribute('aria-label')) ?? '';
    },
    async contextMenu(row) {
      await row.click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu').first();
      await menu.waitFor({ timeout: 10_000 });
      return (await menu.locator('.action-item .action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    },
    async clickMenuItem(label) {
      // VS Code menus act on mouse-up inside the item; hovering focuses it and Enter runs it reliably.
      const item = page.locator('.context-view .monaco-menu .action-item', { hasText: label }).first();
      await item.hover();
      await page.keyboard.press('Enter');
      await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    },
    async pickFileInDialog(file, title) {
      const input = page.locator('.quick-input-widget input').first();
      if (title) await page.locator('.quick-input-widget', { hasText: title }).first().waitFor({ timeout: 15_000 });
      // Wait until the dialog has put its start folder in the box, then replace it with the path.
      await page.waitForFunction(() => (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value.startsWith('/'), null, { timeout: 10_000 });
      for (let attempt = 0; attempt < 3 && (await input.inputValue()) !== file; attempt++) {
        await page.waitForTimeout(300);
        await input.fill(file);
      }
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
    },
    async runCommand(title) {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
    },
    async notification(text, timeoutMs = 20_000) {
      const toast = page.locator('.notification-toast', { hasText: text }).first();
      try {
        await toast.waitFor({ timeout: timeoutMs });
        return toast;
      } catch {
        // toasts hide after a while: the notification center keeps every message
        await wb.runCommand('Notifications: Show Notifications');
        const center = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
        await center.waitFor({ timeout: 5_000 });
        return center;
      }
    },
    statusBarItem(text) {
      return page.locator('.statusbar-item', { hasText: text }).first();
    },
  };
  return wb;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
