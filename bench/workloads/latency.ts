/** Percentiles of a list of millisecond timings. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Times `fn` once per item after `warmup` untimed calls; returns milliseconds per call. */
export function timeEach<T>(items: readonly T[], fn: (item: T) => void, warmup = 5): number[] {
  for (let i = 0; i < Math.min(warmup, items.length); i++) fn(items[i] as T);
  return items.map((item) => {
    const start = performance.now();
    fn(item);
    return performance.now() - start;
  });
}
