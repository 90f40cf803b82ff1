import { describe, expect, it } from 'vitest';
import { pca } from '../../../src/evaluation/metrics/pca.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';

/** n points of a Gaussian with std `major` along (cos θ, sin θ) and `minor` across it. */
function stretchedGaussian(n: number, theta: number, major: number, minor: number): Float32Array {
  const rng = new SeededRandom(11);
  const out = new Float32Array(n * 2);
  const [c, s] = [Math.cos(theta), Math.sin(theta)];
  for (let i = 0; i < n; i++) {
    const a = rng.normal() * major;
    const b = rng.normal() * minor;
    out[i * 2] = 3 + a * c - b * s;
    out[i * 2 + 1] = -1 + a * s + b * c;
  }
  return out;
}

describe('pca', () => {
  it('recovers the main axis of a stretched, rotated, shifted Gaussian', () => {
    const theta = Math.PI / 6;
    const result = pca(stretchedGaussian(4000, theta, 5, 0.5), 2);
    const [first, second] = result.components as [Float64Array, Float64Array];
    expect(
      Math.abs((first[0] as number) * Math.cos(theta) + (first[1] as number) * Math.sin(theta)),
    ).toBeGreaterThan(0.999);
    expect(
      Math.abs(
        (first[0] as number) * (second[0] as number) + (first[1] as number) * (second[1] as number),
      ),
    ).toBeLessThan(1e-6);
    expect(result.explainedVariance[0]).toBeCloseTo(25, -0.5);
    expect(result.explainedVarianceRatio[0]).toBeGreaterThan(0.98);
    expect(result.mean[0]).toBeCloseTo(3, 0);
  });

  it('projects onto centred coordinates whose variance is the explained variance', () => {
    const result = pca(stretchedGaussian(1000, 1, 3, 1), 2);
    let sq = 0;
    for (let i = 0; i < 1000; i++) sq += (result.projected[i * 2] as number) ** 2;
    expect(sq / 1000).toBeCloseTo(result.explainedVariance[0] as number, 3);
  });

  it('finds orthonormal components ordered by variance in higher dimensions', () => {
    const rng = new SeededRandom(2);
    const dim = 6;
    const stds = [0.5, 4, 1, 0.2, 2, 0.1];
    const rows = Float32Array.from(
      { length: 2000 * dim },
      (_, i) => rng.normal() * (stds[i % dim] as number),
    );
    const result = pca(rows, dim, { components: 3 });
    // Axis-aligned variances: the components are the axes 1, 4, 2 in that order.
    expect(result.components.map((c) => c.indexOf(Math.max(...c)))).toEqual([1, 4, 2]);
    expect(result.explainedVariance[0]).toBeGreaterThan(result.explainedVariance[1] as number);
    for (const c of result.components) expect(Math.hypot(...c)).toBeCloseTo(1, 9);
  });

  it('rejects rows that do not match the dimension', () => {
    expect(() => pca(new Float32Array(5), 2)).toThrow(/not whole rows of dim 2/);
    expect(() => pca(new Float32Array(4), 2, { components: 3 })).toThrow(/components is 3/);
  });
});
