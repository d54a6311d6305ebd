/**
 * What the Models view, the badges and the status bar show for one model folder. Every state is
 * derived from a core result (verification, discovery, file snapshot comparison), never invented
 * by the UI. Host-free so it is unit-tested without VS Code.
 */

/** Who signed, condensed for display. */
export interface SignerSummary {
  method: 'key' | 'certificate' | 'sigstore';
  /** Signer identity (Sigstore SAN, certificate subject) or key hint / fingerprint. */
  label: string;
  issuer?: string;
}

export type ModelState =
  /** No signature file in the folder. */
  | { kind: 'unsigned' }
  /** A signature file exists but has not been verified yet in this session. */
  | { kind: 'pending' }
  | { kind: 'verifying' }
  | { kind: 'verified'; signer: SignerSummary; signedAt?: string; verifiedAt: string; restored?: boolean }
  /** The signature is bad or does not match: `code` is the core's reason code. */
  | { kind: 'invalid'; code: string; message: string }
  /** Files changed since signing (from verification) or since the last verification (from the watcher). */
  | { kind: 'modified'; changed: string[]; added: string[]; missing: string[]; source: 'verification' | 'watcher' }
  /** The signature is well-formed but no configured trust anchor covers its signer. */
  | { kind: 'untrusted'; code: string; message: string; signer?: SignerSummary; hint: string }
  /** Verification could not run (I/O error, bad configuration). */
  | { kind: 'error'; code: string; message: string };

export type ModelStateKind = ModelState['kind'];

/** Per-file state shown on the children of a model and as Explorer badges. */
export type FileStateKind = 'verified' | 'changed' | 'added' | 'missing' | 'unsigned' | 'invalid' | 'untrusted' | 'signature' | 'unknown';

/** One-line description of a state, as shown next to the model name. */
export function describeState(s: ModelState): string {
  switch (s.kind) {
    case 'unsigned':
      return 'unsigned';
    case 'pending':
      return 'signed · not verified yet';
    case 'verifying':
      return 'verifying…';
    case 'verified':
      return `verified · ${s.signer.method} · ${s.signer.label}${s.restored ? ' (cached)' : ''}`;
    case 'invalid':
      return `invalid · ${s.code}`;
    case 'modified': {
      const n = s.changed.length + s.added.length + s.missing.length;
      const files = `${n} file${n === 1 ? '' : 's'}`;
      return `modified · ${files} ${s.source === 'watcher' ? 'changed since verification' : n === 1 ? 'differs from the signature' : 'differ from the signature'}`;
    }
    case 'untrusted':
      return `cannot verify · signer not trusted`;
    case 'error':
      return `error · ${s.code}`;
  }
}

/** State of one file of the model (relative POSIX path). */
export function fileState(s: ModelState, relPath: string, signatureFileName: string): FileStateKind {
  if (relPath === signatureFileName) return s.kind === 'unsigned' ? 'unknown' : 'signature';
  switch (s.kind) {
    case 'unsigned':
      return 'unsigned';
    case 'verified':
      return 'verified';
    case 'modified':
      if (s.changed.includes(relPath)) return 'changed';
      if (s.added.includes(relPath)) return 'added';
      if (s.missing.includes(relPath)) return 'missing';
      return 'verified';
    case 'invalid':
      return 'invalid';
    case 'untrusted':
      return 'untrusted';
    default:
      return 'unknown';
  }
}

/** Counts for the status bar: verified, failed (invalid/modified/error), attention (untrusted, pending). */
export function summarize(states: Iterable<ModelState>): { verified: number; failed: number; attention: number; unsigned: number; total: number } {
  const out = { verified: 0, failed: 0, attention: 0, unsigned: 0, total: 0 };
  for (const s of states) {
    out.total++;
    if (s.kind === 'verified') out.verified++;
    else if (s.kind === 'invalid' || s.kind === 'modified' || s.kind === 'error') out.failed++;
    else if (s.kind === 'untrusted') out.attention++;
    else if (s.kind === 'unsigned') out.unsigned++;
  }
  return out;
}

/** Status bar text, e.g. `✓ 3 ✗ 1 ! 1`. Zero counts are left out except the verified one. */
export function statusText(c: ReturnType<typeof summarize>): string {
  const parts = [`✓ ${c.verified}`];
  if (c.failed) parts.push(`✗ ${c.failed}`);
  if (c.attention) parts.push(`! ${c.attention}`);
  return parts.join(' ');
}
