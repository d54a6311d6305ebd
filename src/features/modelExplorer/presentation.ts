import * as vscode from 'vscode';
import type { FileStateKind, ModelStateKind } from './modelState';

/** Badge (max 2 chars), theme colour and icon per model state. One table for tree, badges and tooltips. */
export const MODEL_LOOK: Record<ModelStateKind, { badge?: string; color?: string; icon: string; tooltip: string }> = {
  unsigned: { badge: '○', color: 'descriptionForeground', icon: 'circle-large-outline', tooltip: 'TrustLens: not signed' },
  pending: { badge: '…', color: 'descriptionForeground', icon: 'shield', tooltip: 'TrustLens: signed, not verified yet' },
  verifying: { badge: '…', color: 'descriptionForeground', icon: 'loading~spin', tooltip: 'TrustLens: verifying…' },
  verified: { badge: '✓', color: 'testing.iconPassed', icon: 'verified-filled', tooltip: 'TrustLens: signature verified' },
  invalid: { badge: '✗', color: 'testing.iconFailed', icon: 'error', tooltip: 'TrustLens: signature INVALID' },
  modified: { badge: '!', color: 'list.warningForeground', icon: 'warning', tooltip: 'TrustLens: modified since signing' },
  untrusted: { badge: '?', color: 'list.warningForeground', icon: 'question', tooltip: 'TrustLens: cannot verify, signer not trusted' },
  error: { badge: '✗', color: 'testing.iconFailed', icon: 'error', tooltip: 'TrustLens: verification error' },
};

export const FILE_LOOK: Record<FileStateKind, { badge?: string; color?: string; icon: string; text: string }> = {
  verified: { badge: '✓', color: 'testing.iconPassed', icon: 'pass', text: 'matches the signature' },
  changed: { badge: '!', color: 'list.warningForeground', icon: 'diff-modified', text: 'changed since signing' },
  added: { badge: '+', color: 'list.warningForeground', icon: 'diff-added', text: 'not covered by the signature (added)' },
  missing: { badge: '−', color: 'list.warningForeground', icon: 'diff-removed', text: 'missing (signed, now deleted)' },
  unsigned: { badge: '○', color: 'descriptionForeground', icon: 'circle-large-outline', text: 'not signed' },
  invalid: { badge: '✗', color: 'testing.iconFailed', icon: 'error', text: 'signature invalid' },
  untrusted: { badge: '?', color: 'list.warningForeground', icon: 'question', text: 'signer not trusted' },
  signature: { icon: 'key', text: 'signature file' },
  unknown: { icon: 'file', text: '' },
};

export function themeIcon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}
