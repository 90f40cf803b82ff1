import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { textPlugin } from '../../../plugins/text/index.js';
import { applyDecoder } from '../../../src/model/apply-decoder.js';
import { textOptionsSchema } from '../../../plugins/text/options.js';
import { mnistCaptions } from './fixtures/mnist-captions.js';
import { useWasmBackend } from '../../support/backend.js';

beforeAll(useWasmBackend);

describe('a text-only autoencoder', () => {
  it.each([
    ['mean', 'autoregressive'],
    ['gru', 'autoregressive'],
    ['attention', 'autoregressive'],
    ['mean', 'parallel'],
  ] as const)(
    "with the '%s' encoder and the %s decoder learns to reproduce MNIST-style captions on wasm",
    async (encoderKind, decoderKind) => {
      const captions = mnistCaptions(500, 7);
      const raws = captions.map((c) => ({ kind: 'text', text: c.text }) as const);
      const options = textOptionsSchema.parse({
        encoder: encoderKind,
        decoder: decoderKind,
        embeddingSize: 32,
        seed: 1,
      });
      const state = await textPlugin.fit(raws, options);
      const text = textPlugin.create(options, state);
      const rows = await Promise.all(raws.map((raw, i) => text.prepare(raw, `caption ${i}`)));
      const ids = tf.tensor2d(
        rows.flatMap((r) => Array.from(r)),
        [rows.length, options.maxLength],
        'int32',
      );

      const encoder = text.buildEncoder();
      const decoder = text.buildDecoder(options.embeddingSize);
      // Training reads the target (teacher forcing); evaluation generates from the code alone.
      const forward = (x: tf.Tensor, training: boolean): tf.Tensor =>
        applyDecoder(text, decoder, encoder.apply(x, { training }) as tf.Tensor2D, {
          training,
          ...(training ? { target: x } : {}),
        });
      const meanLoss = (x: tf.Tensor): tf.Scalar =>
        tf.tidy(() => tf.mean(text.reconstructionLoss(x, forward(x, true))));
      const lossOfAll = (): number => tf.tidy(() => meanLoss(ids).dataSync()[0] as number);

      const initialLoss = lossOfAll();
      const optimizer = tf.train.adam(0.01);
      const batchSize = 50;
      const counts: number[] = [];
      for (let epoch = 0; epoch < 5; epoch++) {
        for (let start = 0; start < rows.length; start += batchSize) {
          const batch = ids.slice([start, 0], [batchSize, options.maxLength]);
          optimizer.minimize(() => meanLoss(batch));
          batch.dispose();
          counts.push(tf.memory().numTensors);
        }
      }
      const finalLoss = lossOfAll();

      const output = tf.tidy(() => forward(ids, false));
      const metrics = text.metrics?.(ids, output) ?? {};
      const decoded = text.outputToFeatures(output);
      const decodedRows = decoded.arraySync() as number[][];
      const rendered = await Promise.all(
        decodedRows.slice(0, 100).map((row) => text.render(Int32Array.from(row))),
      );
      const originals = await Promise.all(rows.slice(0, 100).map((row) => text.render(row)));
      const reproduced = rendered.filter(
        (artefact, i) =>
          artefact.kind === 'text' && artefact.text === (originals[i] as { text: string }).text,
      ).length;

      console.log(
        `[text ${encoderKind}/${decoderKind}] loss ${initialLoss.toFixed(3)} -> ${finalLoss.toFixed(3)}, ` +
          `token accuracy ${metrics['tokenAccuracy']?.toFixed(3)}, exact match ` +
          `${metrics['exactMatch']?.toFixed(3)}, rendered ${reproduced}/100`,
      );
      expect(finalLoss).toBeLessThan(0.5 * initialLoss);
      expect(metrics['tokenAccuracy']).toBeGreaterThan(0.8);
      expect(reproduced).toBeGreaterThan(50);
      expect(new Set(counts.slice(1)).size).toBe(1);

      tf.dispose([ids, output, decoded]);
      optimizer.dispose();
      encoder.dispose();
      decoder.dispose();
    },
  );
});
