import * as vscode from 'vscode';
import type { Feature } from '../feature';
import { SettingsService } from '../../vscode/config';
import { PassphraseStore } from '../../vscode/secrets';
import { CoreModelEngine } from './coreEngine';
import { ModelExplorerController } from './modelExplorerController';
import { registerModelCommands } from './commands';
import type { ModelState } from './modelState';

/** What the e2e tests read through the extension's exports (`exports.models`). */
export interface ModelsTestApi {
  list(): { folder: string; state: ModelState }[];
  whenIdle(): Promise<void>;
  statusText(): string;
  decoration(uri: vscode.Uri): { badge?: string; tooltip?: string } | undefined;
  shownDetails(): unknown;
  settingsIssues(): { setting: string; message: string }[];
}

/** Model explorer: Models view, Signature details, badges, Sign/Verify commands, status bar (#3). */
export const modelExplorerFeature: Feature = {
  id: 'modelExplorer',
  activate(context, services) {
    const settings = new SettingsService(services.log);
    const engine = new CoreModelEngine();
    const ctl = new ModelExplorerController({ context, log: services.log, settings, engine });
    const commands = registerModelCommands(ctl, { engine, settings, passphrases: new PassphraseStore(context.secrets) });
    const api: ModelsTestApi = {
      list: () => ctl.store.all().map((e) => ({ folder: e.folder.fsPath, state: e.state })),
      whenIdle: () => ctl.whenIdle(),
      statusText: () => ctl.statusText(),
      decoration: (uri) => {
        const d = ctl.decorations.provideFileDecoration(uri);
        return d ? { badge: d.badge, tooltip: d.tooltip } : undefined;
      },
      shownDetails: () => ctl.details.shown,
      settingsIssues: () => settings.issues(),
    };
    services.api.models = api;
    return vscode.Disposable.from(...commands, ctl, settings);
  },
};
