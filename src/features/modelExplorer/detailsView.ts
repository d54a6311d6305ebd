import * as vscode from 'vscode';
import type { SignatureDetails } from './engine';
import { describeState, type ModelState } from './modelState';
import { themeIcon } from './presentation';

interface DetailNode {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: vscode.ThemeIcon;
  children?: DetailNode[];
}

/**
 * The "Signature details" view: the decoded bundle of one model as a read-only tree (signer,
 * certificate chain, transparency-log entries, serialization settings, and each resource with
 * its recorded and current digest).
 */
export class SignatureDetailsProvider implements vscode.TreeDataProvider<DetailNode>, vscode.Disposable {
  private roots: DetailNode[] = [];
  private current?: SignatureDetails;
  private readonly emitter = new vscode.EventEmitter<DetailNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  get shown(): SignatureDetails | undefined {
    return this.current;
  }

  show(modelName: string, d: SignatureDetails, state?: ModelState): void {
    this.current = d;
    const mismatches = d.resources.filter((r) => r.current !== undefined && r.current !== r.recorded).length;
    const signer: DetailNode[] = [{ label: 'Method', description: d.method }];
    if (d.keyHint) signer.push({ label: 'Public key hint', description: d.keyHint });
    if (d.certificates[0]) signer.push({ label: 'Subject', description: d.certificates[0].subject });
    this.roots = [
      { label: modelName, description: state ? describeState(state) : undefined, icon: themeIcon('package'), tooltip: d.signaturePath },
      { label: 'Signer', icon: themeIcon('person'), children: signer },
      {
        label: 'Certificate chain',
        description: d.certificates.length ? `${d.certificates.length} certificate(s)` : 'none (key signature)',
        icon: themeIcon('workspace-trusted'),
        children: d.certificates.map((c, i) => ({
          label: i === 0 ? 'Leaf' : `CA ${i}`,
          description: c.subject,
          tooltip: `Subject: ${c.subject}\nIssuer: ${c.issuer}\nValid: ${c.notBefore ?? '?'} – ${c.notAfter ?? '?'}\nSHA-256: ${c.fingerprint}`,
          children: [
            { label: 'Issuer', description: c.issuer },
            { label: 'Valid', description: `${c.notBefore ?? '?'} – ${c.notAfter ?? '?'}` },
            { label: 'SHA-256 fingerprint', description: c.fingerprint },
          ],
        })),
      },
      {
        label: 'Transparency log',
        description: d.tlogEntries.length ? `${d.tlogEntries.length} entr${d.tlogEntries.length === 1 ? 'y' : 'ies'}` : 'no entry',
        icon: themeIcon('book'),
        children: d.tlogEntries.map((t) => ({
          label: `log index ${t.logIndex ?? '?'}`,
          description: t.integratedTime ?? '',
          tooltip: `log id ${t.logId ?? '?'}, kind ${t.kind ?? '?'}`,
        })),
      },
      {
        label: 'Serialization',
        icon: themeIcon('settings-gear'),
        description: d.serialization ? String(d.serialization['method'] ?? '') : '',
        children: [
          ...Object.entries(d.serialization ?? {}).map(([k, v]) => ({ label: k, description: JSON.stringify(v) })),
          { label: 'predicateType', description: d.predicateType ?? '?' },
          { label: 'root digest (sha256)', description: d.rootDigest ?? '?' },
        ],
      },
      {
        label: 'Resources',
        description: `${d.resources.length} signed${mismatches ? `, ${mismatches} differ now` : ''}`,
        icon: themeIcon('files'),
        children: d.resources.map((r) => {
          const same = r.current === undefined ? undefined : r.current === r.recorded;
          return {
            label: r.name,
            description: same === undefined ? `${r.algorithm} ${short(r.recorded)} · current: missing` : same ? `${r.algorithm} ${short(r.recorded)} · matches` : `${r.algorithm} ${short(r.recorded)} · current ${short(r.current!)}`,
            tooltip: `recorded ${r.algorithm}: ${r.recorded}\ncurrent: ${r.current ?? '(missing)'}`,
            icon: same ? themeIcon('pass', 'testing.iconPassed') : themeIcon('diff-modified', 'list.warningForeground'),
          };
        }),
      },
    ];
    this.emitter.fire(undefined);
  }

  getTreeItem(n: DetailNode): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.description = n.description;
    item.tooltip = n.tooltip ?? (n.description ? `${n.label}: ${n.description}` : n.label);
    item.iconPath = n.icon;
    return item;
  }

  getChildren(n?: DetailNode): DetailNode[] {
    return n ? (n.children ?? []) : this.roots;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function short(hex: string): string {
  return hex.length > 16 ? `${hex.slice(0, 12)}…` : hex;
}
