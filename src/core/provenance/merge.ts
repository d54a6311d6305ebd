import { comparePos, isEmptyRange, SOURCE_RANK, type AiRange, type OtherEvidence } from './types';

interface P {
  line: number;
  col: number;
}

const rank = (r: AiRange) => SOURCE_RANK.indexOf(r.source);

/** True when `a` should win over `b`: stronger source, then more recent, then earlier in input. */
function beats(a: AiRange, b: AiRange): boolean {
  if (rank(a) !== rank(b)) return rank(a) < rank(b);
  return (a.at?.getTime() ?? -Infinity) > (b.at?.getTime() ?? -Infinity);
}

/**
 * Merges overlapping evidence into non-overlapping ranges, sorted by position. Where ranges
 * overlap, the strongest source (SOURCE_RANK; ties go to the most recent) labels the span and
 * the others are kept in `also`, so the UI can always say which evidence applied.
 * Adjacent spans won by the same input range are joined back together.
 */
export function mergeAiRanges(ranges: readonly AiRange[]): AiRange[] {
  const input = ranges.filter((r) => !isEmptyRange(r.range));
  if (input.length === 0) return [];
  const points: P[] = [];
  for (const r of input) points.push({ line: r.range.startLine, col: r.range.startCol }, { line: r.range.endLine, col: r.range.endCol });
  points.sort((a, b) => comparePos(a.line, a.col, b.line, b.col));
  const uniq = points.filter((p, i) => i === 0 || comparePos(p.line, p.col, points[i - 1].line, points[i - 1].col) !== 0);
  const out: Array<{ winner: AiRange; from: P; to: P; also: Map<string, OtherEvidence> }> = [];
  for (let i = 0; i + 1 < uniq.length; i++) {
    const from = uniq[i];
    const to = uniq[i + 1];
    const covering = input.filter(
      (r) => comparePos(r.range.startLine, r.range.startCol, from.line, from.col) <= 0 && comparePos(r.range.endLine, r.range.endCol, to.line, to.col) >= 0,
    );
    if (covering.length === 0) continue;
    let winner = covering[0];
    for (const r of covering) if (beats(r, winner)) winner = r;
    const prev = out[out.length - 1];
    const seg = prev && prev.winner === winner && comparePos(prev.to.line, prev.to.col, from.line, from.col) === 0 ? prev : undefined;
    const target = seg ?? { winner, from, to, also: new Map<string, OtherEvidence>() };
    target.to = to;
    for (const r of covering) {
      if (r === winner) continue;
      target.also.set(`${r.source}\0${r.evidence}`, { source: r.source, ...(r.tool ? { tool: r.tool } : {}), evidence: r.evidence });
    }
    if (!seg) out.push(target);
  }
  return out.map(({ winner, from, to, also }) => {
    const { also: _ignored, ...rest } = winner;
    const others = [...(winner.also ?? []), ...also.values()];
    return { ...rest, range: { startLine: from.line, startCol: from.col, endLine: to.line, endCol: to.col }, ...(others.length ? { also: others } : {}) };
  });
}

/** The merged AI range containing 0-based `line`, if any (for lenses and `--ai-only`). */
export function aiRangeAtLine(merged: readonly AiRange[], line: number): AiRange | undefined {
  return merged.find((r) => line >= r.range.startLine && (line < r.range.endLine || (line === r.range.endLine && r.range.endCol > 0)));
}
