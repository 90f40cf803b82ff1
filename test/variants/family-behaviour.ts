/**
 * The behaviour every joint family must show, as one describe block per family: training lowers
 * the loss, codes come from whichever modalities each row carries (and from nothing else), and
 * text alone translates to an image.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../../src/config/schema.js';
import {
  CAPTION_LENGTH,
  imageOrTextRows,
  LATENT,
  randomInputs,
  trainJoint,
  type TrainedJoint,
} from './joint-fixture.js';

const ROWS = 6;

/** Largest |a - b| of each row, [b]. */
function rowDiffs(a: tf.Tensor2D, b: tf.Tensor2D): number[] {
  return tf.tidy(() => Array.from(tf.max(tf.abs(tf.sub(a, b)), 1).dataSync()));
}

export function describeFamily(
  title: string,
  config: RunConfig,
  more?: (trained: () => TrainedJoint) => void,
): void {
  describe(title, () => {
    let trained: TrainedJoint;
    more?.(() => trained);
    beforeAll(async () => {
      trained = await trainJoint(config);
    }, 120_000);
    afterAll(async () => {
      await trained?.dispose();
    });

    it('lowers its training loss over the epochs', () => {
      const losses = trained.trainLosses;
      expect(losses.length).toBe(config.training.epochs);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    });

    it('encodes each row from the modalities it carries, ignoring the values of the others', () => {
      const model = trained.model;
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const present = imageOrTextRows(ROWS); // rows 0-2 image only, rows 3-5 text only
        const base = randomInputs(ROWS, 1, present);
        const otherImage = {
          ...base,
          image: {
            ...base.image,
            features: tf.randomUniform([ROWS, 28, 28, 1], 0, 1, 'float32', 99),
          },
        };
        const otherText = {
          ...base,
          text: {
            ...base.text,
            features: tf.randomUniform([ROWS, CAPTION_LENGTH], 4, 12, 'int32', 98),
          },
        };
        const z = model.encode(base).z;
        expect(z.shape).toEqual([ROWS, LATENT]);
        expect(tf.all(tf.isFinite(z)).dataSync()[0]).toBe(1);

        const afterImage = rowDiffs(z, model.encode(otherImage).z);
        const afterText = rowDiffs(z, model.encode(otherText).z);
        // Text-only rows do not see the image; image-only rows do.
        expect(afterImage.slice(3).every((d) => d < 1e-5)).toBe(true);
        expect(Math.min(...afterImage.slice(0, 3))).toBeGreaterThan(1e-5);
        // Image-only rows do not see the caption; text-only rows do.
        expect(afterText.slice(0, 3).every((d) => d < 1e-5)).toBe(true);
        expect(Math.min(...afterText.slice(3))).toBeGreaterThan(1e-5);
      });
      expect(tf.memory().numTensors).toBe(before);
    });

    it('translates a caption alone into an image of 28×28×1 probabilities', async () => {
      const model = trained.model;
      const text = model.part('text').instance;
      const captions = ['a handwritten three', 'the digit 7', 'number zero'];
      const ids = await Promise.all(
        captions.map((c) => text.prepare({ kind: 'text', text: c }, c)),
      );
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const features = tf.tensor2d(
          ids.flatMap((a) => Array.from(a)),
          [captions.length, CAPTION_LENGTH],
          'int32',
        );
        // The image is marked absent (not omitted: see test/model/joint-model.test.ts).
        const { z } = model.encode({
          text: { features, present: tf.ones([captions.length]) },
          image: {
            features: tf.zeros([captions.length, 28, 28, 1]),
            present: tf.zeros([captions.length]),
          },
        });
        expect(z.shape).toEqual([captions.length, LATENT]);
        const image = model.part('image').instance.outputToFeatures(model.decode('image', z));
        expect(image.shape).toEqual([captions.length, 28, 28, 1]);
        const [lo, hi] = [tf.min(image).dataSync()[0]!, tf.max(image).dataSync()[0]!];
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        // Different digits named, different images drawn.
        const flat = tf.reshape(image, [captions.length, -1]) as tf.Tensor2D;
        expect(
          tf.max(tf.abs(tf.sub(flat.slice(0, 1), flat.slice(1, 1)))).dataSync()[0],
        ).toBeGreaterThan(1e-3);
      });
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
