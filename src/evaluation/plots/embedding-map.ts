/**
 * A 2-D map of latent codes: PCA (linear, exact, fast) or UMAP (non-linear neighbourhoods), then a
 * scatter plot coloured by class. UMAP draws from a SeededRandom, so a map is reproducible.
 */
import { UMAP } from 'umap-js';
import { UsageError } from '../../errors/errors.js';
import { SeededRandom, deriveSeed } from '../../random/seeded-random.js';
import { pca } from '../metrics/pca.js';
import { scatterPlot } from './plots.js';

export type EmbeddingMethod = 'pca' | 'umap';

export interface EmbeddingOptions {
  readonly method: EmbeddingMethod;
  /** Seed for UMAP's sampling; ignored by PCA, which is deterministic. Default 0. */
  readonly seed?: number;
  /** UMAP neighbourhood size; default 15, capped at n − 1. */
  readonly neighbours?: number;
  /** UMAP optimisation epochs; default chosen by umap-js from n. */
  readonly epochs?: number;
  readonly minDist?: number;
}

/** Projects row-major [n, dim] codes to row-major [n, 2] coordinates. */
export function embed2d(codes: Float32Array, dim: number, options: EmbeddingOptions): Float32Array {
  if (!Number.isInteger(dim) || dim <= 0 || codes.length % dim !== 0) {
    throw new UsageError(
      `embed2d: ${codes.length} values are not whole rows of dim ${dim}; pass row-major [n, dim] codes.`,
    );
  }
  const n = codes.length / dim;
  if (options.method === 'pca') {
    if (dim === 1) {
      throw new UsageError('embed2d: PCA to 2-D needs codes of dim ≥ 2; got dim 1.');
    }
    return pca(codes, dim, { components: 2 }).projected;
  }
  if (options.method !== 'umap') {
    throw new UsageError(
      `embed2d: method "${String(options.method)}" is unknown; use 'pca' or 'umap'.`,
    );
  }
  if (n < 3) throw new UsageError(`embed2d: UMAP needs at least 3 points, got ${n}.`);
  const rng = new SeededRandom(options.seed ?? 0);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(codes.subarray(i * dim, (i + 1) * dim)));
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(options.neighbours ?? 15, n - 1),
    minDist: options.minDist ?? 0.1,
    random: () => rng.next(),
    ...(options.epochs !== undefined ? { nEpochs: options.epochs } : {}),
  });
  const embedding = umap.fit(rows);
  const out = new Float32Array(n * 2);
  embedding.forEach((p, i) => {
    out[i * 2] = p[0] as number;
    out[i * 2 + 1] = p[1] as number;
  });
  return out;
}

export interface EmbeddingMapSpec extends EmbeddingOptions {
  readonly codes: Float32Array;
  readonly dim: number;
  readonly labels?: Int32Array;
  readonly classNames?: readonly string[];
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
  /**
   * At most this many codes are mapped, a seeded random subset (UMAP in umap-js is roughly
   * quadratic in time, and 10k overlapping dots show no more than 3k). Default 3000.
   */
  readonly maxPoints?: number;
}

export interface EmbeddingMap {
  /** Row-major [m, 2] coordinates of the mapped codes, e.g. to save alongside the picture. */
  readonly coordinates: Float32Array;
  /** Row index in `codes` of each mapped point (all rows when n ≤ maxPoints), ascending. */
  readonly indices: Int32Array;
  readonly png: Buffer;
}

function subsetRows(n: number, maxPoints: number, seed: number): Int32Array {
  if (!Number.isInteger(maxPoints) || maxPoints < 3) {
    throw new UsageError(`embeddingMap: maxPoints is ${maxPoints}; it must be an integer ≥ 3.`);
  }
  if (n <= maxPoints) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = new SeededRandom(deriveSeed(seed, 'embedding-map-subset'));
  return rng.permutation(n).subarray(0, maxPoints).sort();
}

/** Embeds codes in 2-D and renders them as a scatter plot coloured by class. */
export async function embeddingMap(spec: EmbeddingMapSpec): Promise<EmbeddingMap> {
  const { dim } = spec;
  if (!Number.isInteger(dim) || dim <= 0 || spec.codes.length % dim !== 0) {
    throw new UsageError(
      `embeddingMap: ${spec.codes.length} values are not whole rows of dim ${dim}; pass row-major [n, dim] codes.`,
    );
  }
  const n = spec.codes.length / dim;
  if (spec.labels && spec.labels.length !== n) {
    throw new UsageError(
      `embeddingMap: ${n} codes but ${spec.labels.length} labels; pass one label per code row.`,
    );
  }
  const indices = subsetRows(n, spec.maxPoints ?? 3000, spec.seed ?? 0);
  const codes = new Float32Array(indices.length * dim);
  indices.forEach((r, i) => codes.set(spec.codes.subarray(r * dim, (r + 1) * dim), i * dim));
  const coordinates = embed2d(codes, dim, spec);
  const m = indices.length;
  const axis = spec.method === 'pca' ? 'PC' : 'UMAP ';
  const png = await scatterPlot({
    x: Array.from({ length: m }, (_, i) => coordinates[i * 2] as number),
    y: Array.from({ length: m }, (_, i) => coordinates[i * 2 + 1] as number),
    labels: spec.labels ? Int32Array.from(indices, (r) => spec.labels?.[r] as number) : undefined,
    classNames: spec.classNames,
    title: spec.title ?? `Latent map (${spec.method.toUpperCase()})`,
    xLabel: `${axis}1`,
    yLabel: `${axis}2`,
    width: spec.width,
    height: spec.height,
  });
  return { coordinates, indices, png };
}
