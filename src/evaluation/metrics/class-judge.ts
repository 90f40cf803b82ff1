/**
 * A class judge: a small MLP (flattened features → ReLU hidden layer → classes) trained on real
 * samples of one modality, so it can say which class a generated sample shows (coherence). It
 * knows nothing of the dataset: any labelled features train it. Its weights are plain number arrays in a versioned JSON record, so the judge is
 * kept in the run directory next to the results it produced, and loading it executes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { RunError, UsageError } from '../../errors/errors.js';
import { SeededRandom, deriveSeed } from '../../random/seeded-random.js';
import { checkLabels, classCount, rowCount } from './rows.js';

const FORMAT = 'mmae-class-judge@1';
/** What judges were called before they were named for what they judge; the record is the same. */
const FORMER_FORMAT = 'mmae-digit-classifier@1';

const weightsSchema = z.object({
  format: z.union([z.literal(FORMAT), z.literal(FORMER_FORMAT)]),
  inputShape: z.array(z.number().int().positive()).min(1),
  hidden: z.number().int().positive(),
  classes: z.number().int().min(2),
  /** Scalar standardisation fitted on the training features (pixel statistics are shared). */
  inputMean: z.number(),
  inputScale: z.number().positive(),
  w1: z.array(z.number()),
  b1: z.array(z.number()),
  w2: z.array(z.number()),
  b2: z.array(z.number()),
});

export type ClassJudgeWeights = z.infer<typeof weightsSchema>;

/** What every judge saves: a JSON record whose `format` names the loader that reads it back. */
export interface JudgeRecord {
  readonly format: string;
}

export interface ClassJudge {
  readonly inputShape: readonly number[];
  readonly classes: number;
  /** Class per row of row-major [n, ...inputShape] features. */
  predict(features: Float32Array): Int32Array;
  /** Share of rows predicted as their label. */
  accuracy(features: Float32Array, labels: Int32Array): number;
  /** JSON-serialisable weights; `loadJudge(toJSON())` predicts identically. */
  toJSON(): JudgeRecord;
  /** Frees the tensors; the classifier must not be used afterwards. */
  dispose(): void;
}

export interface ClassJudgeOptions {
  /**
   * Default 2: on 5k MNIST digits one epoch reaches ~87 % test accuracy, two 91.5–93 % (seeds 1–3,
   * 1k test digits); on the full 60k one epoch is plenty.
   */
  readonly epochs?: number;
  readonly batchSize?: number;
  /** Initial momentum-SGD step size, decayed linearly to 0; default 0.05. */
  readonly learningRate?: number;
  /** Hidden units; default 128. */
  readonly hidden?: number;
  /** Default max label + 1. */
  readonly classes?: number;
  readonly seed?: number;
}

export interface TrainedClassJudge extends ClassJudge {
  /** Mean cross-entropy per epoch. */
  readonly epochLoss: number[];
}

const PREDICT_CHUNK = 2048;

/** Share of `predicted` equal to `labels` (the same length, checked). */
export function judgeAccuracy(predicted: Int32Array, labels: Int32Array): number {
  checkLabels('ClassJudge.accuracy', 'labels', labels, predicted.length);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / predicted.length;
}

/** The training options with their defaults filled in, each checked; a UsageError names the bad one. */
export function judgeTrainingOptions(
  fn: string,
  options: ClassJudgeOptions,
  defaults: { epochs: number; batchSize: number; learningRate: number },
): { epochs: number; batchSize: number; hidden: number; learningRate: number } {
  const epochs = options.epochs ?? defaults.epochs;
  const batchSize = options.batchSize ?? defaults.batchSize;
  const hidden = options.hidden ?? 128;
  for (const [field, v] of [
    ['epochs', epochs],
    ['batchSize', batchSize],
    ['hidden', hidden],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new UsageError(`${fn}: option ${field} is ${v}; it must be a positive integer.`);
  }
  const learningRate = options.learningRate ?? defaults.learningRate;
  if (!(learningRate > 0))
    throw new UsageError(`${fn}: option learningRate is ${learningRate}; it must be > 0.`);
  return { epochs, batchSize, hidden, learningRate };
}

function featureSize(shape: readonly number[], fn: string): number {
  if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new UsageError(
      `${fn}: shape [${shape.join(', ')}] must be positive integers, e.g. [28, 28, 1].`,
    );
  }
  return shape.reduce((a, b) => a * b, 1);
}

function heInit(rows: number, cols: number, rng: SeededRandom): Float32Array {
  const std = Math.sqrt(2 / rows);
  return Float32Array.from({ length: rows * cols }, () => rng.normal() * std);
}

class MlpClassifier implements ClassJudge {
  readonly classes: number;
  private readonly size: number;

  constructor(
    readonly inputShape: readonly number[],
    private readonly inputMean: number,
    private readonly inputScale: number,
    readonly params: { w1: tf.Variable; b1: tf.Variable; w2: tf.Variable; b2: tf.Variable },
  ) {
    this.size = featureSize(inputShape, 'ClassJudge');
    this.classes = params.b2.shape[0] as number;
  }

