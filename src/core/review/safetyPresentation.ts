import type { ImportedGlobal, SafetyLocation, SafetyVerdict } from '../modelsafety/types';
import { worstVerdict } from '../modelsafety/verdict';

/**
 * How model-file safety verdicts are shown (badge letter, colour name, wording), kept pure so the
 * explorer decoration, the details view and the CLI wording agree and are testable.
 */

export interface SafetyBadge {
  /** One or two characters for a file decoration; undefined = no badge (tooltip line only). */
  badge?: string;
  /** Theme colour id for the label, when any. */
  color?: 'charts.red' | 'charts.yellow' | 'charts.green' | 'disabledForeground';
  /** The tooltip line. */
  label: string;
}

/**
 * Badge and tooltip line per verdict. Safe and unknown files get a tooltip line only, so the
 * signing badges beside them stay readable (✓ ! ? are the signing states).
 */
export function safetyBadge(verdict: SafetyVerdict): SafetyBadge {
  switch (verdict) {
    case 'dangerous':
      return { badge: '☠', color: 'charts.red', label: 'Dangerous to load: can run code' };
    case 'suspicious':
      return { badge: '⚠', color: 'charts.yellow', label: 'Suspicious: imports something not known to be safe' };
    case 'unknown':
      // No badge: '?' already means "signer not trusted" in the signing badges beside it.
      return { label: 'Safety unknown: could not be fully checked' };
    default:
      return { label: 'Safe to load: only allowlisted constructs' };
  }
}

/** Worst verdict of the files under `folder` (a path prefix with `/` separators) and the file that has it. */
export function folderSummary(files: ReadonlyArray<{ path: string; verdict: SafetyVerdict }>, folder: string): { verdict: SafetyVerdict; worstFile?: string; count: number } | undefined {
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  const inside = files.filter((f) => f.path.startsWith(prefix));
  if (inside.length === 0) return undefined;
  const verdict = worstVerdict(...inside.map((f) => f.verdict));
  return { verdict, worstFile: inside.find((f) => f.verdict === verdict)?.path, count: inside.length };
}

/** "offset 0x1f2 in archive/data.pkl" */
export function describeLocation(l: SafetyLocation): string {
  return `offset 0x${l.offset.toString(16)}${l.member ? ` in ${l.member}` : ''}`;
}

/** One line per imported global: `os.system (dangerous) via STACK_GLOBAL at offset 0x2a ×3: reason`. */
export function describeGlobal(g: ImportedGlobal): string {
  const where = g.locations.length ? ` at ${g.locations.slice(0, 3).map(describeLocation).join(', ')}${g.locations.length > 3 ? ', …' : ''}` : '';
  const times = g.count > 1 ? ` ×${g.count}` : '';
  const name = g.resolved ? `${g.module}.${g.name}` : `${g.module}.${g.name} (unresolved)`;
  return `${name} (${g.verdict}) via ${g.opcode}${where}${times}: ${g.reason}`;
}

/** Key under which "already notified" is remembered: the same file content is reported once. */
export function notificationKey(path: string, size: number, mtimeMs: number): string {
  return `${path}\u0000${size}\u0000${Math.trunc(mtimeMs)}`;
}
