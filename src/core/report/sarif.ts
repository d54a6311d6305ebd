import { createHash } from 'node:crypto';
import type { AiRange } from '../provenance/types';
import { SEVERITIES, type Finding, type Range, type Severity } from '../scanning/finding';

/**
 * SARIF 2.1.0 for GitHub code scanning: rules with CWE tags, precision and a numeric
 * `security-severity`; results with a relative `%SRCROOT%` location, 1-based region,
 * partial fingerprints and, for data-flow findings, a code flow from source to sink.
 */

/** Rule metadata the report needs; the scanner's RuleInfo satisfies it structurally. */
export interface ReportRule {
  id: string;
  name: string;
  cwe: string;
  severity: Severity;
  shortDescription?: string;
  fullDescription?: string;
  description?: string;
  message?: string;
  why?: string;
  helpUrl?: string;
  /** How often the rule is right; default 'high' for pattern rules GitHub shows by default. */
  precision?: 'very-high' | 'high' | 'medium' | 'low';
}

/** Findings of one file, with its path relative to the scan root and optional provenance. */
export interface ReportFile {
  /** Path relative to the source root, forward slashes. */
  path: string;
  findings: readonly Finding[];
  /** Provenance for each finding (same index), when it was computed. */
  provenance?: ReadonlyArray<AiRange | undefined>;
  /** Lines of the file, to fingerprint findings by content (optional). */
  lines?: readonly string[];
}

export interface SarifOptions {
  toolName?: string;
  version: string;
  informationUri?: string;
  rules: readonly ReportRule[];
  files: readonly ReportFile[];
  /** Files that were cut short by the time budget (reported as tool notifications). */
  truncated?: readonly string[];
}

/** The extension's Marketplace page (publisher.name from package.json). */
export const TRUSTLENS_INFORMATION_URI = 'https://marketplace.visualstudio.com/items?itemName=trustlens.trustlens';

/** GitHub's mapping: > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

const cweNumber = (cwe: string) => /^CWE-(\d+)$/i.exec(cwe)?.[1];

function cweUrl(cwe: string): string {
  const n = cweNumber(cwe);
  return n ? `https://cwe.mitre.org/data/definitions/${n}.html` : 'https://cwe.mitre.org/';
}

function ruleDescriptor(r: ReportRule) {
  const n = cweNumber(r.cwe);
  const full = r.fullDescription ?? r.description ?? r.why ?? r.name;
  const helpUrl = r.helpUrl ?? cweUrl(r.cwe);
  const markdown = [`**${r.name}** (${r.cwe})`, '', full, ...(r.why && r.why !== full ? ['', `Why it matters: ${r.why}`] : []), '', `See [${r.cwe}](${helpUrl}).`].join('\n');
  return {
    id: r.id,
    name: r.id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: r.shortDescription ?? r.name },
    fullDescription: { text: full },
    helpUri: helpUrl,
    help: { text: `${full}\n\nSee ${helpUrl}`, markdown },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: ['security', ...(n ? [`external/cwe/cwe-${n}`] : [])],
      precision: r.precision ?? 'high',
      'security-severity': SECURITY_SEVERITY[r.severity],
      'problem.severity': r.severity === 'critical' || r.severity === 'high' ? 'error' : r.severity === 'medium' ? 'warning' : 'recommendation',
    },
  };
}

function region(r: Range) {
  return { startLine: r.startLine + 1, startColumn: r.startCol + 1, endLine: r.endLine + 1, endColumn: r.endCol + 1 };
}

function location(path: string, r: Range, message?: string) {
  return { physicalLocation: { artifactLocation: { uri: encodeUri(path), uriBaseId: '%SRCROOT%' }, region: region(r) }, ...(message ? { message: { text: message } } : {}) };
}

/** Relative URI reference: each path segment percent-encoded, slashes kept. */
function encodeUri(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/**
 * Stable per-result fingerprint: rule, file and the normalised text of the finding's first line
 * plus its occurrence count, so a result keeps its identity when lines move.
 */
function fingerprint(rule: string, file: string, lineText: string, occurrence: number): string {
  const h = createHash('sha256').update(`${rule}\0${file}\0${lineText.trim().replace(/\s+/g, ' ')}`).digest('hex').slice(0, 32);
  return `${h}:${occurrence}`;
}

/** Builds the SARIF log object (serialise with JSON.stringify). */
export function buildSarif(opts: SarifOptions) {
  const rules = [...opts.rules];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: object[] = [];
  for (const file of opts.files) {
    const seen = new Map<string, number>();
    file.findings.forEach((f, i) => {
      if (!index.has(f.ruleId)) {
        index.set(f.ruleId, rules.length);
        rules.push({ id: f.ruleId, name: f.message, cwe: f.cwe, severity: f.severity, why: f.why, helpUrl: f.helpUrl });
      }
      const lineText = file.lines?.[f.range.startLine] ?? `${f.range.startLine}:${f.range.startCol}`;
      const key = `${f.ruleId}\0${lineText.trim()}`;
      const occurrence = (seen.get(key) ?? 0) + 1;
      seen.set(key, occurrence);
      const ai = file.provenance?.[i];
      const flow = f.flow;
      results.push({
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId),
        level: LEVEL[f.severity],
        message: { text: flow ? `${f.message} (${flow.source} reaches ${flow.sink})` : f.message },
        locations: [location(file.path, f.range)],
        partialFingerprints: { 'trustlens/v1': fingerprint(f.ruleId, file.path, lineText, occurrence) },
        ...(flow
          ? {
              relatedLocations: [{ id: 1, ...location(file.path, flow.sourceRange, `source: ${flow.source}`) }],
              codeFlows: [
                {
                  message: { text: `${flow.source} flows to ${flow.sink}` },
                  threadFlows: [
                    {
                      locations: [
                        { location: location(file.path, flow.sourceRange, `source: ${flow.source}`), nestingLevel: 0, executionOrder: 1 },
                        { location: location(file.path, f.range, `sink: ${flow.sink}`), nestingLevel: 0, executionOrder: 2 },
                      ],
                    },
                  ],
                },
              ],
            }
          : {}),
        properties: {
          cwe: f.cwe,
          severity: f.severity,
          ...(ai
            ? { aiGenerated: true, aiSource: ai.source, ...(ai.tool ? { aiTool: ai.tool } : {}), aiEvidence: ai.evidence, ...(ai.at ? { aiAt: ai.at.toISOString() } : {}) }
            : {}),
        },
      });
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: opts.toolName ?? 'TrustLens',
            version: opts.version,
            semanticVersion: opts.version,
            informationUri: opts.informationUri ?? TRUSTLENS_INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits' as const,
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: (opts.truncated ?? []).map((p) => ({
              level: 'warning' as const,
              message: { text: `scan of ${p} hit the time budget; results for it are partial` },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeUri(p), uriBaseId: '%SRCROOT%' } } }],
            })),
          },
        ],
      },
    ],
  };
}

/** Severity order helper shared by the report formats. */
export function atLeast(s: Severity, min: Severity): boolean {
  return SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(min);
}
