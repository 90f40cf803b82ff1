import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { embed2d, embeddingMap } from '../../../src/evaluation/plots/embedding-map.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';

/** Three well-separated blobs in 8-D, 30 points each. */
function blobs(): { codes: Float32Array; labels: Int32Array } {
  const rng = new SeededRandom(21);
  const dim = 8;
  const codes = new Float32Array(90 * dim);
  const labels = new Int32Array(90);
  for (let i = 0; i < 90; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < dim; j++) codes[i * dim + j] = (j === i % 3 ? 6 : 0) + rng.normal() * 0.3;
  }
  return { codes, labels };
}

function centroid(coords: Float32Array, labels: Int32Array, c: number): [number, number] {
  let x = 0;
  let y = 0;
  let n = 0;
  labels.forEach((l, i) => {
    if (l !== c) return;
    x += coords[i * 2] as number;
    y += coords[i * 2 + 1] as number;
    n++;
  });
  return [x / n, y / n];
}

describe('embed2d', () => {
  it('keeps separated classes apart under PCA', () => {
    const { codes, labels } = blobs();
    const coords = embed2d(codes, 8, { method: 'pca' });
    const [a, b] = [centroid(coords, labels, 0), centroid(coords, labels, 1)];
    expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeGreaterThan(4);
  });

  it('gives identical UMAP maps for the same seed', () => {
    const { codes } = blobs();
    const options = { method: 'umap' as const, seed: 3, epochs: 50 };
    expect(embed2d(codes, 8, options)).toEqual(embed2d(codes, 8, options));
  });

  it('rejects an unknown method', () => {
    expect(() => embed2d(new Float32Array(8), 2, { method: 'tsne' as never })).toThrow(
      /"tsne" is unknown/,
    );
  });
});

describe('embeddingMap', () => {
  it('renders a UMAP map as a PNG of the requested size with one coordinate pair per code', async () => {
    const { codes, labels } = blobs();
    const map = await embeddingMap({
      codes,
      dim: 8,
      labels,
      method: 'umap',
      seed: 1,
      epochs: 50,
      width: 400,
      height: 300,
    });
    expect(map.coordinates).toHaveLength(180);
    expect(map.indices).toHaveLength(90);
    const meta = await sharp(map.png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 400, 300]);
  });

  it('maps a seeded subset of at most maxPoints codes and reports which rows it kept', async () => {
    const { codes, labels } = blobs();
    const spec = { codes, dim: 8, labels, method: 'pca' as const, maxPoints: 20, seed: 4 };
    const map = await embeddingMap(spec);
    expect(map.indices).toHaveLength(20);
    expect(map.coordinates).toHaveLength(40);
    expect(new Set(map.indices).size).toBe(20);
    expect((await embeddingMap(spec)).indices).toEqual(map.indices);
  });
});
