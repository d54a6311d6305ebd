import * as vscode from 'vscode';
import { mergeTrustLists, parseSettings, SETTING_SCHEMAS, SETTINGS_SECTION, TRUST_SETTING_KEYS, type SettingIssue, type SettingKey, type Settings } from '../core/settings';

/**
 * Reads and validates every `trustlens.*` setting (trust lists merged across scopes, see
 * mergeTrustLists).
 */
export function readSettings(scope?: vscode.ConfigurationScope): { settings: Settings; issues: SettingIssue[] } {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const raw: Partial<Record<SettingKey, unknown>> = {};
  for (const key of Object.keys(SETTING_SCHEMAS) as SettingKey[]) {
    if (TRUST_SETTING_KEYS.includes(key)) {
      raw[key] = mergeTrustLists(config.inspect(key), vscode.workspace.isTrusted);
    } else {
      raw[key] = config.get(key);
    }
  }
  return parseSettings(raw);
}

/**
 * Holds the current settings, re-reads them when `trustlens.*` changes or workspace trust is
 * granted, and warns once per bad value (naming the setting) instead of failing.
 */
export class SettingsService implements vscode.Disposable {
  private current: Settings;
  private readonly warned = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<Settings>();
  private readonly subs: vscode.Disposable[] = [];
  /** Fires with the new settings after any `trustlens.*` change. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.current = this.load();
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION)) this.reload();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
    );
  }

  get settings(): Settings {
    return this.current;
  }

  /** Settings problems currently in effect (for tests and the log). */
  issues(): SettingIssue[] {
    return readSettings().issues;
  }

  private reload(): void {
    this.current = this.load();
    this.emitter.fire(this.current);
  }

  private load(): Settings {
    const { settings, issues } = readSettings();
    for (const issue of issues) {
      const id = `${issue.setting}\u0000${issue.message}`;
      if (this.warned.has(id)) continue;
      this.warned.add(id);
      this.log.warn(`setting ${issue.setting} ignored: ${issue.message}`);
      void vscode.window
        .showWarningMessage(`TrustLens: the setting ${issue.setting} is invalid (${issue.message}); using its default.`, 'Open Settings')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', issue.setting);
        });
    }
    return settings;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
