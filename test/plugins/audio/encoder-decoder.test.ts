import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';
import { audioPlugin } from '../../../plugins/audio/index.js';
import { ShapeError } from '../../../src/errors/errors.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { trainAutoencoder } from './autoencoder.js';
import { tone } from './wav-fixtures.js';

/** Tones of varying pitch and loudness, standardised by a fitted state. */
async function toneInstance(optionsInput: object, count: number) {
  const options = audioPlugin.optionsSchema.parse({ durationSeconds: 0.5, ...optionsInput });
  const random = new SeededRandom(11);
  const raws = Array.from({ length: count }, () => ({
    kind: 'decoded' as const,
    value: {
      sampleRate: 8000,
      samples: tone(
        200 + 1800 * random.next(),
        8000,
        0.2 + 0.3 * random.next(),
        0.1 + 0.5 * random.next(),
      ),
    },
  }));
  const instance = audioPlugin.create(options, await audioPlugin.fit(raws, options));
  const rows = await Promise.all(raws.map((raw, i) => instance.prepare(raw, `tone ${i}`)));
  return { instance, rows: rows as Float32Array[] };
}

describe('audio encoders and decoders', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it.each(['dense', 'conv'] as const)(
    "the '%s' encoder gives [b, embeddingSize] and its decoder [b, frames, melBands]",
    async (architecture) => {
      const { instance } = await toneInstance({ architecture, embeddingSize: 24 }, 2);
      const before = tf.memory().numTensors;
      const encoder = instance.buildEncoder();
      const decoder = instance.buildDecoder(5);
      const [code, output] = tf.tidy(() => {
        const x = tf.zeros([3, ...instance.featureSpec.shape]);
        return [encoder.predict(x) as tf.Tensor, decoder.predict(tf.zeros([3, 5])) as tf.Tensor];
      });
      expect(code?.shape).toEqual([3, 24]);
      expect(output?.shape).toEqual([3, 32, 40]);
      tf.dispose([code, output]);
      encoder.dispose();
      decoder.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('builds identical weights twice from the same seed', async () => {
    const { instance } = await toneInstance({}, 2);
    const [a, b] = [instance.buildEncoder(), instance.buildEncoder()];
    const [wa, wb] = [a.getWeights()[0]?.dataSync(), b.getWeights()[0]?.dataSync()];
    expect(Array.from(wa ?? [])).toEqual(Array.from(wb ?? []));
    a.dispose();
    b.dispose();
  });

  it('the conv autoencoder trains on wasm with the fallback Conv2DBackpropFilter kernel', async () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const { instance, rows } = await toneInstance(
      {
        architecture: 'conv',
        convFilters: [8, 16],
        embeddingSize: 16,
        durationSeconds: 0.25,
        melBands: 24,
      },
      24,
    );
    const result = await trainAutoencoder(instance, rows, {
      latentSize: 8,
      epochs: 10,
      batchSize: 8,
      learningRate: 1e-2,
      seed: 5,
    });
    console.log(
      `conv AE on ${tf.getBackend()}: mean loss ${result.initial.toFixed(1)} → ${result.final.toFixed(1)}`,
    );
    expect(tf.getBackend()).toBe('wasm');
    expect(result.final).toBeLessThan(0.7 * result.initial);
    expect(result.tensorsAfterLastEpoch).toBe(result.tensorsAfterFirstEpoch);
  });
});

describe('the audio reconstruction loss', () => {
  it('sums squared errors over frames and bands, one value per sample', async () => {
    const { instance } = await toneInstance({}, 2);
    const target = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ]);
    const output = tf.tensor3d([
      [
        [1, 0],
        [3, 5],
      ],
      [
        [1, 1],
        [1, 1],
      ],
    ]);
    const loss = instance.reconstructionLoss(target, output);
    expect(Array.from(loss.dataSync())).toEqual([5, 4]);
    expect(() => instance.reconstructionLoss(target, tf.zeros([2, 4]))).toThrow(ShapeError);
    tf.dispose([target, output, loss]);
  });

  it('outputToFeatures returns the decoder output (the Gaussian mean) unchanged', async () => {
    const { instance } = await toneInstance({}, 2);
    const output = tf.tensor3d([[[0.5, -1]]]);
    const features = instance.outputToFeatures(output);
    expect(Array.from(features.dataSync())).toEqual([0.5, -1]);
    tf.dispose([output, features]);
  });
});
