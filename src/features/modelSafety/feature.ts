import * as path from 'node:path';
import * as vscode from 'vscode';
import { folderSummary, safetyBadge } from '../../core/review';
import { showErrorWithLog } from '../../vscode/log';
import type { Feature } from '../feature';
import { AiCodeSettingsService } from '../codeFindings/settings';
import { MODEL_SAFETY_COMMANDS } from './api';
import { SafetyDecorationProvider } from './safetyDecorations';
import { createCoreSafetyEngine } from './coreSafetyEngine';
import { ModelSafetyService } from './safetyService';
import { SafetyTreeProvider, type SafetyNode } from './safetyTreeProvider';

export const MODEL_SAFETY_VIEW_ID = 'trustlens.modelSafety';

/**
 * Is each model file safe to load? Verdicts beside the signing badges (Explorer and model
 * explorer), the "Model File Safety" details view, a one-time notification per dangerous file,
 * the status bar, and the pre-signing check the sign command calls.
 */
export const modelSafetyFeature: Feature = {
  id: 'modelSafety',
  activate(context, services) {
    const log = services.log;
    const items: vscode.Disposable[] = [];
    const add = <T extends vscode.Disposable>(d: T): T => (items.push(d), d);
    const settings = add(new AiCodeSettingsService(log, ['modelSafety']));
    const engine = createCoreSafetyEngine();
    add({ dispose: () => engine.dispose?.() });
    const safety = add(new ModelSafetyService(engine, settings, context, log));
    const decorations = add(new SafetyDecorationProvider(safety));
    add(vscode.window.registerFileDecorationProvider(decorations));
    const tree = add(new SafetyTreeProvider(safety));
    const view = add(vscode.window.createTreeView<SafetyNode>(MODEL_SAFETY_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }));

    add(
      vscode.commands.registerCommand('trustlens.modelSafety.scanWorkspace', async () => {
        if (!safety.enabled) return void vscode.window.showInformationMessage('TrustLens: model file safety checks are off (trustlens.modelSafety.enabled).');
        await vscode.window.withProgress({ location: { viewId: MODEL_SAFETY_VIEW_ID }, title: 'Checking model files' }, () => safety.discover(true));
        const all = safety.all();
        return { files: all.length, dangerous: all.filter((r) => r.verdict === 'dangerous').length };
      }),
    );
    add(
      vscode.commands.registerCommand('trustlens.modelSafety.showDetails', async (arg?: vscode.Uri | SafetyNode) => {
        const uri = arg instanceof vscode.Uri ? arg : arg && 'report' in arg ? vscode.Uri.file(arg.report.path) : vscode.window.activeTextEditor?.document.uri;
        if (!uri) return void (await vscode.commands.executeCommand(`${MODEL_SAFETY_VIEW_ID}.focus`));
        try {
          if (!safety.get(uri.fsPath)) await safety.check(uri.fsPath);
          const node = tree.fileNode(uri.fsPath);
          if (node) await view.reveal(node, { select: true, focus: true, expand: true });
          return safety.get(uri.fsPath);
        } catch (e) {
          showErrorWithLog(log, `TrustLens: could not check ${vscode.workspace.asRelativePath(uri)}`, e);
          return undefined;
        }
      }),
    );
    add(
      vscode.commands.registerCommand(MODEL_SAFETY_COMMANDS.verdictFor, (uri: vscode.Uri) => {
        const r = safety.get(uri.fsPath);
        if (r) return { verdict: r.verdict, summary: r.summary };
        const files = safety.all().map((x) => ({ path: x.path.split(path.sep).join('/'), verdict: x.verdict }));
        const s = folderSummary(files, uri.fsPath.split(path.sep).join('/'));
        return s && { verdict: s.verdict, summary: `${safetyBadge(s.verdict).label} (worst of ${s.count} model file(s): ${s.worstFile ? vscode.workspace.asRelativePath(s.worstFile) : ''})` };
      }),
    );
    add(
      vscode.commands.registerCommand(MODEL_SAFETY_COMMANDS.checkFolderBeforeSigning, async (folder: vscode.Uri): Promise<boolean> => {
        if (!safety.enabled) return true;
        const reports = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'TrustLens: checking model files before signing', cancellable: true },
          (_p, token) => {
            const ctrl = new AbortController();
            token.onCancellationRequested(() => ctrl.abort());
            return safety.checkFolder(folder.fsPath, ctrl.signal);
          },
        );
        const dangerous = reports.filter((r) => r.verdict === 'dangerous');
        if (dangerous.length === 0) return true;
        const names = dangerous.map((r) => vscode.workspace.asRelativePath(r.path)).join(', ');
        if (settings.settings.modelSafety.refuseSigningDangerous) {
          void vscode.window.showErrorMessage(`TrustLens: not signing: ${names} ${dangerous.length === 1 ? 'is' : 'are'} dangerous to load (trustlens.modelSafety.refuseSigningDangerous is on). A signature would vouch for code that runs on load.`, 'Show Details').then((c) => {
            if (c) void vscode.commands.executeCommand('trustlens.modelSafety.showDetails', vscode.Uri.file(dangerous[0].path));
          });
          return false;
        }
        const choice = await vscode.window.showWarningMessage(
          `${names} ${dangerous.length === 1 ? 'is' : 'are'} dangerous to load: ${dangerous[0].summary}. A signature only says the files did not change; it does not make them safe. Sign anyway?`,
          { modal: true },
          'Sign Anyway',
          'Show Details',
        );
        if (choice === 'Show Details') await vscode.commands.executeCommand('trustlens.modelSafety.showDetails', vscode.Uri.file(dangerous[0].path));
        return choice === 'Sign Anyway';
      }),
    );

    services.api.modelSafety = {
      whenIdle: () => safety.discover().then(() => safety.whenIdle()),
      report: (fsPath: string) => safety.get(fsPath),
      decoration: (uri: vscode.Uri) => {
        const d = decorations.provideFileDecoration(uri);
        return d && { badge: d.badge, tooltip: d.tooltip };
      },
      statusText: () => safety.statusText(),
    };
    // Background discovery, off the activation path.
    const timer = setTimeout(() => void safety.discover(), 500);
    add({ dispose: () => clearTimeout(timer) });
    return vscode.Disposable.from(...items.reverse());
  },
};
