import type { SafetyVerdict } from './types';

const RANK: Record<SafetyVerdict, number> = { safe: 0, unknown: 1, suspicious: 2, dangerous: 3 };

/** Orders verdicts: safe < unknown < suspicious < dangerous. */
export function verdictRank(v: SafetyVerdict): number {
  return RANK[v];
}

/** The worse of the given verdicts (`safe` for none). */
export function worstVerdict(...verdicts: SafetyVerdict[]): SafetyVerdict {
  let worst: SafetyVerdict = 'safe';
  for (const v of verdicts) if (RANK[v] > RANK[worst]) worst = v;
  return worst;
}

/**
 * The files of a folder report at or above `atLeast` (default `dangerous`), worst first: what the
 * signing flow lists when it warns before signing a folder.
 */
export function filesAtLeast<T extends { verdict: SafetyVerdict }>(files: readonly T[], atLeast: SafetyVerdict = 'dangerous'): T[] {
  return files.filter((f) => RANK[f.verdict] >= RANK[atLeast]).sort((a, b) => RANK[b.verdict] - RANK[a.verdict]);
}
