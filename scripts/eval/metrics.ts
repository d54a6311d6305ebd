/**
 * Scoring for `npm run eval`: confusion counts per group, precision/recall, and CWE families
 * for the stricter "CWE-matched" variant (a finding counts only when its CWE is the label's or
 * in the same family).
 *
 * Families follow the CWE hierarchy loosely (parent/child and sibling weaknesses that one rule
 * legitimately reports under either id), as grouped in CODE-RULES-NOTES §1 and §6, e.g.
 * "327 / 328 / 916 / 759" (weak hashing of passwords), "94 / 95" (code injection),
 * "120 / 242 / 676 / 787" (C buffers), "798 / 259" (secrets). A CWE may be in several families.
 */
export const CWE_FAMILIES: Readonly<Record<string, readonly number[]>> = {
  sql: [89, 943, 564],
  command: [77, 78, 88],
  code: [94, 95, 96, 1336],
  'object-injection': [915, 1321],
  xss: [79, 80, 83, 116],
  'output-neutralization': [113, 93, 116, 117],
  path: [22, 23, 35, 36, 59, 73],
  deserialization: [502],
  crypto: [327, 328, 326, 329, 323, 916, 759, 760, 261, 780, 1240],
  authenticity: [345, 347, 494, 353],
  randomness: [330, 331, 335, 338, 340],
  memory: [119, 120, 121, 122, 124, 125, 126, 131, 134, 170, 242, 416, 415, 468, 476, 590, 676, 762, 787, 788, 805, 806],
  numeric: [128, 190, 191, 197, 680, 681],
  init: [457, 665, 908],
  transport: [295, 297, 319, 757],
  exposure: [200, 209, 215, 312, 359, 489, 532],
  xxe: [611, 776, 827],
  dos: [400, 407, 674, 770, 1333],
  validation: [20, 185, 625, 1284, 1333, 601],
  access: [284, 285, 287, 306, 346, 352, 639, 862, 863, 1021],
  ssrf: [918],
  'query-injection': [90, 643, 652],
  permissions: [250, 276, 277, 279, 281, 377, 379, 732],
  secrets: [256, 259, 321, 522, 798],
  timing: [208, 385],
};

const num = (cwe: string) => Number(/^CWE-(\d+)$/i.exec(cwe.trim())?.[1] ?? NaN);

/** True when `found` is the label's CWE or shares a family with it. */
export function cweMatches(found: string, label: string): boolean {
  const a = num(found);
  const b = num(label);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (a === b) return true;
  return Object.values(CWE_FAMILIES).some((f) => f.includes(a) && f.includes(b));
}

/** Confusion counts for one group of samples. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0, tn: 0 });

/** Adds one sample's outcome. */
export function tally(c: Counts, vulnerable: boolean, predicted: boolean): void {
  if (vulnerable) {
    if (predicted) c.tp++;
    else c.fn++;
  } else if (predicted) c.fp++;
  else c.tn++;
}

/** Precision, or undefined with no positive predictions. */
export function precision(c: Counts): number | undefined {
  return c.tp + c.fp === 0 ? undefined : c.tp / (c.tp + c.fp);
}

/** Recall, or undefined with no vulnerable samples. */
export function recall(c: Counts): number | undefined {
  return c.tp + c.fn === 0 ? undefined : c.tp / (c.tp + c.fn);
}

export const fmt = (x: number | undefined) => (x === undefined ? '  -  ' : x.toFixed(2).padStart(5));
