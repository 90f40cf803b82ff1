/**
 * Where tfjs-node is installed (scripts/stage-tfjs-node.sh stages it here), the 'tensorflow'
 * backend computes a conv VAE-like training step's loss and gradients as wasm does with mmae's
 * native kernels, to ~1e-4. Skipped where it is not installed.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { probePackage, selectBackend } from '../../src/backend/index.js';
import { SeededRandom } from '../../src/random/seeded-random.js';

const tfjsNodeHere = (await probePackage('@tensorflow/tfjs-node')).status === 'loaded';

function values(n: number, seed: number, scale = 1): Float32Array {
  const rng = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}

/** conv 3×3 stride 2 + ReLU, nearest upsampling, conv back to one channel, Bernoulli loss. */
function step(): { loss: number; grads: Float32Array[] } {
  const x = tf.tensor4d(
    values(4 * 8 * 8, 1).map((v) => (v + 1) / 2),
    [4, 8, 8, 1],
  );
  const w1 = tf.tensor4d(values(3 * 3 * 1 * 6, 2, 0.5), [3, 3, 1, 6]);
  const b1 = tf.tensor1d(values(6, 3, 0.1));
  const w2 = tf.tensor4d(values(3 * 3 * 6 * 1, 4, 0.3), [3, 3, 6, 1]);
  const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
    const h = tf.relu(tf.add(tf.conv2d(x, a as tf.Tensor4D, 2, 'same'), b));
    const up = tf.image.resizeNearestNeighbor(h as tf.Tensor4D, [8, 8]);
    const logits = tf.conv2d(up, c as tf.Tensor4D, 1, 'same');
    return tf.losses.sigmoidCrossEntropy(x, logits) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(loss)([w1, b1, w2]);
  const result = {
    loss: value.dataSync()[0] as number,
    grads: grads.map((g) => g.dataSync() as Float32Array),
  };
  tf.dispose([x, w1, b1, w2, value, ...grads]);
  return result;
}

describe.runIf(tfjsNodeHere)('the tensorflow backend (tfjs-node, where installed)', () => {
  afterAll(async () => {
    await selectBackend('wasm');
  });

  it("computes a conv training step's loss and gradients as wasm does, to 1e-4", async () => {
    await selectBackend('wasm');
    const onWasm = step();
    await selectBackend('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    const onTensorflow = step();
    expect(Math.abs(onTensorflow.loss - onWasm.loss)).toBeLessThan(1e-4);
    onTensorflow.grads.forEach((g, i) => {
      const reference = onWasm.grads[i] as Float32Array;
      expect(g.length).toBe(reference.length);
      g.forEach((v, j) => expect(Math.abs(v - (reference[j] as number))).toBeLessThan(1e-4));
    });
  });
});
