// Row heights for the virtual list: a Fenwick (binary indexed) tree over the heights, so
// a row's offset, the total height, and the row at a scroll offset are O(log n), and a
// measured row updates in O(log n). Unmeasured rows count at the estimate.

export class HeightIndex {
  readonly size: number;
  private readonly tree: Float64Array;
  private readonly heights: Float64Array;
  private readonly measured: Uint8Array;

  constructor(size: number, estimate: number) {
    this.size = size;
    this.heights = new Float64Array(size).fill(estimate);
    this.measured = new Uint8Array(size);
    this.tree = new Float64Array(size + 1);
    // Linear-time build.
    for (let i = 1; i <= size; i++) {
      this.tree[i] += estimate;
      const j = i + (i & -i);
      if (j <= size) this.tree[j] += this.tree[i];
    }
  }

  height(i: number): number {
    return this.heights[i];
  }

  isMeasured(i: number): boolean {
    return this.measured[i] === 1;
  }

  /** Sets row i's height; returns the change. */
  set(i: number, h: number): number {
    this.measured[i] = 1;
    const delta = h - this.heights[i];
    if (delta === 0) return 0;
    this.heights[i] = h;
    for (let k = i + 1; k <= this.size; k += k & -k) this.tree[k] += delta;
    return delta;
  }

  /** Sum of the heights of rows 0..i-1 (the top of row i). */
  offsetOf(i: number): number {
    let s = 0;
    for (let k = Math.min(i, this.size); k > 0; k -= k & -k) s += this.tree[k];
    return s;
  }

  total(): number {
    return this.offsetOf(this.size);
  }

  /** The row at a vertical offset: the largest i with offsetOf(i) <= offset. */
  indexAt(offset: number): number {
    if (this.size === 0) return 0;
    let pos = 0;
    let rest = offset;
    let step = 1;
    while (step * 2 <= this.size) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.size && this.tree[next] <= rest) {
        pos = next;
        rest -= this.tree[next];
      }
    }
    return Math.min(pos, this.size - 1);
  }
}
