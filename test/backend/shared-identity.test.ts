import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';

describe('Identity on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('shares the buffer of its input, and each owner can be freed alone', async () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const copy = x.clone();
    const bytesWithBoth = tf.memory().numBytes;
    x.dispose();
    expect(await copy.data()).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(tf.memory().numBytes).toBe(bytesWithBoth - 16); // tfjs counts per tensor
    const again = copy.clone();
    copy.dispose();
    expect(await again.data()).toEqual(new Float32Array([1, 2, 3, 4]));
    again.dispose();
  });

  it('hands out the same buffer instead of a copy', () => {
    const x = tf.zeros([256, 256]);
    const clone = x.clone();
    expect(clone.dataId).toBe(x.dataId);
    const backend = tf.backend() as unknown as { refCount(dataId: tf.DataId): number };
    expect(backend.refCount(x.dataId)).toBe(2);
    tf.dispose([x, clone]);
  });

  it('still copies strings', async () => {
    const s = tf.tensor1d(['a', 'b'], 'string');
    const c = s.clone();
    s.dispose();
    expect(await c.array()).toEqual(['a', 'b']);
    c.dispose();
  });
});
