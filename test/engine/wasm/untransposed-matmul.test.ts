import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';
import { largestGap, onCpu } from '../../support/cpu-reference.js';

beforeAll(async () => {
  await useWasmBackend();
});

describe('the wasm matMul patch for transposed operands', () => {
  const cases = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;

  it.each(cases)(
    'matMul with transposeA=%s transposeB=%s matches cpu, 2-D and batched',
    async (ta, tb) => {
      const a2 = tf.randomNormal(ta ? [5, 3] : [3, 5], 0, 1, 'float32', 1);
      const b2 = tf.randomNormal(tb ? [4, 5] : [5, 4], 0, 1, 'float32', 2);
      const a3 = tf.randomNormal(ta ? [2, 5, 3] : [2, 3, 5], 0, 1, 'float32', 3);
      const b3 = tf.randomNormal(tb ? [2, 4, 5] : [2, 5, 4], 0, 1, 'float32', 4);
      const bias = tf.randomNormal([4], 0, 1, 'float32', 5);
      const before = tf.memory().numTensors;
      const products = [
        () => tf.matMul(a2, b2, ta, tb),
        () => tf.matMul(a3, b3, ta, tb),
        () =>
          tf.fused.matMul({
            a: a2,
            b: b2,
            transposeA: ta,
            transposeB: tb,
            bias,
            activation: 'relu',
          }),
      ];
      for (const product of products) {
        const wasm = tf.tidy(product);
        const values = (await wasm.data()) as Float32Array;
        wasm.dispose();
        expect(largestGap(values, await onCpu(product))).toBeLessThan(1e-5);
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a2, b2, a3, b3, bias]);
    },
  );
});
