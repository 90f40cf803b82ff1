import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { Container } from 'inversify';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import imageModuleDefault, { imageModule, imagePlugin } from '../../../plugins/image/index.js';
import { createImageInstance } from '../../../plugins/image/instance.js';
import type { AnyModalityPlugin } from '../../../src/modality/contract.js';
import { TOKENS } from '../../../src/container/tokens.js';
import { useWasmBackend } from '../../support/backend.js';

describe('the image plugin', () => {
  beforeAll(useWasmBackend);

  it('is contributed to the container under the ModalityPlugin token with id image', () => {
    expect(imageModuleDefault).toBe(imageModule);
    const container = new Container();
    container.load(imageModule);
    const plugins = container.getAll<AnyModalityPlugin>(TOKENS.ModalityPlugin);
    expect(plugins.map((p) => p.id)).toEqual(['image']);
    expect(plugins[0]).toBe(imagePlugin);
  });

  it('fits no state and creates an instance with float32 [height, width, channels] features', async () => {
    const options = imagePlugin.optionsSchema.parse({ width: 12, height: 10, channels: 3 });
    const state = await imagePlugin.fit([], options);
    expect(state).toEqual({});
    const instance = imagePlugin.create(options, state);
    expect(instance.id).toBe('image');
    expect(instance.featureSpec).toEqual({ shape: [10, 12, 3], dtype: 'float32' });
  });

  it('prepares an image to features of the declared length and renders them back to PNG', async () => {
    const options = imagePlugin.optionsSchema.parse({ width: 6, height: 4 });
    const instance = imagePlugin.create(options, {});
    const pixels = Uint8Array.from({ length: 24 }, (_, i) => i * 10);
    const png = await sharp(pixels, { raw: { width: 6, height: 4, channels: 1 } })
      .png()
      .toBuffer();
    const features = await instance.prepare({ kind: 'bytes', data: png }, 'sample-0');
    expect(features.length).toBe(24);
    const artefact = await instance.render(features);
    expect(artefact.kind).toBe('png');
    const back = await sharp(artefact.kind === 'png' ? artefact.data : Buffer.alloc(0))
      .toColourspace('b-w')
      .raw()
      .toBuffer();
    expect(Array.from(back)).toEqual(Array.from(pixels));
  });

  for (const architecture of ['dense', 'conv'] as const) {
    it(`builds ${architecture} encoders to [b, last hidden] and decoders back to [b, h, w, c] for odd sizes`, () => {
      const options = imagePlugin.optionsSchema.parse({
        width: 13,
        height: 10,
        channels: 3,
        encoder: architecture,
        hiddenSizes: [24, 8],
        filters: [4, 6],
      });
      const instance = createImageInstance(options);
      const encoder = instance.buildEncoder(1);
      const decoder = instance.buildDecoder(5, 2);
      const shapes = tf.tidy(() => {
        const code = encoder.predict(tf.zeros([2, 10, 13, 3])) as tf.Tensor;
        const image = decoder.predict(tf.zeros([2, 5])) as tf.Tensor;
        return [code.shape, image.shape];
      });
      expect(shapes).toEqual([
        [2, 8],
        [2, 10, 13, 3],
      ]);
      encoder.dispose();
      decoder.dispose();
    });
  }

  it('builds identical weights from the same seed and different ones from another', () => {
    const instance = createImageInstance(imagePlugin.optionsSchema.parse({ hiddenSizes: [8] }));
    const weightsOf = (seed: number) => {
      const encoder = instance.buildEncoder(seed);
      const values = encoder.getWeights().map((w) => Array.from(w.dataSync()));
      encoder.dispose();
      return values;
    };
    expect(weightsOf(3)).toEqual(weightsOf(3));
    expect(weightsOf(3)).not.toEqual(weightsOf(4));
  });

  it('gives a Gaussian sigmoid decoder outputs in (0,1) and reports MSE and PSNR', () => {
    const options = imagePlugin.optionsSchema.parse({
      width: 4,
      height: 4,
      hiddenSizes: [8],
      likelihood: 'gaussian',
    });
    const instance = createImageInstance(options);
    const decoder = instance.buildDecoder(3, 9);
    const before = tf.memory().numTensors;
    const latent = tf.randomNormal([5, 3], 0, 3, 'float32', 1);
    const output = decoder.predict(latent) as tf.Tensor;
    const target = tf.zerosLike(output);
    const values = Array.from(output.dataSync());
    expect(Math.min(...values)).toBeGreaterThan(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const metrics = instance.metrics(target, output);
    // The target is black, so the MSE is the mean square of the outputs.
    expect(metrics.mse).toBeCloseTo(values.reduce((sum, v) => sum + v * v, 0) / values.length, 6);
    expect(metrics.psnr).toBeGreaterThan(0);
    tf.dispose([latent, output, target]);
    expect(tf.memory().numTensors).toBe(before);
    decoder.dispose();
  });
});
