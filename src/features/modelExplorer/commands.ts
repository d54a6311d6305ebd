import * as vscode from 'vscode';
import * as path from 'node:path';
import { stat } from 'node:fs/promises';
import { isCancellation } from '../../core/errors';
import { SETTINGS_SECTION } from '../../core/settings';
import { showErrorWithLog, describeError } from '../../vscode/log';
import { runWithProgress } from '../../vscode/progress';
import type { PassphraseStore } from '../../vscode/secrets';
import type { SettingsService } from '../../vscode/config';
import { CommandId } from './ids';
import type { ModelEngine } from './engine';
import type { ModelExplorerController } from './modelExplorerController';
import type { ModelNode } from './modelTreeProvider';
import type { ModelState } from './modelState';
import { askSignRequest, type SignArgs } from './signFlow';
import { checkFolderBeforeSigning } from '../modelSafety/api';

type Target = vscode.Uri | ModelNode | undefined;

/** Options tests and scripts may pass to Verify Model. */
export interface VerifyArgs {
  signal?: AbortSignal;
  /** Show the result as a notification (default true when run by a person). */
  quiet?: boolean;
}

export function registerModelCommands(ctl: ModelExplorerController, deps: { engine: ModelEngine; settings: SettingsService; passphrases: PassphraseStore }): vscode.Disposable[] {
  const log = ctl.log;

  /** Explorer URI, tree node, or nothing (active editor / pick): the model folder to act on. */
  async function resolveFolder(target: Target, purpose: string, allowNew: boolean): Promise<vscode.Uri | undefined> {
    let uri: vscode.Uri | undefined;
    if (target instanceof vscode.Uri) uri = target;
    else if (target && typeof target === 'object' && 'entry' in target) uri = target.entry.folder;
    else uri = vscode.window.activeTextEditor?.document.uri;
    if (uri) {
      const known = ctl.store.findContaining(uri);
      if (known) return known.folder;
      if (allowNew) {
        try {
          return (await stat(uri.fsPath)).isDirectory() ? uri : vscode.Uri.file(path.dirname(uri.fsPath));
        } catch {
          return undefined;
        }
      }
    }
    const models = ctl.store.all().filter((e) => allowNew || e.state.kind !== 'unsigned');
    if (!models.length) {
      void vscode.window.showInformationMessage(`TrustLens: no model folder to ${purpose}. Right-click a folder in the Explorer.`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      models.map((e) => ({ label: path.basename(e.folder.fsPath), description: vscode.workspace.asRelativePath(e.folder), folder: e.folder })),
      { title: `Select the model to ${purpose}` },
    );
    return pick?.folder;
  }

  async function verify(target?: Target, rawArgs?: unknown): Promise<ModelState | undefined> {
    const args: VerifyArgs | undefined = rawArgs && typeof rawArgs === 'object' && !Array.isArray(rawArgs) ? (rawArgs as VerifyArgs) : undefined;
    const folder = await resolveFolder(target, 'verify', false);
    if (!folder) return undefined;
    try {
      const state = await ctl.verify(folder, { interactive: true, signal: args?.signal });
      if (!args?.quiet) announce(folder, state);
      return state;
    } catch (e) {
      if (isCancellation(e)) {
        log.info(`verification of ${folder.fsPath} cancelled`);
        return ctl.store.get(folder)?.state;
      }
      showErrorWithLog(log, 'Verify Model', e);
      return undefined;
    }
  }

  function announce(folder: vscode.Uri, s: ModelState): void {
    const name = path.basename(folder.fsPath);
    switch (s.kind) {
      case 'verified':
        void vscode.window.showInformationMessage(`TrustLens: ${name} verified: signed by ${s.signer.label} (${s.signer.method}).`);
        break;
      case 'untrusted':
        void vscode.window.showWarningMessage(`TrustLens: cannot verify ${name}: the signer is not trusted. ${s.message}`, 'Trust This Signer…', 'Show Details').then((c) => {
          if (c === 'Trust This Signer…') void vscode.commands.executeCommand(CommandId.trustSigner, folder);
          else if (c) void vscode.commands.executeCommand(CommandId.details, folder);
        });
        break;
      case 'modified':
        void vscode.window.showErrorMessage(`TrustLens: ${name} was modified after signing: ${[...s.changed, ...s.added, ...s.missing].slice(0, 5).join(', ')}`, 'Show Details').then((c) => {
          if (c) void vscode.commands.executeCommand(CommandId.details, folder);
        });
        break;
      case 'invalid':
      case 'error':
        void vscode.window.showErrorMessage(`TrustLens: ${name}: signature ${s.kind === 'invalid' ? 'INVALID' : 'could not be checked'} (${s.code}): ${s.message}`, 'Show Log').then((c) => {
          if (c) log.show(true);
        });
        break;
      default:
        break;
    }
  }

  async function sign(target?: Target, rawArgs?: unknown): Promise<ModelState | undefined> {
    // From a context menu VS Code passes (uri, selectedUris[]): only a real SignArgs object counts.
    const args = isSignArgs(rawArgs) ? rawArgs : undefined;
    const folder = await resolveFolder(target, 'sign', true);
    if (!folder) return undefined;
    const s = deps.settings.settings;
    const sigUri = ctl.signatureUri(folder);
    const exists = await stat(sigUri.fsPath).then(() => true, () => false);
    if (exists && !args?.overwrite) {
      const ok = await vscode.window.showWarningMessage(
        `${path.basename(folder.fsPath)} already has a signature (${s['signing.signatureFileName']}). Replace it?`,
        { modal: true, detail: 'The old signature is replaced only if signing succeeds.' },
        'Replace Signature',
      );
      if (ok !== 'Replace Signature') return undefined;
    }
    // A signature vouches for the bytes, not for their safety: warn (or refuse, per setting) first.
    // If the check itself fails, do not sign blind: report it and stop (fail closed).
    try {
      if (!(await checkFolderBeforeSigning(folder))) return undefined;
    } catch (e) {
      showErrorWithLog(log, 'Sign Model (model file safety check)', e);
      return undefined;
    }
    let request = args;
    if (!request) {
      try {
        request = await askSignRequest({ passphrases: deps.passphrases, rememberPassphrase: s['signing.rememberPassphrase'], sigstoreInstance: s['signing.sigstoreInstance'], log });
      } catch (e) {
        showErrorWithLog(log, 'Sign Model', e);
        return undefined;
      }
      if (!request) return undefined;
    }
    const key = folder.toString();
    ctl.signing.add(key);
    try {
      const t0 = Date.now();
      await runWithProgress(`Signing model ${path.basename(folder.fsPath)}`, (signal, report) =>
        deps.engine.sign(folder.fsPath, sigUri.fsPath, request!, { signal, onProgress: report, hashAlgorithm: s['signing.hashAlgorithm'] }),
      { viewId: 'trustlens.models' });
      log.info(`signed ${folder.fsPath} with method ${request.method} -> ${sigUri.fsPath} (${Date.now() - t0} ms)`);
    } catch (e) {
      showErrorWithLog(log, 'Sign Model', e);
      return undefined;
    } finally {
      ctl.signing.delete(key);
    }
    if (!ctl.store.get(folder)) await ctl.discover();
    let state: ModelState | undefined;
    try {
      state = await ctl.verify(folder, { interactive: false });
    } catch (e) {
      log.warn(`verify after signing: ${describeError(e)}`);
    }
    void vscode.window.showInformationMessage(`TrustLens: signed ${path.basename(folder.fsPath)} → ${vscode.workspace.asRelativePath(sigUri)}${state ? ` (${state.kind})` : ''}.`);
    return state;
  }

  async function details(target?: Target) {
    const folder = await resolveFolder(target, 'inspect', false);
    if (!folder) return undefined;
    try {
      return await ctl.showDetails(folder);
    } catch (e) {
      showErrorWithLog(log, 'Show Signature Details', e);
      return undefined;
    }
  }

  async function verifyAll(): Promise<ModelState[]> {
    const out: ModelState[] = [];
    for (const e of ctl.store.all()) {
      if (e.state.kind === 'unsigned') continue;
      try {
        out.push(await ctl.verify(e.folder, { interactive: true }));
      } catch (err) {
        if (isCancellation(err)) break;
        showErrorWithLog(log, 'Verify All Models', err);
      }
    }
    return out;
  }

  /**
   * "Trust This Signer…": adds the signer to the USER trust settings after confirmation (for a key,
   * the user picks the public key; for a certificate, the root). User scope on purpose: workspace
   * values are ignored in untrusted workspaces and a repository must not vouch for itself.
   */
  async function trustSigner(target?: Target): Promise<boolean> {
    const folder = await resolveFolder(target, 'trust the signer of', false);
    if (!folder) return false;
    const state = ctl.store.get(folder)?.state;
    const signer = state && 'signer' in state ? state.signer : undefined;
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    if (signer?.method === 'sigstore') {
      const issuer = signer.issuer ?? (await vscode.window.showInputBox({ title: 'OIDC issuer of this signer', value: 'https://github.com/login/oauth' }));
      if (!issuer) return false;
      const ok = await vscode.window.showWarningMessage(`Trust models signed by ${signer.label} (issuer ${issuer})?`, { modal: true, detail: 'This is saved in your user settings (trustlens.trust.sigstoreIdentities).' }, 'Trust');
      if (ok !== 'Trust') return false;
      const cur = config.inspect<{ identity: string; issuer: string }[]>('trust.sigstoreIdentities')?.globalValue ?? [];
      await config.update('trust.sigstoreIdentities', [...cur, { identity: signer.label, issuer }], vscode.ConfigurationTarget.Global);
    } else {
      const isCert = signer?.method === 'certificate';
      const picked = await vscode.window.showOpenDialog({
        title: isCert ? 'Select the root CA certificate (PEM) to trust' : "Select the signer's public key (PEM) to trust",
        canSelectMany: false,
        filters: { 'PEM files': ['pem', 'pub', 'crt', 'cer'], 'All files': ['*'] },
      });
      if (!picked?.[0]) return false;
      const settingKey = isCert ? 'trust.certificateRoots' : 'trust.publicKeys';
      const cur = config.inspect<string[]>(settingKey)?.globalValue ?? [];
      if (!cur.includes(picked[0].fsPath)) await config.update(settingKey, [...cur, picked[0].fsPath], vscode.ConfigurationTarget.Global);
    }
    log.info(`trusted a new signer for ${folder.fsPath}`);
    await verify(folder, { quiet: false });
    return true;
  }

  return [
    vscode.commands.registerCommand(CommandId.sign, sign),
    vscode.commands.registerCommand(CommandId.verify, verify),
    vscode.commands.registerCommand(CommandId.verifyAll, verifyAll),
    vscode.commands.registerCommand(CommandId.details, details),
    vscode.commands.registerCommand(CommandId.refresh, () => ctl.discover()),
    vscode.commands.registerCommand(CommandId.trustSigner, trustSigner),
    vscode.commands.registerCommand(CommandId.forgetPassphrases, async () => {
      const picked = await vscode.window.showOpenDialog({ title: 'Forget the saved passphrase of which key?', canSelectMany: false });
      if (picked?.[0]) {
        await deps.passphrases.forget(picked[0].fsPath);
        void vscode.window.showInformationMessage('TrustLens: passphrase forgotten.');
      }
    }),
  ];
}

/** True for a programmatic Sign Model request (tests, walkthrough), not for menu arguments. */
function isSignArgs(v: unknown): v is SignArgs {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  if (o.method === 'key') return typeof o.privateKeyPath === 'string';
  if (o.method === 'certificate') return typeof o.privateKeyPath === 'string' && typeof o.certificatePath === 'string' && Array.isArray(o.chainPaths);
  if (o.method === 'sigstore') return typeof o.identityToken === 'string';
  return false;
}
