import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { createKeySigner } from '../../core/signing';
import { TrustLensError } from '../../core/errors';
import type { PassphraseStore } from '../../vscode/secrets';
import type { SignRequest } from './engine';
import { acquireSigstoreToken } from '../../vscode/identity';

/** Options a caller (test, walkthrough) can pass to skip the questions. */
export type SignArgs = SignRequest & { overwrite?: boolean };

const PEM_FILTERS = { 'PEM files': ['pem', 'key', 'crt', 'cer'], 'All files': ['*'] };

/**
 * Asks how to sign (quick pick), then for the key / certificate / token. Returns undefined when
 * the user cancels at any step. The passphrase is read with a password box and kept in
 * SecretStorage only when `rememberPassphrase` is on.
 */
export async function askSignRequest(opts: {
  passphrases: PassphraseStore;
  rememberPassphrase: boolean;
  sigstoreInstance: 'public-good' | 'staging';
  log: vscode.LogOutputChannel;
}): Promise<SignRequest | undefined> {
  type Pick = vscode.QuickPickItem & { id: 'key' | 'certificate' | 'sigstore-browser' | 'sigstore-token' };
  const items: Pick[] = [
    { id: 'key', label: '$(key) Private key', detail: 'Sign with an ECDSA private key (PEM file). Verifiers need your public key.' },
    { id: 'certificate', label: '$(workspace-trusted) Certificate', detail: 'Sign with a private key and its X.509 certificate chain (PKI).' },
    { id: 'sigstore-browser', label: '$(globe) Sigstore keyless: sign in with a browser', detail: `Short-lived certificate from Fulcio, logged in Rekor (${opts.sigstoreInstance}).` },
    { id: 'sigstore-token', label: '$(clippy) Sigstore keyless: paste an identity token', detail: 'Use an OIDC token you already have (e.g. from CI).' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Sign Model: choose a signing method', placeHolder: 'How do you want to sign?', ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.id === 'key' || pick.id === 'certificate') {
    const keyUri = await pickFile('Select the private key (PEM)');
    if (!keyUri) return undefined;
    const passphrase = await askPassphraseIfNeeded(keyUri.fsPath, opts);
    if (passphrase === null) return undefined;
    if (pick.id === 'key') return { method: 'key', privateKeyPath: keyUri.fsPath, passphrase };
    const cert = await pickFile('Select the signing (leaf) certificate (PEM)');
    if (!cert) return undefined;
    const chain = await vscode.window.showOpenDialog({ title: 'Select intermediate certificates (optional, Esc to skip)', canSelectMany: true, filters: PEM_FILTERS, openLabel: 'Use as chain' });
    return { method: 'certificate', privateKeyPath: keyUri.fsPath, passphrase, certificatePath: cert.fsPath, chainPaths: (chain ?? []).map((u) => u.fsPath) };
  }
  const instance = await pickInstance(opts.sigstoreInstance);
  if (!instance) return undefined;
  let token: string | undefined;
  if (pick.id === 'sigstore-token') {
    token = await vscode.window.showInputBox({ title: 'Sigstore identity token', prompt: 'Paste an OIDC identity token (JWT). It is used once and never stored or logged.', password: true, ignoreFocusOut: true, validateInput: (v) => (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(v.trim()) ? undefined : 'not a JWT (three base64url parts separated by dots)') });
  } else {
    token = await acquireSigstoreToken(instance, opts.log);
  }
  if (!token) return undefined;
  return { method: 'sigstore', identityToken: token.trim(), instance };
}

async function pickInstance(preferred: 'public-good' | 'staging'): Promise<'public-good' | 'staging' | undefined> {
  const items = [
    { label: 'public-good', description: 'sigstore.dev production instance' },
    { label: 'staging', description: 'sigstage.dev, for trying things out' },
  ].sort((a) => (a.label === preferred ? -1 : 1));
  const p = await vscode.window.showQuickPick(items, { title: 'Sigstore instance', ignoreFocusOut: true });
  return p?.label as 'public-good' | 'staging' | undefined;
}

async function pickFile(title: string): Promise<vscode.Uri | undefined> {
  const r = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: PEM_FILTERS, openLabel: 'Select' });
  return r?.[0];
}

/**
 * Returns the passphrase ('' / undefined when the key is not encrypted), or null when the user
 * cancelled. Tries a remembered passphrase first; a wrong remembered one is forgotten.
 */
async function askPassphraseIfNeeded(keyPath: string, opts: { passphrases: PassphraseStore; rememberPassphrase: boolean }): Promise<string | undefined | null> {
  const pem = await readFile(keyPath);
  const works = (pass?: string) => {
    try {
      createKeySigner({ privateKeyPem: pem, passphrase: pass, source: keyPath });
      return true;
    } catch (e) {
      if (TrustLensError.is(e, 'KEY_PASSPHRASE')) return false;
      throw e;
    }
  };
  if (works(undefined)) return undefined;
  const saved = await opts.passphrases.get(keyPath);
  if (saved !== undefined) {
    if (works(saved)) return saved;
    await opts.passphrases.forget(keyPath);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const pass = await vscode.window.showInputBox({
      title: 'Private key passphrase',
      prompt: attempt ? 'Wrong passphrase, try again.' : `The key ${keyPath} is encrypted.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (pass === undefined) return null;
    if (works(pass)) {
      if (opts.rememberPassphrase) await opts.passphrases.store(keyPath, pass);
      return pass;
    }
  }
  throw new TrustLensError('KEY_PASSPHRASE', 'wrong passphrase for the private key');
}
