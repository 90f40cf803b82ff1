/**
 * Linear probe: multinomial logistic regression on frozen codes, the standard read-out of how
 * linearly decodable the labels are from a representation. Features are standardised with train
 * statistics only (test data must not leak into the probe), weights start at zero (the problem is
 * convex, so this loses nothing and removes init randomness) and the weights with the lowest
 * held-out loss are the ones scored on test.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../../errors/errors.js';
import { SeededRandom, deriveSeed } from '../../random/seeded-random.js';
import { checkLabels, classCount, rowCount } from './rows.js';

export interface LabelledCodes {
  /** Row-major [n, dim]. */
  readonly codes: Float32Array;
  readonly labels: Int32Array;
}

export interface LinearProbeOptions {
  /** Maximum passes over the training rows; default 100. */
  readonly epochs?: number;
  /** Adam step size; default 0.01. */
  readonly learningRate?: number;
  /** L2 penalty on the weights (not the bias); default 1e-4. */
  readonly l2?: number;
  /** Rows per step; 0 or ≥ n means full batch. Default 256. */
  readonly batchSize?: number;
  /** Share of train rows held out for early stopping; default 0.1, 0 disables early stopping. */
  readonly validationShare?: number;
  /** Epochs without a lower held-out loss before stopping; default 10. */
  readonly patience?: number;
  /** Default max label + 1 over train and test. */
  readonly classes?: number;
  readonly seed?: number;
}

export interface LinearProbeResult {
  readonly testAccuracy: number;
  readonly trainAccuracy: number;
  /** NaN when early stopping is disabled. */
  readonly validationAccuracy: number;
  readonly epochsRun: number;
  /** Epoch (1-based) whose weights were kept. */
  readonly bestEpoch: number;
  /** Mean training loss (cross-entropy + L2) per epoch. */
  readonly trainLoss: number[];
  readonly classes: number;
}

interface Standardiser {
  readonly mean: Float32Array;
  readonly scale: Float32Array;
}

/** Per-feature mean and 1/std from train rows; a constant feature gets scale 1, not Infinity. */
function fitStandardiser(codes: Float32Array, rows: Int32Array, dim: number): Standardiser {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (const r of rows) {
    for (let j = 0; j < dim; j++) {
      const v = codes[r * dim + j] as number;
      mean[j] += v;
      sq[j] += v * v;
    }
  }
  const scale = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    const m = (mean[j] as number) / rows.length;
    mean[j] = m;
    const variance = Math.max((sq[j] as number) / rows.length - m * m, 0);
    scale[j] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 1;
  }
  return { mean: Float32Array.from(mean), scale };
}

function standardisedRows(
  codes: Float32Array,
  rows: ArrayLike<number>,
  dim: number,
  s: Standardiser,
): tf.Tensor2D {
  const out = new Float32Array(rows.length * dim);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    for (let j = 0; j < dim; j++) {
      out[i * dim + j] =
        ((codes[r * dim + j] as number) - (s.mean[j] as number)) * (s.scale[j] as number);
    }
  }
  return tf.tensor2d(out, [rows.length, dim]);
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

interface Split {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
  readonly labels: Int32Array;
}

function makeSplit(
  data: LabelledCodes,
  rows: ArrayLike<number>,
  dim: number,
  classes: number,
  s: Standardiser,
): Split {
  const labels = Int32Array.from(rows, (r) => data.labels[r] as number);
  const x = standardisedRows(data.codes, rows, dim, s);
  const y = tf.tidy(
    () => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D,
  );
  return { x, y, labels };
}

function disposeSplit(split: Split | undefined): void {
  if (split) tf.dispose([split.x, split.y]);
}

function accuracy(w: tf.Variable, b: tf.Variable, split: Split): number {
  const predicted = tf.tidy(() => split.x.matMul(w).add(b).argMax(1).dataSync());
  let correct = 0;
  for (let i = 0; i < split.labels.length; i++) if (predicted[i] === split.labels[i]) correct++;
  return correct / split.labels.length;
}

function crossEntropy(w: tf.Variable, b: tf.Variable, split: Split): number {
  return tf.tidy(
    () => tf.losses.softmaxCrossEntropy(split.y, split.x.matMul(w).add(b)).dataSync()[0] as number,
  );
}

function checkOptions(o: Required<Omit<LinearProbeOptions, 'classes'>>): void {
  const bad = (field: string, value: number, rule: string): never => {
    throw new UsageError(`linearProbe: option ${field} is ${value}; it must be ${rule}.`);
  };
  if (!Number.isInteger(o.epochs) || o.epochs < 1) bad('epochs', o.epochs, 'a positive integer');
  if (!(o.learningRate > 0)) bad('learningRate', o.learningRate, '> 0');
  if (!(o.l2 >= 0)) bad('l2', o.l2, '≥ 0');
  if (!Number.isInteger(o.batchSize) || o.batchSize < 0)
    bad('batchSize', o.batchSize, 'an integer ≥ 0');
  if (!(o.validationShare >= 0 && o.validationShare < 1))
    bad('validationShare', o.validationShare, 'in [0, 1)');
  if (!Number.isInteger(o.patience) || o.patience < 1)
    bad('patience', o.patience, 'a positive integer');
}

