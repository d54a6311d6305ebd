import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activate, waitFor, ws } from './helpers';
import type { AiCodeTestApi } from '../../../src/features/codeFindings/testApi';

interface SnippetView {
  uri: string;
  fingerprint: string;
  startLine: number;
  source: string;
  ruleIds: string[];
  status?: string;
  reason?: string;
}

/** What an assistant typically inserts: a checkpoint loader with a shell command and two unsafe deserialisations. */
const ASSISTANT_BLOCK = [
  'def load_checkpoint(path, config_path):',
  '    import subprocess, torch, yaml',
  '    subprocess.run("tar xzf " + path, shell=True)',
  '    model = torch.load(path)',
  '    with open(config_path) as f:',
  '        config = yaml.load(f)',
  '    return model, config',
  '',
].join('\n');

async function api(): Promise<AiCodeTestApi> {
  const a = (await activate()).aiCode as AiCodeTestApi | undefined;
  if (!a) throw new Error('the extension exports no aiCode API');
  return a;
}

/** waitFor returning the (non-empty) value. */
async function until<T>(fn: () => T | undefined | Promise<T | undefined>, ms: number, what: string): Promise<T> {
  return (await waitFor(fn, ms, what)).value as T;
}

async function snippetsOf(uri: vscode.Uri): Promise<SnippetView[]> {
  return ((await (await api()).snippets()) as SnippetView[]).filter((s) => s.uri === uri.toString());
}

