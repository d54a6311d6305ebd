import { createHash } from 'node:crypto';

/**
 * Snippet fingerprints for review decisions. A decision must stay attached to "the same code"
 * when lines above it are added or removed, when the block is re-indented or moved to another
 * file, so the fingerprint is computed from the text only (never from line numbers or paths),
 * after normalising whitespace and dropping blank lines.
 */

/** Collapses runs of whitespace, trims each line and drops blank lines. */
export function normalizeSnippet(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 24);
}

/** Fingerprint of a whole snippet: `s1:` + 24 hex digits of sha256 over the normalised text. */
export function snippetFingerprint(text: string): string {
  return `s1:${shortHash(normalizeSnippet(text))}`;
}

/**
 * Fingerprint of one finding inside a snippet: rule id + the normalised text of the flagged
 * line(s). These "anchors" let a decision survive edits elsewhere in the snippet.
 */
export function findingAnchor(ruleId: string, flaggedText: string): string {
  return `a1:${ruleId}:${shortHash(normalizeSnippet(flaggedText))}`;
}

/** The identity of a flagged snippet as the review store sees it. */
export interface SnippetKey {
  /** `snippetFingerprint` of the snippet text. */
  fingerprint: string;
  /** `findingAnchor` of every finding in the snippet, sorted and de-duplicated. */
  anchors: string[];
}

/** Builds a SnippetKey from the snippet text and its findings' rule ids and flagged lines. */
export function snippetKey(snippetText: string, findings: ReadonlyArray<{ ruleId: string; flaggedText: string }>): SnippetKey {
  const anchors = [...new Set(findings.map((f) => findingAnchor(f.ruleId, f.flaggedText)))].sort();
  return { fingerprint: snippetFingerprint(snippetText), anchors };
}