/** Trains the probe on `train` and reports its accuracy on `test`. */
export async function linearProbe(
  train: LabelledCodes,
  test: LabelledCodes,
  dim: number,
  options: LinearProbeOptions = {},
): Promise<LinearProbeResult> {
  const o = {
    epochs: options.epochs ?? 100,
    learningRate: options.learningRate ?? 0.01,
    l2: options.l2 ?? 1e-4,
    batchSize: options.batchSize ?? 256,
    validationShare: options.validationShare ?? 0.1,
    patience: options.patience ?? 10,
    seed: options.seed ?? 0,
  };
  checkOptions(o);
  const nTrain = rowCount('linearProbe', 'train.codes', train.codes, dim);
  const nTest = rowCount('linearProbe', 'test.codes', test.codes, dim);
  const classes = options.classes ?? classCount(train.labels, test.labels);
  if (classes < 2) throw new UsageError(`linearProbe: needs at least 2 classes, got ${classes}.`);
  checkLabels('linearProbe', 'train.labels', train.labels, nTrain, classes);
  checkLabels('linearProbe', 'test.labels', test.labels, nTest, classes);

  const order = new SeededRandom(deriveSeed(o.seed, 'linear-probe-split')).permutation(nTrain);
  const nValidation = Math.floor(nTrain * o.validationShare);
  if (nValidation > 0 && nTrain - nValidation < 1) {
    throw new UsageError(
      `linearProbe: validationShare ${o.validationShare} leaves no training rows.`,
    );
  }
  const fitRows = order.subarray(nValidation);
  const standardiser = fitStandardiser(train.codes, fitRows, dim);

  let fit: Split | undefined;
  let validation: Split | undefined;
  let testSplit: Split | undefined;
  const w = tf.tidy(() => tf.variable(tf.zeros([dim, classes])));
  const b = tf.tidy(() => tf.variable(tf.zeros([classes])));
  const optimizer = tf.train.adam(o.learningRate);
  try {
    fit = makeSplit(train, fitRows, dim, classes, standardiser);
    validation =
      nValidation > 0
        ? makeSplit(train, order.subarray(0, nValidation), dim, classes, standardiser)
        : undefined;
    testSplit = makeSplit(test, range(nTest), dim, classes, standardiser);

    const trainRows = fit;
    const batchSize =
      o.batchSize === 0 || o.batchSize >= fitRows.length ? fitRows.length : o.batchSize;
    const shuffler = new SeededRandom(deriveSeed(o.seed, 'linear-probe-batches'));
    const trainLoss: number[] = [];
    let best = { loss: Infinity, epoch: 0, w: w.arraySync(), b: b.arraySync() };
    let epoch = 0;
    while (epoch < o.epochs) {
      epoch++;
      const perm = shuffler.permutation(fitRows.length);
      let lossSum = 0;
      for (let start = 0; start < perm.length; start += batchSize) {
        const idx = perm.subarray(start, start + batchSize);
        const [x, y] = tf.tidy(() => {
          const indices = tf.tensor1d(idx, 'int32');
          return [tf.gather(trainRows.x, indices), tf.gather(trainRows.y, indices)];
        });
        const cost = optimizer.minimize(
          () =>
            tf.tidy(() =>
              tf.losses.softmaxCrossEntropy(y, x.matMul(w).add(b)).add(w.square().sum().mul(o.l2)),
            ) as tf.Scalar,
          true,
          [w, b],
        );
        lossSum += (cost?.dataSync()[0] ?? NaN) * idx.length;
        tf.dispose([x, y, cost as tf.Scalar]);
      }
      trainLoss.push(lossSum / perm.length);
      // Yield between epochs so a CLI progress display can repaint.
      await new Promise((resolve) => setImmediate(resolve));
      if (!validation) continue;
      const validationLoss = crossEntropy(w, b, validation);
      if (validationLoss < best.loss - 1e-7) {
        best = { loss: validationLoss, epoch, w: w.arraySync(), b: b.arraySync() };
      } else if (epoch - best.epoch >= o.patience) {
        break;
      }
    }
    if (validation && best.epoch > 0) {
      tf.tidy(() => {
        w.assign(tf.tensor2d(best.w as number[][]));
        b.assign(tf.tensor1d(best.b as number[]));
      });
    }
    return {
      testAccuracy: accuracy(w, b, testSplit),
      trainAccuracy: accuracy(w, b, fit),
      validationAccuracy: validation ? accuracy(w, b, validation) : NaN,
      epochsRun: epoch,
      bestEpoch: validation ? best.epoch : epoch,
      trainLoss,
      classes,
    };
  } finally {
    disposeSplit(fit);
    disposeSplit(validation);
    disposeSplit(testSplit);
    tf.dispose([w, b]);
    optimizer.dispose();
  }
}
