import * as vscode from 'vscode';
import type { SafetyVerdict } from '../../core/modelsafety';

/**
 * The model-safety functions other features call (the model explorer's sign command, its tree
 * items). They go through commands so that callers do not depend on this feature's internals and
 * keep working (permissively) when the feature is off.
 */
export const MODEL_SAFETY_COMMANDS = {
  checkFolderBeforeSigning: 'trustlens.modelSafety.checkFolderBeforeSigning',
  verdictFor: 'trustlens.modelSafety.verdictFor',
} as const;

/**
 * Call before signing `folder`. Checks every model file in it; when one is dangerous, warns
 * (modal: "Sign Anyway" / "Show Details") or, with `trustlens.modelSafety.refuseSigningDangerous`,
 * refuses. Resolves true when signing may proceed.
 */
export async function checkFolderBeforeSigning(folder: vscode.Uri): Promise<boolean> {
  const all = await vscode.commands.getCommands(true);
  if (!all.includes(MODEL_SAFETY_COMMANDS.checkFolderBeforeSigning)) return true;
  return (await vscode.commands.executeCommand<boolean>(MODEL_SAFETY_COMMANDS.checkFolderBeforeSigning, folder)) !== false;
}

/** The safety verdict of a checked model file (or the worst file under a folder), for tree-item tooltips. */
export async function modelSafetyVerdict(uri: vscode.Uri): Promise<{ verdict: SafetyVerdict; summary: string } | undefined> {
  const all = await vscode.commands.getCommands(true);
  if (!all.includes(MODEL_SAFETY_COMMANDS.verdictFor)) return undefined;
  return vscode.commands.executeCommand(MODEL_SAFETY_COMMANDS.verdictFor, uri);
}
