/**
 * Every registered variant (the built-ins and a user's, examples/denoising-variant) returns the
 * one loss record its contract describes: a finite total that is the reconstruction plus its
 * weighted regularisers, one reconstruction entry per carried modality that add up to the
 * weighted reconstruction, named regularisers, and each row's code as `encode` gives it.
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../../src/config/schema.js';
import { createRegistry } from '../../src/container/create-registry.js';
import type { PluginRegistry } from '../../src/container/registry.js';
import type { Batch, RawSplit } from '../../src/data/contract.js';
import { buildJointModel } from '../../src/model/build-joint-model.js';
import type { JointModel } from '../../src/model/joint-model.js';
import { fitModalities, type ModalitySetup } from '../../src/model/modality-instances.js';
import { openDataset } from '../../src/open/open-dataset.js';
import type { AnyVariant, LossRecord, StepContext } from '../../src/variants/contract.js';
import { useBackend } from '../support/backend.js';
import { CAPTION_LENGTH, LATENT, smallJointConfig } from './joint-fixture.js';

const DENOISING = resolve('examples/denoising-variant/index.js');
/** The caption's reconstruction weight: not 1, so weighted and unweighted terms differ. */
const TEXT_WEIGHT = 3;
/** Rows carrying image and caption, the image alone, the caption alone. */
const IMAGE_PRESENT = [1, 1, 1, 0, 0, 1];
const TEXT_PRESENT = [1, 0, 0, 1, 1, 1];
const ROWS = IMAGE_PRESENT.length;

/** Options other than their defaults, for each option a variant takes, so weights show. */
function optionsFor(variant: AnyVariant, extra: Record<string, unknown> = {}) {
  const takes = (key: string) => key in variant.optionsSchema.shape;
  return {
    ...(takes('beta') ? { beta: 0.5 } : {}),
    ...(takes('jmvaeAlpha') ? { jmvaeAlpha: 2 } : {}),
    ...(takes('modalityDropout') ? { modalityDropout: 0.5 } : {}),
    ...(takes('sparsity') ? { sparsity: { penalty: 'l1', lambda: 0.05 } } : {}),
    ...(takes('codePenalty') ? { codePenalty: 0.05 } : {}),
    ...extra,
  };
}

function configOf(variant: AnyVariant, extra?: Record<string, unknown>): RunConfig {
  const config = smallJointConfig(variant.id, { model: optionsFor(variant, extra) });
  return {
    ...config,
    plugins: [DENOISING],
    modalities: config.modalities.map((m) => (m.id === 'text' ? { ...m, weight: TEXT_WEIGHT } : m)),
  };
}

function tinyBatch(seed: number): Batch {
  return {
    size: ROWS,
    indices: Int32Array.from({ length: ROWS }, (_, i) => i),
    labels: new Int32Array(ROWS),
    inputs: {
      image: {
        features: tf.randomUniform([ROWS, 28, 28, 1], 0, 1, 'float32', seed),
        present: tf.tensor1d(IMAGE_PRESENT),
      },
      text: {
        features: tf.randomUniform([ROWS, CAPTION_LENGTH], 4, 12, 'int32', seed + 1),
        present: tf.tensor1d(TEXT_PRESENT),
      },
    },
    dispose() {},
  };
}

interface ReadRecord {
  total: number;
  reconstruction: number;
  byModality: Record<string, number>;
  regularisers: Record<string, { value: number; weight: number }>;
  codesShape: number[];
  codes: number[][];
}

function read(record: LossRecord): ReadRecord {
  const scalar = (t: tf.Scalar) => t.dataSync()[0]!;
  return {
    total: scalar(record.total),
    reconstruction: scalar(record.reconstruction),
    byModality: Object.fromEntries(
      Object.entries(record.reconstructionByModality).map(([k, v]) => [k, scalar(v)]),
    ),
    regularisers: Object.fromEntries(
      Object.entries(record.regularisers).map(([k, r]) => [
        k,
        { value: scalar(r.value), weight: r.weight },
      ]),
    ),
    codesShape: record.codes.shape,
    codes: record.codes.arraySync(),
  };
}

/** One optimiser step on the batch; the record of that step, read. Leaves no tensor behind. */
function trainOneStep(model: JointModel, batch: Batch, context: StepContext): ReadRecord {
  const optimizer = tf.train.adam(1e-3);
  let out: ReadRecord | undefined;
  tf.tidy(() => {
    const { grads, value } = tf.variableGrads(() => {
      const record = model.objective.loss(model, batch, context);
      out = read(record);
      return record.total;
    }, model.trainableVariables());
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    tf.dispose([value, ...Object.values(grads)]);
  });
  optimizer.dispose();
  return out!;
}

