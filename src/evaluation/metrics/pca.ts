/**
 * Principal components in plain TypeScript: covariance (d × d) then power iteration with
 * deflation. Latent codes are small (d ≤ a few hundred), so this is exact enough and needs no
 * tensor backend, which keeps it usable from plotting code without tf state.
 */
import { UsageError } from '../../errors/errors.js';

export interface PcaResult {
  /** `components` rows of length `dim`, unit norm, ordered by explained variance. */
  readonly components: Float64Array[];
  /** Variance along each component (eigenvalues of the covariance). */
  readonly explainedVariance: number[];
  /** Share of the total variance each component explains. */
  readonly explainedVarianceRatio: number[];
  readonly mean: Float64Array;
  /** Projection of every row, row-major [n, components]. */
  readonly projected: Float32Array;
}

export interface PcaOptions {
  /** Number of components; default 2. */
  readonly components?: number;
  readonly maxIterations?: number;
  readonly tolerance?: number;
}

/** Population covariance of the centred rows, symmetric, row-major d × d. */
function covariance(rows: Float32Array, n: number, dim: number, mean: Float64Array): Float64Array {
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < dim; j++) centred[j] = (rows[r * dim + j] as number) - (mean[j] as number);
    for (let i = 0; i < dim; i++) {
      const ci = centred[i] as number;
      if (ci === 0) continue;
      for (let j = i; j < dim; j++) cov[i * dim + j] += ci * (centred[j] as number);
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = (cov[i * dim + j] as number) / n;
      cov[i * dim + j] = v;
      cov[j * dim + i] = v;
    }
  }
  return cov;
}

function multiply(matrix: Float64Array, v: Float64Array, dim: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += (matrix[i * dim + j] as number) * (v[j] as number);
    out[i] = sum;
  }
  return out;
}

function normalise(v: Float64Array): number {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
  return norm;
}

/** Dominant eigenpair of a symmetric PSD matrix. The start vector is fixed, so results repeat. */
function dominantEigen(
  matrix: Float64Array,
  dim: number,
  maxIterations: number,
  tolerance: number,
): { vector: Float64Array; value: number } {
  // A start vector that is not orthogonal to any axis-aligned eigenvector in practice.
  let v: Float64Array<ArrayBuffer> = Float64Array.from(
    { length: dim },
    (_, i) => 1 + ((i * 0.618033988749895) % 1),
  );
  normalise(v);
  for (let it = 0; it < maxIterations; it++) {
    const next = multiply(matrix, v, dim);
    if (normalise(next) === 0) return { vector: v, value: 0 };
    let change = 0;
    for (let i = 0; i < dim; i++)
      change = Math.max(change, Math.abs((next[i] as number) - (v[i] as number)));
    v = next;
    if (change < tolerance) break;
  }
  const mv = multiply(matrix, v, dim);
  let value = 0;
  for (let i = 0; i < dim; i++) value += (v[i] as number) * (mv[i] as number);
  // Sign convention: the largest-magnitude coordinate is positive, so plots do not flip.
  let largest = 0;
  for (let i = 1; i < dim; i++)
    if (Math.abs(v[i] as number) > Math.abs(v[largest] as number)) largest = i;
  if ((v[largest] as number) < 0) for (let i = 0; i < dim; i++) v[i] = -(v[i] as number);
  return { vector: v, value: Math.max(value, 0) };
}

/** PCA of `rows` (row-major [n, dim]). */
export function pca(rows: Float32Array, dim: number, options: PcaOptions = {}): PcaResult {
  const k = options.components ?? 2;
  if (!Number.isInteger(dim) || dim <= 0 || rows.length % dim !== 0) {
    throw new UsageError(
      `pca: ${rows.length} values are not whole rows of dim ${dim}; pass row-major [n, dim] data.`,
    );
  }
  const n = rows.length / dim;
  if (n < 2) throw new UsageError(`pca: needs at least 2 rows, got ${n}.`);
  if (!Number.isInteger(k) || k < 1 || k > dim) {
    throw new UsageError(`pca: components is ${k}; it must be an integer in [1, dim=${dim}].`);
  }
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) mean[j] += rows[r * dim + j] as number;
  for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) / n;

  const cov = covariance(rows, n, dim, mean);
  let total = 0;
  for (let i = 0; i < dim; i++) total += cov[i * dim + i] as number;

  const components: Float64Array[] = [];
  const explainedVariance: number[] = [];
  for (let c = 0; c < k; c++) {
    const { vector, value } = dominantEigen(
      cov,
      dim,
      options.maxIterations ?? 1000,
      options.tolerance ?? 1e-10,
    );
    components.push(vector);
    explainedVariance.push(value);
    // Deflate: remove the found direction so the next power iteration finds the next one.
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        cov[i * dim + j] =
          (cov[i * dim + j] as number) - value * (vector[i] as number) * (vector[j] as number);
      }
    }
  }

  const projected = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < k; c++) {
      const comp = components[c] as Float64Array;
      let dot = 0;
      for (let j = 0; j < dim; j++)
        dot += ((rows[r * dim + j] as number) - (mean[j] as number)) * (comp[j] as number);
      projected[r * k + c] = dot;
    }
  }
  return {
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    mean,
    projected,
  };
}
