/**
 * An example modality plugin that lives outside the core: fixed-length numeric time series
 * (e.g. sensor traces). It shows the whole contract: options schema, fitted state (per-series
 * normalisation), prepare, encoder/decoder builders, loss, render, and the corruptions of its
 * robustness curves.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { DataError } from 'mmae';
import type { ModalityPlugin, RawValue } from 'mmae';
import { TIMESERIES_CORRUPTIONS } from './corruptions.js';
import { SERIES_FILE_LIMIT, seriesFileKind } from './series-file-kind.js';

const optionsSchema = z
  .object({
    length: z.number().int().positive().default(32),
    hidden: z.array(z.number().int().positive()).default([64]),
    embeddingSize: z.number().int().positive().default(32),
  })
  .strict();
type Options = z.output<typeof optionsSchema>;
interface State {
  readonly mean: number;
  readonly std: number;
}

/** Raw values are comma- or space-separated numbers in a text value. */
function parseSeries(raw: RawValue, length: number, source: string): Float32Array {
  if (raw.kind !== 'text')
    throw new DataError(`${source}: expected text with numbers, got ${raw.kind}`, source);
  const text = typeof raw.text === 'string' ? raw.text : new TextDecoder().decode(raw.text);
  const values = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  if (values.length !== length || values.some((v) => !Number.isFinite(v))) {
    throw new DataError(
      `${source}: expected ${length} finite numbers, got "${text.slice(0, 40)}…"`,
      source,
    );
  }
  return Float32Array.from(values);
}

export const timeseriesModality: ModalityPlugin<Options, State> = {
  id: 'timeseries',
  description: 'Fixed-length numeric series (example plugin from docs/plugins.md).',
  optionsSchema: optionsSchema as unknown as z.ZodType<Options>,
  // Its identity: `--timeseries FILE` on the CLI, a file read whole as text, recognised by content.
  queryFlag: 'timeseries',
  rawInput: { strings: 'path', files: 'text', sizeLimit: SERIES_FILE_LIMIT },
  fileKind: seriesFileKind,
  async fit(raws, options) {
    let sum = 0;
    let squares = 0;
    let n = 0;
    raws.forEach((raw, i) => {
      for (const v of parseSeries(raw, options.length, `training series #${i}`)) {
        sum += v;
        squares += v * v;
        n++;
      }
    });
    const mean = n ? sum / n : 0;
    return { mean, std: n ? Math.sqrt(Math.max(squares / n - mean * mean, 1e-12)) : 1 };
  },
  create(options, state) {
    return {
      id: 'timeseries',
      featureSpec: { shape: [options.length], dtype: 'float32' },
      corruptions: TIMESERIES_CORRUPTIONS,
      async prepare(raw, source) {
        return parseSeries(raw, options.length, source).map((v) => (v - state.mean) / state.std);
      },
      buildEncoder() {
        const model = tf.sequential();
        let inputShape = [options.length];
        for (const units of [...options.hidden, options.embeddingSize]) {
          model.add(tf.layers.dense({ units, activation: 'relu', inputShape }));
          inputShape = [units];
        }
        return model;
      },
      buildDecoder(latentSize) {
        const model = tf.sequential();
        let inputShape = [latentSize];
        for (const units of [...options.hidden].reverse()) {
          model.add(tf.layers.dense({ units, activation: 'relu', inputShape }));
          inputShape = [units];
        }
        model.add(tf.layers.dense({ units: options.length, inputShape }));
        return model;
      },
      reconstructionLoss: (target, output) =>
        tf.sum(tf.squaredDifference(target, output), 1) as tf.Tensor1D,
      outputToFeatures: (output) => output.clone(),
      async render(features) {
        const values = Array.from(features, (v) => (v * state.std + state.mean).toFixed(3));
        return { kind: 'text', text: values.join(',') };
      },
    };
  },
};
