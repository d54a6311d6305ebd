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