  /** Logits for a [n, size] tensor of raw features. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    const { w1, b1, w2, b2 } = this.params;
    return tf.tidy(
      () =>
        x
          .sub(this.inputMean)
          .mul(this.inputScale)
          .matMul(w1)
          .add(b1)
          .relu()
          .matMul(w2)
          .add(b2) as tf.Tensor2D,
    );
  }

  predict(features: Float32Array): Int32Array {
    const n = rowCount('ClassJudge.predict', 'features', features, this.size);
    const out = new Int32Array(n);
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const end = Math.min(start + PREDICT_CHUNK, n);
      const predicted = tf.tidy(() =>
        this.logits(
          tf.tensor2d(features.subarray(start * this.size, end * this.size), [
            end - start,
            this.size,
          ]),
        ).argMax(1),
      );
      out.set(predicted.dataSync(), start);
      predicted.dispose();
    }
    return out;
  }

  accuracy(features: Float32Array, labels: Int32Array): number {
    return judgeAccuracy(this.predict(features), labels);
  }

  toJSON(): ClassJudgeWeights {
    const { w1, b1, w2, b2 } = this.params;
    return {
      format: FORMAT,
      inputShape: [...this.inputShape],
      hidden: w1.shape[1] as number,
      classes: this.classes,
      inputMean: this.inputMean,
      inputScale: this.inputScale,
      w1: Array.from(w1.dataSync()),
      b1: Array.from(b1.dataSync()),
      w2: Array.from(w2.dataSync()),
      b2: Array.from(b2.dataSync()),
    };
  }

  dispose(): void {
    tf.dispose(Object.values(this.params));
  }
}

function variables(
  size: number,
  hidden: number,
  classes: number,
  values: { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array },
): MlpClassifier['params'] {
  // tidy frees the initial-value tensors; variables survive it.
  return {
    w1: tf.tidy(() => tf.variable(tf.tensor2d(values.w1, [size, hidden]))),
    b1: tf.tidy(() => tf.variable(tf.tensor1d(values.b1))),
    w2: tf.tidy(() => tf.variable(tf.tensor2d(values.w2, [hidden, classes]))),
    b2: tf.tidy(() => tf.variable(tf.tensor1d(values.b2))),
  };
}

/**
 * One heavy-ball momentum step (v ← 0.9 v + g; p ← p − rate · v); returns the loss. Written out
 * because tf.train.momentum's dispose() leaks its learning-rate scalar (tfjs 4.22), which would
 * break numTensors flatness for every classifier trained.
 */
export function momentumStep(
  params: tf.Variable[],
  velocities: tf.Variable[],
  rate: number,
  loss: () => tf.Scalar,
): number {
  const { value, grads } = tf.variableGrads(loss, params);
  tf.tidy(() => {
    params.forEach((p, i) => {
      const v = velocities[i] as tf.Variable;
      v.assign(v.mul(0.9).add(grads[p.name] as tf.Tensor));
      p.assign(p.sub(v.mul(rate)));
    });
  });
  const cost = value.dataSync()[0] as number;
  tf.dispose([value, ...Object.values(grads)]);
  return cost;
}

/** What `trainWithMomentum` needs of a judge: its logits and a way to free it on failure. */
export interface TrainableJudge {
  logits(x: tf.Tensor): tf.Tensor2D;
  dispose(): void;
}

/**
 * The judges' training loop: seeded shuffles each epoch, momentum SGD with a step size decaying
 * linearly to zero over the run (with only a few hundred steps, a constant-rate Adam ends wherever
 * its last noisy steps left it: test accuracy varied by ±3 points across seeds; the decay settles
 * it), the mean cross-entropy per epoch. `batch` makes the input and one-hot tensors of a batch's
 * rows; they are freed here. On failure the judge is disposed.
 */
export async function trainWithMomentum(
  judge: TrainableJudge,
  params: tf.Variable[],
  run: {
    readonly rows: number;
    readonly epochs: number;
    readonly batchSize: number;
    readonly learningRate: number;
    readonly shuffler: SeededRandom;
    batch(rows: Int32Array): { x: tf.Tensor; y: tf.Tensor };
  },
): Promise<number[]> {
  const velocities = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p))));
  const totalSteps = run.epochs * Math.ceil(run.rows / run.batchSize);
  let step = 0;
  const epochLoss: number[] = [];
  try {
    for (let epoch = 0; epoch < run.epochs; epoch++) {
      const order = run.shuffler.permutation(run.rows);
      let lossSum = 0;
      for (let start = 0; start < run.rows; start += run.batchSize) {
        const rows = order.subarray(start, start + run.batchSize);
        const { x, y } = run.batch(rows);
        const rate = run.learningRate * (1 - step++ / totalSteps);
        const loss = momentumStep(params, velocities, rate, () =>
          tf.losses.softmaxCrossEntropy(y, judge.logits(x)),
        );
        lossSum += loss * rows.length;
        tf.dispose([x, y]);
      }
      epochLoss.push(lossSum / run.rows);
      // Yield between epochs so a CLI progress display can repaint.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    judge.dispose();
    throw error;
  } finally {
    tf.dispose(velocities);
  }
  return epochLoss;
}

