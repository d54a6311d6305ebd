/**
 * Which byte ranges of a file have been read, so the `bytesRead` statistic counts each byte once:
 * format sniffing, header parsing and the pickle stream may read the same bytes again.
 */
export class ByteCoverage {
  /** [start, end) pairs; merged lazily so recording a read stays O(1). */
  private ranges: Array<[number, number]> = [];
  private merged = 0;

  /** Records that [position, position + length) was read. */
  add(position: number, length: number): void {
    if (length <= 0) return;
    this.ranges.push([position, position + length]);
    // Bound memory on archives with very many members: merge once the unmerged tail grows.
    if (this.ranges.length - this.merged > 4096) this.compact();
  }

  /** Number of distinct bytes read. */
  get size(): number {
    this.compact();
    let n = 0;
    for (const [s, e] of this.ranges) n += e - s;
    return n;
  }

  private compact(): void {
    if (this.merged === this.ranges.length) return;
    const sorted = this.ranges.sort((a, b) => a[0] - b[0]);
    const out: Array<[number, number]> = [];
    for (const [s, e] of sorted) {
      const last = out[out.length - 1];
      if (last && s <= last[1]) last[1] = Math.max(last[1], e);
      else out.push([s, e]);
    }
    this.ranges = out;
    this.merged = out.length;
  }
}
