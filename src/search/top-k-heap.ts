/**
 * A bounded min-heap that keeps the k largest scores seen. The root is the weakest kept score, so
 * most candidates are rejected with one comparison, which is what makes the plain-TS scan fast.
 */
export class TopKHeap {
  readonly scores: Float32Array;
  readonly rows: Int32Array;
  size = 0;

  constructor(readonly k: number) {
    this.scores = new Float32Array(k);
    this.rows = new Int32Array(k);
  }

  /** The score a candidate must beat to enter; −Infinity until the heap is full. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : (this.scores[0] as number);
  }

  push(score: number, row: number): void {
    const { scores, rows } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if ((scores[parent] as number) <= score) break;
        scores[i] = scores[parent] as number;
        rows[i] = rows[parent] as number;
        i = parent;
      }
      scores[i] = score;
      rows[i] = row;
      return;
    }
    if (score <= (scores[0] as number)) return;
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (scores[r] as number) < (scores[l] as number) ? r : l;
      if ((scores[c] as number) >= score) break;
      scores[i] = scores[c] as number;
      rows[i] = rows[c] as number;
      i = c;
    }
    scores[i] = score;
    rows[i] = row;
  }

  /** Kept entries, best first; ties broken by the lower row so results are deterministic. */
  sorted(): { scores: Float32Array; rows: Int32Array } {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) =>
        (this.scores[b] as number) - (this.scores[a] as number) ||
        (this.rows[a] as number) - (this.rows[b] as number),
    );
    return {
      scores: Float32Array.from(order, (i) => this.scores[i] as number),
      rows: Int32Array.from(order, (i) => this.rows[i] as number),
    };
  }
}
