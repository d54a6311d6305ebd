import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, EXTENSION_ID } from './helpers';

describe('TrustLens in a real VS Code extension host', () => {
  it('is installed, activates and exports its test API', async () => {
    const exportsObj = await activate();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.ok(exportsObj.models, 'models API exported');
    console.log(`    host: VS Code ${vscode.version}, ${vscode.env.appName}, node ${process.version}`);
  });

  it('registers every model explorer command', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const c of ['trustlens.signModel', 'trustlens.verifyModel', 'trustlens.verifyAllModels', 'trustlens.showSignatureDetails', 'trustlens.refreshModels', 'trustlens.trustSigner', 'trustlens.forgetKeyPassphrase']) {
      assert.ok(all.has(c), `command ${c} registered`);
    }
  });

  it('contributes the Models and Signature Details views (their focus commands run)', async () => {
    await vscode.commands.executeCommand('trustlens.models.focus');
    await vscode.commands.executeCommand('trustlens.signatureDetails.focus');
  });

  it('declares limited support for untrusted workspaces with the trust settings restricted', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } }; activationEvents: string[] };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.sort(), ['trustlens.trust.certificateRoots', 'trustlens.trust.publicKeys', 'trustlens.trust.sigstoreIdentities']);
    assert.ok(!pkg.activationEvents.includes('*'), 'no eager activation');
  });

  it('contributes a walkthrough whose steps all have their media shipped', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const pkg = ext.packageJSON as { contributes: { walkthroughs: { id: string; steps: { id: string; media: { markdown?: string } }[] }[] } };
    const walk = pkg.contributes.walkthroughs.find((w) => w.id === 'trustlens.gettingStarted');
    assert.ok(walk, 'getting-started walkthrough');
    assert.deepEqual(walk.steps.map((s) => s.id), ['openModels', 'signModel', 'trust', 'verifyModel', 'reviewCode']);
    for (const step of walk.steps) assert.ok(fs.existsSync(path.join(ext.extensionPath, step.media.markdown!)), `${step.media.markdown} exists`);
  });
});

