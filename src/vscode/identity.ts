import * as vscode from 'vscode';
import { loopbackIdentityToken } from './oidcLoopback';
import { showErrorWithLog } from './log';
import { toAbortSignal } from './progress';

const ISSUERS = { 'public-good': 'https://oauth2.sigstore.dev/auth', staging: 'https://oauth2.sigstage.dev/auth' } as const;

/**
 * Gets a Sigstore OIDC identity token by browser sign-in: opens the issuer with
 * vscode.env.openExternal and waits on a loopback redirect. Works where the extension host and the
 * browser share a machine (desktop); in a remote host use "paste an identity token" instead.
 */
export async function acquireSigstoreToken(instance: 'public-good' | 'staging', log: vscode.LogOutputChannel): Promise<string | undefined> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Waiting for the Sigstore sign-in in your browser…', cancellable: true },
      async (_p, token) => {
        const bridge = toAbortSignal(token);
        try {
          return await loopbackIdentityToken({ issuer: ISSUERS[instance], openBrowser: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))), signal: bridge.signal });
        } finally {
          bridge.dispose();
        }
      },
    );
  } catch (e) {
    showErrorWithLog(log, 'Sigstore sign-in', e);
    return undefined;
  }
}
