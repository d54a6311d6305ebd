import type * as vscode from 'vscode';
import { createHash } from 'node:crypto';

/**
 * Key passphrases kept in VS Code SecretStorage (OS keychain / encrypted store), keyed by a hash
 * of the key file path so that the path itself is not a secret name. Never in settings or logs.
 */
export class PassphraseStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private keyFor(keyPath: string): string {
    return `trustlens.passphrase.${createHash('sha256').update(keyPath).digest('hex').slice(0, 32)}`;
  }

  get(keyPath: string): Thenable<string | undefined> {
    return this.secrets.get(this.keyFor(keyPath));
  }

  store(keyPath: string, passphrase: string): Thenable<void> {
    return this.secrets.store(this.keyFor(keyPath), passphrase);
  }

  forget(keyPath: string): Thenable<void> {
    return this.secrets.delete(this.keyFor(keyPath));
  }
}
