import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernelsBuilt, useWasmBackend } from '../support/backend.js';
import { sampleExpertProducts, type ExpertProducts } from '../../src/ops/poe-sample.js';
import { nonEmptySubsets } from '../../src/variants/shared/subsets.js';
import { onWasmAndCpu } from '../support/cpu-reference.js';
import { trainingKernels } from '../support/kernels-of.js';

const ROWS = 5;
const LATENT = 3;

/**
 * Experts' projections [ROWS, 2·LATENT] with log σ² beyond the ±12 clip in places (whose gradient
 * must be zero), presence with gaps, and a loss that weighs every z and KL differently.
 */
function samplesAndGradients(
  experts: number,
  subsets: number[][],
  withPrior: boolean,
): Float32Array[] {
  return tf.tidy(() => {
    const params = Array.from({ length: experts }, (_, m) => {
      const mu = tf.randomNormal([ROWS, LATENT], 0, 1.5, 'float32', 10 + m);
      const logvar = tf.randomNormal([ROWS, LATENT], 0, 2, 'float32', 20 + m);
      const extremes = tf
        .tensor2d([[13, -13, 0]])
        .tile([ROWS, 1])
        .mul(tf.scalar(m === 0 ? 1 : 0));
      return tf.concat([mu, logvar.add(extremes)], 1) as tf.Tensor2D;
    });
    const present = Array.from({ length: experts }, (_, m) =>
      tf.tensor1d(Array.from({ length: ROWS }, (_, i) => ((i + m) % 3 === 2 ? 0 : 1))),
    );
    const seeds = subsets.map((_, s) => 100 + s);
    const weights = subsets.map((_, s) => tf.randomNormal([ROWS, LATENT], 0, 1, 'float32', 40 + s));
    const products = (ps: tf.Tensor2D[]): ExpertProducts => ({
      params: ps,
      present,
      subsets,
      seeds,
      withPrior,
    });
    const loss = (...ps: tf.Tensor[]) =>
      tf.addN(
        sampleExpertProducts(products(ps as tf.Tensor2D[])).flatMap(({ z, kl }, s) => [
          tf.sum(tf.mul(z, weights[s]!)),
          tf.sum(tf.mul(kl, 0.3 + s)),
        ]),
      ) as tf.Scalar;
    const values = sampleExpertProducts(products(params)).flatMap(({ z, kl }) => [z, kl]);
    const grads = tf.grads(loss)(params);
    return [...values, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

function expectClose(wasm: Float32Array[], cpu: Float32Array[]): void {
  expect(wasm.length).toBe(cpu.length);
  wasm.forEach((values, i) => {
    expect(values.every(Number.isFinite)).toBe(true);
    values.forEach((v, j) => {
      const reference = cpu[i]![j]!;
      expect(Math.abs(v - reference)).toBeLessThan(2e-4 * Math.max(1, Math.abs(reference)));
    });
  });
}

describe('sampleExpertProducts', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it("gives MVAE's joint and unimodal samples, KLs and gradients of the tfjs composition", async () => {
    const [wasm, cpu] = await onWasmAndCpu(() => samplesAndGradients(2, [[0, 1], [0], [1]], true));
    expectClose(wasm, cpu);
  });

  it("gives MoPoE's seven subsets of three experts, and products without the prior", async () => {
    const subsets = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
    const [wasm, cpu] = await onWasmAndCpu(() => samplesAndGradients(3, subsets, false));
    expectClose(wasm, cpu);
  });

  it('passes no gradient to a log σ² outside the clip, nor to an absent expert', async () => {
    const params = tf.variable(
      tf.tensor2d([
        [0.5, 0.1, 20, 1],
        [0.3, -1, 0.7, 0.5],
      ]),
    );
    const present = [tf.tensor1d([1, 0])];
    const { grads } = tf.variableGrads(() => {
      const [{ z, kl }] = sampleExpertProducts({
        params: [params],
        present,
        subsets: [[0]],
        seeds: [7],
      });
      return tf.add(tf.sum(z!), tf.sum(kl!)) as tf.Scalar;
    }, [params]);
    const d = (await grads[params.name]!.array()) as number[][];
    expect(d[0]![2]).toBe(0); // log σ² = 20 is clipped
    expect(d[0]![3]).not.toBe(0);
    expect(d[1]!.every((v) => v === 0)).toBe(true); // row 1 carries no expert
    tf.dispose([params, ...present, ...Object.values(grads)]);
  });

  it('names what is missing when masks or seeds do not match', () => {
    const params = [tf.zeros([2, 4]) as tf.Tensor2D];
    expect(() => sampleExpertProducts({ params, present: [], subsets: [[0]], seeds: [1] })).toThrow(
      /one mask per expert/,
    );
    expect(() =>
      sampleExpertProducts({ params, present: [tf.ones([2])], subsets: [[0]], seeds: [] }),
    ).toThrow(/one seed per subset/);
    expect(() =>
      sampleExpertProducts({ params, present: [tf.ones([2])], subsets: [[1]], seeds: [1] }),
    ).toThrow(/subset member 1 is not an expert index; use 0…0/);
    tf.dispose(params);
  });

  it('runs MoPoE over five experts (31 subsets, more than one native call takes) on tfjs ops', async () => {
    const [wasm, cpu] = await onWasmAndCpu(() => samplesAndGradients(5, nonEmptySubsets(5), true));
    expectClose(wasm, cpu);
  });

  it.skipIf(!nativeKernelsBuilt)(
    'runs as one kernel forward and one backward on wasm, leaving no tensor behind',
    async () => {
      const params = [0, 1].map((m) => tf.variable(tf.randomNormal([4, 8], 0, 1, 'float32', m)));
      const present = [tf.ones([4]) as tf.Tensor1D, tf.ones([4]) as tf.Tensor1D];
      const before = tf.memory().numTensors;
      const names = await trainingKernels(() => {
        const samples = sampleExpertProducts({
          params: params as unknown as tf.Tensor2D[],
          present,
          subsets: [[0, 1], [0], [1]],
          seeds: [1, 2, 3],
        });
        return tf.addN(samples.map(({ z, kl }) => tf.add(tf.sum(z), tf.sum(kl)))) as tf.Scalar;
      }, params);
      expect(tf.memory().numTensors).toBe(before);
      expect(names.filter((n) => n.startsWith('MmaePoeSample'))).toEqual([
        'MmaePoeSample',
        'MmaePoeSampleGrad',
      ]);
      expect(names).not.toContain('Exp');
      expect(names).not.toContain('Log');
      tf.dispose([...params, ...present]);
    },
  );
});
