/**
 * Greedy layer-wise pre-training (stacked autoencoders, Bengio et al. 2007): each encoder stage
 * k (a weighted layer with the weightless layers before it) is trained as a shallow autoencoder
 * that reconstructs its own input, the frozen codes of the stages below, through a temporary
 * linear decoder. The projection into the latent is the last stage. Afterwards the main phase
 * fine-tunes end to end, or, with `finetune: false`, trains only the decoders and fusion on the
 * frozen encoders.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../config/schema.js';
import type { FeatureTable } from '../../data/contract.js';
import { iterateBatches } from '../../data/batches.js';
import { deriveSeed } from '../../random/seeded-random.js';
import type { EncoderStack, TrainingPhaseArgs } from '../contract.js';

/** What the phase reads of the stacked variant's options. */
export interface StackedPhaseOptions {
  readonly stacked: { readonly pretrainEpochs: number; readonly finetune: boolean };
}

/** Consecutive layers ending in one with weights. */
function stagesOf(part: EncoderStack): tf.layers.Layer[][] {
  const stages: tf.layers.Layer[][] = [];
  let pending: tf.layers.Layer[] = [];
  for (const layer of [...part.encoder.layers, part.projection]) {
    pending.push(layer);
    if (layer.trainableWeights.length > 0) {
      stages.push(pending);
      pending = [];
    }
  }
  return stages;
}

function run(layers: readonly tf.layers.Layer[], x: tf.Tensor): tf.Tensor {
  return layers.reduce((h, layer) => layer.apply(h) as tf.Tensor, x);
}

function flat(x: tf.Tensor): tf.Tensor2D {
  return tf.reshape(x, [x.shape[0]!, -1]) as tf.Tensor2D;
}

export async function greedyLayerwise(args: TrainingPhaseArgs<StackedPhaseOptions>): Promise<void> {
  const { parts, options, train, log } = args;
  const epochs = options.stacked.pretrainEpochs;
  if (epochs === 0) return;
  const stage = { table: train, training: args.training, seed: args.seed, epochs };
  for (const part of parts) {
    const stages = stagesOf(part);
    for (let k = 0; k < stages.length; k++) {
      const below = stages.slice(0, k).flat();
      if (k === 0 && part.instance.featureSpec.dtype !== 'float32') {
        log(`stacked: ${part.name} stage 1 takes token ids, which have no squared error; skipped`);
        continue;
      }
      const loss = await trainStage(part.name, below, stages[k]!, k, stage);
      log(
        `stacked: ${part.name} stage ${k + 1}/${stages.length} reconstruction ${loss.toFixed(4)}`,
      );
    }
  }
  if (!options.stacked.finetune) {
    for (const part of parts) {
      for (const layer of [...part.encoder.layers, part.projection]) layer.trainable = false;
    }
  }
}

interface StageRun {
  readonly table: FeatureTable;
  readonly training: TrainingConfig;
  readonly seed: number;
  readonly epochs: number;
}

async function trainStage(
  name: string,
  below: readonly tf.layers.Layer[],
  stage: readonly tf.layers.Layer[],
  k: number,
  { table, training, seed, epochs }: StageRun,
): Promise<number> {
  const probe = tf.tidy(() => {
    const x = tf.zeros([1, ...table.columns[name]!.shape]);
    const input = run(below, x);
    return [input.size, run(stage, input).size];
  });
  const decoder = tf.layers.dense({ units: probe[0]!, inputShape: [probe[1]!] });
  tf.tidy(() => decoder.apply(tf.zeros([1, probe[1]!])) as tf.Tensor);
  const optimizer: tf.Optimizer = tf.train.adam(training.optimizer.learningRate);
  const variables = [...stage.flatMap((l) => l.trainableWeights), ...decoder.trainableWeights].map(
    (w) => w.read() as tf.Variable,
  );
  let last = NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let sum = tf.scalar(0);
    let steps = 0;
    for (const batch of iterateBatches(table, {
      batchSize: training.batchSize,
      seed: deriveSeed(seed, 'stacked', name, k),
      epoch,
      modalities: [name],
    })) {
      const input = tf.tidy(() => run(below, batch.inputs[name]!.features));
      const { value, grads } = tf.variableGrads(() => {
        const code = run(stage, input);
        const target = flat(input);
        return tf.mean(
          tf.sum(tf.square(tf.sub(decoder.apply(flat(code)) as tf.Tensor, target)), 1),
        ) as tf.Scalar;
      }, variables);
      optimizer.applyGradients(grads);
      const next = tf.add(sum, value);
      tf.dispose([sum, value, grads, input]);
      sum = next as tf.Scalar;
      steps++;
      batch.dispose();
    }
    last = (await sum.data())[0]! / Math.max(1, steps);
    sum.dispose();
  }
  optimizer.dispose();
  decoder.dispose();
  return last;
}