/** The documented combination: reconstruction + Σ weight · value. */
function combination(r: ReadRecord): number {
  return Object.values(r.regularisers).reduce(
    (sum, t) => sum + t.weight * t.value,
    r.reconstruction,
  );
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected)));
}

describe('the loss record of every registered variant', () => {
  let registry: PluginRegistry;
  let setups: readonly ModalitySetup[];
  beforeAll(async () => {
    await useBackend('wasm');
    registry = await createRegistry({ plugins: [DENOISING], baseDir: process.cwd() });
    const config = configOf(registry.variant('standard'));
    const dataset = await openDataset(config, registry, process.cwd());
    const head: RawSplit = { size: 100, sample: (i) => dataset.train.sample(i) };
    setups = await fitModalities(config, registry, head);
  }, 60_000);

  const ids = [
    'standard',
    'sparse',
    'stacked',
    'variational',
    'poe',
    'moe',
    'mopoe',
    'jmvae',
    'denoising',
  ];

  it('covers every variant the registry holds', () => {
    expect([...registry.variants.keys()].sort()).toEqual([...ids].sort());
  });

  it.each(ids)('%s: one training step gives a record whose parts add up to its total', (id) => {
    const variant = registry.variant(id);
    const model = buildJointModel({ config: configOf(variant), setups, registry });
    try {
      const before = tf.memory().numTensors;
      const batch = tinyBatch(3);
      const r = trainOneStep(model, batch, { step: 0, epochProgress: 0, seed: 17, training: true });
      expect(Number.isFinite(r.total)).toBe(true);
      expectClose(r.total, combination(r));
      // One entry per carried modality; weighted, they are the reconstruction.
      expect(Object.keys(r.byModality).sort()).toEqual(['image', 'text']);
      expectClose(r.reconstruction, r.byModality.image! + TEXT_WEIGHT * r.byModality.text!);
      for (const [name, term] of Object.entries(r.regularisers)) {
        expect(name).toMatch(/^[a-z][A-Za-z]*(\.[A-Za-z]+)*$/);
        expect(Number.isFinite(term.value)).toBe(true);
        expect(Number.isFinite(term.weight)).toBe(true);
      }
      expect(r.codesShape).toEqual([ROWS, LATENT]);
      tf.dispose(Object.values(batch.inputs).flatMap((m) => [m.features, m.present]));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  });

  it.each(ids)('%s: the codes of a validation step are what encode gives', (id) => {
    const model = buildJointModel({ config: configOf(registry.variant(id)), setups, registry });
    try {
      tf.tidy(() => {
        const batch = tinyBatch(5);
        const context = { step: 1, epochProgress: 0, seed: 17, training: false };
        const codes = model.objective.loss(model, batch, context).codes.arraySync();
        const encoded = model.objective.encode(model, batch.inputs).z.arraySync();
        codes.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(encoded[i]![j]!, 5)));
      });
    } finally {
      model.dispose();
    }
  });

  it('names the regularisers each built-in family documents, with their weights', () => {
    const names = (id: string) => {
      const model = buildJointModel({ config: configOf(registry.variant(id)), setups, registry });
      try {
        return tf.tidy(() => {
          const context = { step: 0, epochProgress: 0, seed: 17, training: true };
          const record = model.objective.loss(model, tinyBatch(3), context);
          return Object.fromEntries(
            Object.entries(record.regularisers).map(([k, t]) => [k, t.weight]),
          );
        });
      } finally {
        model.dispose();
      }
    };
    expect(names('standard')).toEqual({});
    expect(names('stacked')).toEqual({});
    expect(names('sparse')).toEqual({ sparsity: 0.05 });
    expect(names('variational')).toEqual({ kl: 0.5 });
    expect(names('moe')).toEqual({ kl: 0.5 });
    expect(names('mopoe')).toEqual({ kl: 0.5 });
    expect(names('jmvae')).toEqual({ kl: 0.5, alignment: 2 });
    expect(names('poe')).toEqual({
      kl: 0.5,
      'unimodal.image.reconstruction': 1,
      'unimodal.image.kl': 0.5,
      'unimodal.text.reconstruction': 1,
      'unimodal.text.kl': 0.5,
    });
    expect(names('denoising')).toEqual({ codeNorm: 0.05 });
  });

  it('moe with several importance samples has a total at most its parts’ sum (a tighter bound)', () => {
    const config = configOf(registry.variant('moe'), { importanceSamples: 3 });
    const model = buildJointModel({ config, setups, registry });
    try {
      const r = trainOneStep(model, tinyBatch(3), {
        step: 0,
        epochProgress: 0,
        seed: 17,
        training: true,
      });
      expect(Number.isFinite(r.total)).toBe(true);
      expect(r.total).toBeLessThan(combination(r));
    } finally {
      model.dispose();
    }
  });
});
