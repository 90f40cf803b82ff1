/**
 * Adam with tf.train.adam's hyper-parameters, bias correction and saved state, whose update runs
 * as one kernel for all variables where the active backend has it (on wasm once selected:
 * src/engine/adam/fused-adam-kernel.ts) instead of ~14 kernels per variable. Anywhere else it runs
 * tf.train.adam's ops, so this file needs nothing of the engine but the kernel's name.
 *
 * State layout is tf.train.adam's: getWeights returns [iter, `${name}/m`…, `${name}/v`…], moments
 * indexed by the position of the variable in the gradients passed, so a checkpoint written with
 * either optimizer restores into the other.
 */
import * as tf from '@tensorflow/tfjs';
import { FUSED_ADAM_KERNEL, fusedAdamInputName, type FusedAdamAttrs } from '../ops/kernels.js';

/** tfjs's `{name, tensor}` pair of getWeights, not exported by @tensorflow/tfjs. */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Moment {
  readonly originalName: string;
  readonly variable: tf.Variable;
}

interface Update {
  readonly value: tf.Variable;
  readonly m: tf.Variable;
  readonly v: tf.Variable;
  readonly gradient: tf.Tensor;
}

export class FusedAdamOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'FusedAdam';
  }

  private firstMoments: Moment[] = [];
  private secondMoments: Moment[] = [];
  readonly epsilon: number;
  /** β₁ᵗ and β₂ᵗ of the next step, as tf.train.adam keeps them: float32 running products. */
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    /** Read on every update; the learning-rate schedule writes it (optimizers.ts). */
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    epsilon?: number,
  ) {
    super();
    this.epsilon = epsilon ?? tf.backend().epsilon();
    this.accBeta1 = Math.fround(beta1);
    this.accBeta2 = Math.fround(beta2);
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({
          name,
          tensor: variableGradients[name] as tf.Tensor,
        }));
    const updates: Update[] = [];
    named.forEach(({ name, tensor }, i) => {
      const value = tf.engine().registeredVariables[name] as tf.Variable;
      const m = this.moment(this.firstMoments, i, `${name}/m`, value);
      const v = this.moment(this.secondMoments, i, `${name}/v`, value);
      // A variable the loss does not reach has no gradient: its moments stay, like tf.train.adam.
      if (tensor != null) updates.push({ value, m, v, gradient: tensor });
    });
    const attrs: FusedAdamAttrs = {
      count: updates.length,
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      biasCorrection1: Math.fround(1 - this.accBeta1),
      biasCorrection2: Math.fround(1 - this.accBeta2),
    };
    const fused = updates.filter((u) => u.value.dtype === 'float32');
    const kernel = tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend());
    tf.tidy(() => {
      if (kernel !== undefined && fused.length > 0) this.applyFused(fused, attrs);
      const rest = kernel === undefined ? updates : updates.filter((u) => !fused.includes(u));
      for (const u of rest) applyWithOps(u, attrs);
    });
    this.advanceBetaPowers();
    this.incrementIterations();
  }

  private advanceBetaPowers(): void {
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.beta2));
  }

  private applyFused(updates: readonly Update[], attrs: FusedAdamAttrs): void {
    const inputs: tf.NamedTensorMap = {};
    updates.forEach((u, i) => {
      inputs[fusedAdamInputName('x', i)] = u.value;
      inputs[fusedAdamInputName('m', i)] = u.m;
      inputs[fusedAdamInputName('v', i)] = u.v;
      inputs[fusedAdamInputName('g', i)] = u.gradient;
    });
    const out = tf.engine().runKernel(FUSED_ADAM_KERNEL, inputs, {
      ...attrs,
      count: updates.length,
    } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    updates.forEach((u, i) => {
      u.value.assign(out[3 * i] as tf.Tensor);
      u.m.assign(out[3 * i + 1] as tf.Tensor);
      u.v.assign(out[3 * i + 2] as tf.Tensor);
    });
  }

  private moment(list: Moment[], i: number, originalName: string, value: tf.Variable): tf.Variable {
    const existing = list[i];
    if (existing) return existing.variable;
    const variable = tf.tidy(() => tf.zerosLike(value).variable(false));
    list[i] = { originalName, variable };
    return variable;
  }

  override dispose(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((m) => m.variable));
    this.firstMoments = [];
    this.secondMoments = [];
    super.dispose();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const moments = [...this.firstMoments, ...this.secondMoments];
    return [
      await this.saveIterations(),
      ...moments.map((m) => ({ name: m.originalName, tensor: m.variable })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const moments = await this.extractIterations(weightValues);
    const count = moments.length / 2;
    // The running float32 products again, not β^(t+1) in one power: a resumed run then takes
    // exactly the steps of an uninterrupted one (tf.train.adam's float32 pow differs slightly).
    this.accBeta1 = Math.fround(this.beta1);
    this.accBeta2 = Math.fround(this.beta2);
    for (let t = 0; t < this.iterations; t++) this.advanceBetaPowers();
    const previous = [...this.firstMoments, ...this.secondMoments].map((m) => m.variable);
    const toMoment = (w: NamedTensor): Moment => ({
      originalName: w.name,
      variable: w.tensor.variable(false),
    });
    this.firstMoments = moments.slice(0, count).map(toMoment);
    this.secondMoments = moments.slice(count, 2 * count).map(toMoment);
    // After the copies: the weights given may be this optimizer's own moments (getWeights).
    tf.dispose(previous);
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
  }
}

/** tf.train.adam's update of one variable, as ops: the path on backends without the kernel. */
function applyWithOps({ value, m, v, gradient }: Update, a: FusedAdamAttrs): void {
  const newM = tf.add(tf.mul(m, a.beta1), tf.mul(gradient, 1 - a.beta1));
  const newV = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(gradient), 1 - a.beta2));
  const mHat = tf.div(newM, a.biasCorrection1);
  const vHat = tf.div(newV, a.biasCorrection2);
  m.assign(newM);
  v.assign(newV);
  value.assign(
    tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), a.epsilon)), -a.learningRate), value),
  );
}