describe('AI code lens in a real VS Code host', function () {
  this.timeout(120_000);
  const file = () => ws('app', 'ai_review_demo.py');
  let uri: vscode.Uri;
  let editor: vscode.TextEditor;

  before(async () => {
    fs.writeFileSync(file(), '"""Helpers written together with an assistant."""\nimport os\n\n\nprint(os.getcwd())\n');
    fs.rmSync(ws('.trustlens', 'reviews.json'), { force: true });
    uri = vscode.Uri.file(file());
    await activate();
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor(() => (api().then((a) => a.report(uri.toString()))), 30_000, 'first scan of the demo file');
  });

  describe('when an assistant-style block is inserted in one edit', () => {
    before(async () => {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(3, 0), ASSISTANT_BLOCK);
      assert.ok(await vscode.workspace.applyEdit(edit));
    });

    it('records the block as a live AI range', async () => {
      const ranges = await until(async () => {
        const r = await (await api()).aiRanges(uri.toString());
        return r.length ? r : undefined;
      }, 10_000, 'a live AI range');
      assert.equal(ranges[0].source, 'live');
      assert.equal(ranges[0].startLine, 3);
      assert.match(ranges[0].evidence, /block inserted in one edit|streamed/);
    });

    it('publishes diagnostics with the CWE as a clickable code, raised inside AI code', async () => {
      const diags = await until(() => {
        const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'TrustLens');
        return d.length >= 1 ? d : undefined;
      }, 20_000, 'TrustLens diagnostics');
      const shell = diags.find((d) => d.range.start.line === 5);
      assert.ok(shell, `no diagnostic on the subprocess line: ${JSON.stringify(diags.map((d) => [d.range.start.line, d.message]))}`);
      const code = shell.code as { value: string; target: vscode.Uri };
      assert.equal(code.value, 'CWE-78');
      assert.match(code.target.toString(), /cwe\.mitre\.org\/data\/definitions\/78\.html/);
      assert.match(shell.message, /AI-generated code/);
      const torch = diags.find((d) => d.range.start.line === 6);
      assert.equal((torch?.code as { value: string } | undefined)?.value, 'CWE-502', 'torch.load without weights_only=True');
      const report = (await api()).report(uri.toString());
      const finding = report?.findings.find((f) => f.line === 5);
      assert.equal(finding?.inAi, true);
      // Raised one step because it sits in AI-generated code (command injection is medium by rule).
      assert.equal(shell.severity, vscode.DiagnosticSeverity.Error);
    });

    it('shows a lens above the block that says how many findings and why it is AI code', async () => {
      const titles = await until(async () => {
        const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
        const t = lenses.filter((l) => l.range.start.line === 3).map((l) => l.command?.title ?? '');
        return t.some((x) => x.startsWith('⚠')) ? t : undefined;
      }, 10_000, 'the AI snippet lens');
      assert.match(titles[0], /^⚠ \d+ security findings? in AI-generated code \(.+, inserted (just now|\d+ min ago)\)$/);
      assert.ok(titles.includes('Review'));
      assert.ok(titles.includes('Explain'));
    });

    it('explains a finding on hover with the OpenSSF guidance line', async () => {
      const diag = vscode.languages.getDiagnostics(uri).find((d) => d.source === 'TrustLens' && d.range.start.line === 5);
      assert.ok(diag);
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, diag.range.start.translate(0, 1))) ?? [];
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /OpenSSF guidance/);
      assert.match(text, /shell=False/);
      assert.match(text, /CWE-78/);
      assert.match(text, /AI-generated/);
    });

    it('offers the mechanical quick fix and applying it removes the finding', async () => {
      const diag = vscode.languages.getDiagnostics(uri).find((d) => d.source === 'TrustLens' && d.range.start.line === 8);
      assert.ok(diag, 'no diagnostic on the yaml.load line');
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range)) ?? [];
      const fix = actions.find((a) => /yaml\.safe_load/.test(a.title));
      assert.ok(fix?.edit, `no yaml.safe_load fix among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(editor.document.lineAt(8).text, /yaml\.safe_load\(f\)/);
      await waitFor(() => !vscode.languages.getDiagnostics(uri).some((d) => d.source === 'TrustLens' && d.range.start.line === 8), 10_000, 'the yaml finding to go away');
    });

    it('lists the flagged snippet in the review view and counts it in the status bar', async () => {
      const snippets = await until(async () => {
        const s = await snippetsOf(uri);
        return s.length ? s : undefined;
      }, 10_000, 'the snippet in the review view');
      assert.equal(snippets[0].source, 'live');
      assert.equal(snippets[0].status, undefined);
      assert.match((await api()).statusText() ?? '', /\d+ unreviewed AI snippets?/);
    });
  });

  describe('when the snippet is marked reviewed', () => {
    it('writes the decision to the review file and keeps it when the snippet moves', async () => {
      const [s] = await snippetsOf(uri);
      await vscode.commands.executeCommand('trustlens.aiReview.markReviewed', s.uri, s.fingerprint);
      const reviewFile = ws('.trustlens', 'reviews.json');
      await waitFor(() => fs.existsSync(reviewFile), 5000, 'the review file');
      const stored = JSON.parse(fs.readFileSync(reviewFile, 'utf8'));
      assert.equal(stored.version, 1);
      assert.equal(stored.decisions[0].status, 'reviewed');
      assert.equal(stored.decisions[0].fingerprint, s.fingerprint);
      await waitFor(async () => (await snippetsOf(uri))[0]?.status === 'reviewed', 10_000, 'the reviewed status');

      // Three lines added above: the snippet moves down, the decision follows it.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '# a\n# b\n# c\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const moved = await until(async () => {
        const m = (await snippetsOf(uri))[0];
        return m && m.startLine === s.startLine + 3 ? m : undefined;
      }, 10_000, 'the moved snippet');
      assert.equal(moved.status, 'reviewed');
    });

    it('dismisses with a reason and clears the decision again', async () => {
      const [s] = await snippetsOf(uri);
      await vscode.commands.executeCommand('trustlens.aiReview.dismiss', s.uri, s.fingerprint, 'checkpoint files come from our own training job');
      await waitFor(async () => (await snippetsOf(uri))[0]?.reason === 'checkpoint files come from our own training job', 10_000, 'the dismissal');
      await vscode.commands.executeCommand('trustlens.aiReview.clearDecision', s.uri, s.fingerprint);
      await waitFor(async () => (await snippetsOf(uri))[0]?.status === undefined, 10_000, 'the cleared decision');
    });
  });

  describe('when the lens\'s Explain is clicked', () => {
    it('explains the snippet: provenance evidence, each finding, the guidance', async () => {
      const [s] = (await snippetsOf(uri)).filter((x) => x.source === 'live');
      const md = await vscode.commands.executeCommand<string>('trustlens.findings.explain', uri.toString(), s.startLine);
      assert.match(md ?? '', /# \d+ security findings? in AI-generated code/);
      assert.match(md ?? '', /Why TrustLens believes this is AI-generated:.*block inserted in one edit/);
      assert.match(md ?? '', /OpenSSF guidance/);
      assert.match(md ?? '', /CWE-502/);
    });
  });

  describe('when code is marked by the user', () => {
    it('turns findings in the selection into a flagged snippet', async () => {
      editor = await vscode.window.showTextDocument(editor.document); // Explain opened a preview beside it
      const doc = editor.document;
      const end = doc.lineCount;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(end, 0), 'x = eval(input())\n');
      await vscode.workspace.applyEdit(edit); // one line: too small to count as an AI edit
      const line = doc.lineCount - 2;
      editor.selection = new vscode.Selection(line, 0, line + 1, 0);
      await vscode.commands.executeCommand('trustlens.markSelectionAsAi');
      const value = await until(async () => (await snippetsOf(uri)).find((x) => x.source === 'user'), 10_000, 'the user-marked snippet');
      assert.ok(value.ruleIds.includes('code-injection'), JSON.stringify(value));
    });
  });

  describe('when a large file is scanned', () => {
    it('keeps the extension host responsive: the scan runs in the worker', async () => {
      const big = ws('app', 'big_generated.py');
      const chunk = ['def f{i}(path, cmd):', '    import subprocess, torch', '    subprocess.run("sh -c " + cmd, shell=True)', '    return torch.load(path)', '', ''];
      fs.writeFileSync(big, Array.from({ length: 500 }, (_, i) => chunk.join('\n').replace('{i}', String(i))).join('\n'));
      const bigUri = vscode.Uri.file(big);
      let maxGap = 0;
      let last = Date.now();
      const timer = setInterval(() => {
        const now = Date.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
      }, 5);
      try {
        const t0 = Date.now();
        const bigEditor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(bigUri));
        // Typing while the first scan runs: each keystroke's edit must apply at once.
        const editTimes: number[] = [];
        for (let i = 0; i < 5; i++) {
          const e0 = Date.now();
          await bigEditor.edit((b) => b.insert(new vscode.Position(0, 0), '#'));
          editTimes.push(Date.now() - e0);
        }
        await until(() => (vscode.languages.getDiagnostics(bigUri).filter((d) => d.source === 'TrustLens').length >= 1000 ? true : undefined), 30_000, 'diagnostics of the large file');
        const firstDiagnosticsMs = Date.now() - t0;
        console.log(`[measure] 3000-line file, ${vscode.languages.getDiagnostics(bigUri).length} diagnostics after ${firstDiagnosticsMs} ms; edits applied in ${editTimes.join('/')} ms; max extension-host event-loop gap ${maxGap} ms`);
        // Edit round trips include the workbench rendering the new file; what TrustLens controls is
        // the extension host's event loop, which must never stall for a scan.
        assert.ok(maxGap < 250, `the extension host was blocked for ${maxGap} ms`);
      } finally {
        clearInterval(timer);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        fs.rmSync(big, { force: true });
      }
    });
  });

  // The reopen phase (aiCode.reopen.test.ts) checks that these AI ranges come back.
  after(async () => {
    await editor.document.save();
  });
});