/** One mean and scale for all features: pixels share statistics, and blank pixels have std 0. */
export function scalarStandardiser(features: Float32Array): {
  inputMean: number;
  inputScale: number;
} {
  let sum = 0;
  let sq = 0;
  for (const v of features) {
    sum += v;
    sq += v * v;
  }
  const inputMean = sum / features.length;
  const inputStd = Math.sqrt(Math.max(sq / features.length - inputMean * inputMean, 0));
  return { inputMean, inputScale: inputStd > 1e-12 ? 1 / inputStd : 1 };
}

function batchTensors(
  features: Float32Array,
  labels: Int32Array,
  rows: Int32Array,
  size: number,
  classes: number,
): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const xs = new Float32Array(rows.length * size);
  rows.forEach((r, i) => xs.set(features.subarray(r * size, (r + 1) * size), i * size));
  const batchLabels = Int32Array.from(rows, (r) => labels[r] as number);
  return {
    x: tf.tensor2d(xs, [rows.length, size]),
    y: tf.tidy(
      () => tf.oneHot(tf.tensor1d(batchLabels, 'int32'), classes).toFloat() as tf.Tensor2D,
    ),
  };
}

/** Trains the MLP with momentum SGD on row-major [n, ...shape] features and their labels. */
export async function trainClassJudge(
  features: Float32Array,
  labels: Int32Array,
  shape: readonly number[],
  options: ClassJudgeOptions = {},
): Promise<TrainedClassJudge> {
  const fn = 'trainClassJudge';
  const size = featureSize(shape, fn);
  const n = rowCount(fn, 'features', features, size);
  const classes = options.classes ?? classCount(labels);
  if (classes < 2) throw new UsageError(`${fn}: needs at least 2 classes, got ${classes}.`);
  checkLabels(fn, 'labels', labels, n, classes);
  const { epochs, batchSize, hidden, learningRate } = judgeTrainingOptions(fn, options, {
    epochs: 2,
    batchSize: 32,
    learningRate: 0.05,
  });
  const seed = options.seed ?? 0;

  const { inputMean, inputScale } = scalarStandardiser(features);

  // The seed labels keep their first name, so a judge trains exactly as it did before the rename.
  const init = new SeededRandom(deriveSeed(seed, 'digit-classifier-init'));
  const model = new MlpClassifier(
    shape,
    inputMean,
    inputScale,
    variables(size, hidden, classes, {
      w1: heInit(size, hidden, init),
      b1: new Float32Array(hidden),
      w2: heInit(hidden, classes, init),
      b2: new Float32Array(classes),
    }),
  );
  const epochLoss = await trainWithMomentum(model, Object.values(model.params), {
    rows: n,
    epochs,
    batchSize,
    learningRate,
    shuffler: new SeededRandom(deriveSeed(seed, 'digit-classifier-batches')),
    batch: (rows) => batchTensors(features, labels, rows, size, classes),
  });
  return Object.assign(model, { epochLoss });
}

/**
 * Rebuilds a judge from `toJSON()` output (e.g. parsed from RUN/eval/classifiers/), including
 * records written under the former format name.
 */
export function loadClassJudge(weights: unknown, file?: string): ClassJudge {
  const parsed = weightsSchema.safeParse(weights);
  const where = file ? ` in ${file}` : '';
  if (!parsed.success) {
    throw new RunError(
      `loadClassJudge: the classifier weights${where} are not a valid ${FORMAT} record ` +
        `(${parsed.error.issues.map((i) => `${i.path.join('.') || 'root'}: ${i.message}`).join('; ')}); ` +
        'retrain the classifier.',
      file,
    );
  }
  const w = parsed.data;
  const size = featureSize(w.inputShape, 'loadClassJudge');
  const expected = { w1: size * w.hidden, b1: w.hidden, w2: w.hidden * w.classes, b2: w.classes };
  for (const [key, length] of Object.entries(expected)) {
    const actual = w[key as keyof typeof expected].length;
    if (actual !== length) {
      throw new RunError(
        `loadClassJudge: field ${key}${where} has ${actual} values, expected ${length} for ` +
          `input [${w.inputShape.join(', ')}], hidden ${w.hidden}, ${w.classes} classes; retrain the classifier.`,
        file,
      );
    }
  }
  return new MlpClassifier(
    w.inputShape,
    w.inputMean,
    w.inputScale,
    variables(size, w.hidden, w.classes, {
      w1: Float32Array.from(w.w1),
      b1: Float32Array.from(w.b1),
      w2: Float32Array.from(w.w2),
      b2: Float32Array.from(w.b2),
    }),
  );
}
