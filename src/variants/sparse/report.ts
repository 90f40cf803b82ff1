/**
 * The sparse variant's section of the evaluation report: how sparse the test codes are, as the
 * mean |z| and the share of code entries below a small threshold.
 */
export function sparsityReport(codes: Float32Array, threshold = 0.05) {
  let abs = 0;
  let near = 0;
  let n = 0;
  for (const v of codes) {
    if (!Number.isFinite(v)) continue;
    abs += Math.abs(v);
    if (Math.abs(v) < threshold) near++;
    n++;
  }
  return { meanAbsCode: n ? abs / n : NaN, shareNearZero: n ? near / n : NaN, threshold };
}
