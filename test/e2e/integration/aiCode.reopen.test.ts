import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, waitFor, ws } from './helpers';
import type { AiCodeTestApi } from '../../../src/features/codeFindings/testApi';

// Second session on the same user data: the AI ranges captured in phase "main" (codeFindings.test.ts,
// which saved app/ai_review_demo.py) are restored from workspace storage, and the flagged snippet is
// listed in the review view before anyone opens the file.
describe('Reopening the workspace: AI-generated code', function () {
  this.timeout(60_000);
  const uri = () => vscode.Uri.file(ws('app', 'ai_review_demo.py'));

  async function api(): Promise<AiCodeTestApi> {
    return (await activate()).aiCode as AiCodeTestApi;
  }

  it('lists the stored flagged snippet without the file being opened', async () => {
    const { value } = await waitFor(async () => {
      const all = (await (await api()).snippets()) as Array<{ uri: string; source: string; ruleIds: string[] }>;
      return all.find((s) => s.uri === uri().toString() && s.source === 'live');
    }, 20_000, 'the stored snippet in the review view');
    assert.ok(value?.ruleIds.includes('torch-load-unsafe'), JSON.stringify(value));
  });

  it('restores the live-edit and user-marked ranges with their evidence', async () => {
    await vscode.window.showTextDocument(uri());
    const { value: ranges } = await waitFor(async () => {
      const r = await (await api()).aiRanges(uri().toString());
      return r.some((x) => x.source === 'live') && r.some((x) => x.source === 'user') ? r : undefined;
    }, 10_000, 'restored AI ranges');
    const live = ranges?.find((r) => r.source === 'live');
    // Inserted at line 3, then moved down by three lines added above it.
    assert.equal(live?.startLine, 6);
    assert.match(live?.evidence ?? '', /block inserted in one edit/);
  });
});
