/**
 * The trainer's augmentation: a modality with `augment` gets a seeded variant as the encoder's
 * input while its reconstruction target stays clean; other modalities pass through untouched.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Batch, ModalityBatch } from '../../src/data/contract.js';
import type { ModalityPart } from '../../src/model/joint-model.js';
import { augmentBatch } from '../../src/train/augment-batch.js';

function part(name: string, augment?: (x: tf.Tensor, seed: number) => tf.Tensor): ModalityPart {
  return { name, instance: { augment } } as unknown as ModalityPart;
}

describe('augmenting a training batch', () => {
  it('sets encoderFeatures from augment, keeps features, and passes the others through', () => {
    const seeds: number[] = [];
    const noisy = (x: tf.Tensor, seed: number) => (seeds.push(seed), tf.add(x, seed % 7));
    const parts = [part('audio', noisy), part('image')];
    const audio = { features: tf.zeros([2, 3]), present: tf.ones([2]) as tf.Tensor1D };
    const image = { features: tf.ones([2, 4]), present: tf.ones([2]) as tf.Tensor1D };
    const batch = {
      size: 2,
      indices: Int32Array.from([0, 1]),
      labels: Int32Array.from([0, 1]),
      inputs: { audio, image },
      dispose: () => tf.dispose([audio.features, audio.present, image.features, image.present]),
    } satisfies Batch;

    const first = augmentBatch({ parts }, batch, 100);
    const again = augmentBatch({ parts }, batch, 100);
    const other = augmentBatch({ parts }, batch, 101);
    expect(first.made).toHaveLength(1);
    const augmented = first.batch.inputs.audio!;
    expect(augmented.features).toBe(audio.features);
    expect(augmented.present).toBe(audio.present);
    expect(augmented.encoderFeatures).toBe(first.made[0]);
    expect(first.batch.inputs.image).toBe(image);
    expect(seeds[0]).toBe(seeds[1]);
    expect(seeds[2]).not.toBe(seeds[0]);
    expect((batch.inputs.audio as ModalityBatch).encoderFeatures).toBeUndefined();

    tf.dispose([...first.made, ...again.made, ...other.made]);
    batch.dispose();
  });

  it('returns the batch itself when no modality augments', () => {
    const features = tf.zeros([1, 2]);
    const batch = {
      size: 1,
      indices: Int32Array.from([0]),
      labels: Int32Array.from([0]),
      inputs: { image: { features, present: tf.ones([1]) as tf.Tensor1D } },
      dispose: () => undefined,
    } satisfies Batch;
    const out = augmentBatch({ parts: [part('image')] }, batch, 1);
    expect(out.batch).toBe(batch);
    expect(out.made).toEqual([]);
    tf.dispose([features, batch.inputs.image.present]);
  });
});
