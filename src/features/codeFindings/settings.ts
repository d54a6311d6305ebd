import * as vscode from 'vscode';
import {
  parseFindingsSettings,
  parseModelSafetySettings,
  parseProvenanceSettings,
  type FindingsSettings,
  type ModelSafetySettings,
  type ProvenanceSettings,
} from '../../core/review';
import { DisposableBase } from '../../vscode/lifecycle';

/** The typed `trustlens.findings|provenance|modelSafety.*` settings. */
export interface AiCodeSettings {
  findings: FindingsSettings;
  provenance: ProvenanceSettings;
  modelSafety: ModelSafetySettings;
}

const SECTIONS = {
  findings: parseFindingsSettings,
  provenance: parseProvenanceSettings,
  modelSafety: parseModelSafetySettings,
} as const;

/** Reads the three sections and returns the issues (one per rejected key). */
export function readAiCodeSettings(): { settings: AiCodeSettings; issues: string[] } {
  const issues: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [section, parse] of Object.entries(SECTIONS)) {
    const config = vscode.workspace.getConfiguration(`trustlens.${section}`);
    const raw: Record<string, unknown> = {};
    // Only keys the user set are passed on, so the schema default (== package.json default) applies otherwise.
    for (const key of ['enabled', 'languages', 'minimumSeverity', 'raiseInAiCode', 'severityOverrides', 'lensScope', 'debounceMs', 'reviewFile',
      'liveEdits', 'gitTrailers', 'explicitRecords', 'markers', 'userMarks', 'minInsertedLines', 'notifyOnDangerous', 'refuseSigningDangerous']) {
      const v = config.get(key);
      if (v !== undefined) raw[key] = v;
    }
    const parsed = parse(raw);
    out[section] = parsed.settings;
    issues.push(...parsed.issues);
  }
  return { settings: out as unknown as AiCodeSettings, issues };
}

/** Holds the current settings, re-reads them on change and warns once per bad value. */
export class AiCodeSettingsService extends DisposableBase {
  private current: AiCodeSettings;
  private readonly warned = new Set<string>();
  private readonly emitter = this.register(new vscode.EventEmitter<AiCodeSettings>());
  readonly onDidChange = this.emitter.event;

  /** `warnFor`: the sections whose bad values this instance reports (each feature reports its own). */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly warnFor: ReadonlyArray<keyof AiCodeSettings> = ['findings', 'provenance', 'modelSafety'],
  ) {
    super();
    this.current = this.load();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['trustlens.findings', 'trustlens.provenance', 'trustlens.modelSafety'].some((s) => e.affectsConfiguration(s))) {
          this.current = this.load();
          this.emitter.fire(this.current);
        }
      }),
    );
  }

  get settings(): AiCodeSettings {
    return this.current;
  }

  private load(): AiCodeSettings {
    const { settings, issues } = readAiCodeSettings();
    for (const issue of issues) {
      if (this.warned.has(issue) || !this.warnFor.some((s) => issue.startsWith(`trustlens.${s}.`))) continue;
      this.warned.add(issue);
      this.log.warn(`setting ignored: ${issue}`);
      const setting = issue.slice(0, issue.indexOf(':'));
      void vscode.window.showWarningMessage(`TrustLens: ${issue}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', setting);
      });
    }
    return settings;
  }
}
