import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';
import {
  appliedKernelPatches,
  nativeKernels,
  nativeKernelStatus,
} from '../../../src/engine/index.js';
import { largestGap, onCpu } from '../../support/cpu-reference.js';

// The addon is built by npm's install step when a C++ compiler is present (CI checks that it
// was); without it these tests have nothing to test and mmae runs on WebAssembly kernels.
const built = nativeKernels() !== undefined;

beforeAll(async () => {
  await useWasmBackend();
});

/** The product on wasm and on cpu, compared relative to the largest value of the result. */
async function expectMatchesCpu(product: () => tf.Tensor): Promise<void> {
  const wasm = tf.tidy(product);
  const values = (await wasm.data()) as Float32Array;
  wasm.dispose();
  const reference = await onCpu(product);
  const scale = Math.max(1, ...reference.map(Math.abs));
  expect(largestGap(values, reference) / scale).toBeLessThan(2e-6);
}

describe.skipIf(!built)('the native matMul kernels on wasm', () => {
  it('are the matMul kernels in effect and name their instruction set', () => {
    expect(nativeKernelStatus().loaded).toBe(true);
    const names = appliedKernelPatches('wasm')
      .filter((patch) => patch.why.startsWith('mmae native kernel'))
      .map((patch) => patch.kernelName);
    expect(names).toEqual(expect.arrayContaining(['BatchMatMul', '_FusedMatMul']));
  });

  // Sizes straddle the microkernel tiles (12×32 on AVX-512, 6×16 on AVX2) and the K slice (256).
  const shapes = [
    [1, 1, 1],
    [7, 13, 5],
    [64, 128, 784],
    [25, 33, 300],
    [12, 32, 256],
    [3, 70, 600],
  ] as const;
  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;

  it.each(shapes)(
    'an %i×%i product over K=%i matches cpu with every transpose',
    async (m, n, k) => {
      const before = tf.memory().numTensors;
      for (const [ta, tb] of flags) {
        const a = tf.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', m + k);
        const b = tf.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', n + k);
        await expectMatchesCpu(() => tf.matMul(a, b, ta, tb));
        tf.dispose([a, b]);
      }
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('batches, and broadcasts a batch of one on either side', async () => {
    const a3 = tf.randomNormal([3, 6, 9], 0, 1, 'float32', 1);
    const b3 = tf.randomNormal([3, 9, 5], 0, 1, 'float32', 2);
    const a2 = tf.randomNormal([6, 9], 0, 1, 'float32', 3);
    const b2 = tf.randomNormal([9, 5], 0, 1, 'float32', 4);
    const a4 = tf.randomNormal([2, 3, 6, 9], 0, 1, 'float32', 5);
    await expectMatchesCpu(() => tf.matMul(a3, b3));
    await expectMatchesCpu(() => tf.matMul(a3, b2));
    await expectMatchesCpu(() => tf.matMul(a2, b3));
    await expectMatchesCpu(() => tf.matMul(a4, b2));
    await expectMatchesCpu(() => tf.matMul(a3, b3, false, false));
    tf.dispose([a3, b3, a2, b2, a4]);
  });

  it('takes small products with B transposed as dot products, batched, with bias and ReLU', async () => {
    // Attention's scores: per sample [8 × 128]·[8 × 128]ᵀ; and k, n off the 16- and 4-wide steps.
    const q = tf.randomNormal([5, 8, 128], 0, 1, 'float32', 21);
    const k = tf.randomNormal([5, 8, 128], 0, 1, 'float32', 22);
    const a = tf.randomNormal([6, 20], 0, 1, 'float32', 23);
    const b = tf.randomNormal([9, 20], 0, 1, 'float32', 24);
    const bias = tf.randomNormal([9], 0, 1, 'float32', 25);
    await expectMatchesCpu(() => tf.matMul(q, k, false, true));
    await expectMatchesCpu(() => tf.matMul(q, k.slice([0, 0, 0], [1, 8, 128]), false, true));
    for (const activation of ['linear', 'relu'] as const) {
      await expectMatchesCpu(() => tf.fused.matMul({ a, b, transposeB: true, bias, activation }));
      await expectMatchesCpu(() =>
        tf.fused.matMul({ a, b, transposeB: true, bias: tf.scalar(-0.5), activation }),
      );
    }
    tf.dispose([q, k, a, b, bias]);
  });

  it.each(['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu', 'prelu'] as const)(
    'a fused product with bias and %s matches cpu',
    async (activation) => {
      // Whole and partial tiles, two K slices: the epilogue in registers and through a tile.
      const a = tf.randomNormal([30, 300], 0, 0.3, 'float32', 7);
      const b = tf.randomNormal([300, 70], 0, 1, 'float32', 8);
      const bias = tf.randomNormal([70], 0, 1, 'float32', 9);
      const scalarBias = tf.scalar(0.5);
      const prelu = tf.fill([70], 0.1);
      const fused = (withBias: tf.Tensor, tb: boolean) => () =>
        tf.fused.matMul({
          a,
          b: tb ? b.transpose() : b,
          transposeB: tb,
          bias: withBias,
          activation,
          leakyreluAlpha: 0.3,
          preluActivationWeights: activation === 'prelu' ? prelu : undefined,
        });
      await expectMatchesCpu(fused(bias, false));
      await expectMatchesCpu(fused(bias, true));
      // tfjs's own wasm kernel, which takes prelu, wants a rank-1 bias.
      if (activation !== 'prelu') await expectMatchesCpu(fused(scalarBias, false));
      tf.dispose([a, b, bias, scalarBias, prelu]);
    },
  );

  it('gives zeros for an empty inner dimension', async () => {
    const empty = tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 4]));
    expect(await empty.array()).toEqual(tf.zeros([3, 4]).arraySync());
    empty.dispose();
  });

  it('refuses offsets outside the heap with a RangeError that says where', () => {
    const heap = new ArrayBuffer(64);
    const call = () => nativeKernels()!.matMul(heap, 0, 0, 60, -1, 0, 1, 1, 1, 2, 2, 2, 0, 0, 0, 0);
    expect(call).toThrow(RangeError);
    expect(call).toThrow(/c at byte 60 with 4 floats lies outside the 64-byte heap/);
  });
});
