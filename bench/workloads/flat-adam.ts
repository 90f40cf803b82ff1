/**
 * Adam over all parameters at once: gradients are concatenated into one flat vector, the moment
 * updates run as a handful of ops on it, and the step is split back per variable.
 *
 * Why: tfjs's Adam runs ~12 small kernels per variable (16 variables in W1 → ~190 kernels per
 * step) and on wasm each small kernel costs ~20 µs of dispatch whatever its size (BENCHMARKS.md,
 * W1 profile). Same maths as tf.train.adam with bias correction folded into the step size.
 *
 * Measured (w1-profile.ts, variant allflat vs all): kernels per step fall 351 → 199, but CPU per
 * step rises 12.7 → 27 ms: the 16 Slice + 36 Reshape kernels and the variable assigns cost more
 * on wasm than the per-variable Adam ops they replace. Kept as a measured negative result; not
 * used by default.
 */
import * as tf from '@tensorflow/tfjs';

export class FlatAdam {
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly sizes: number[];
  private step = 0;

  constructor(
    private readonly vars: readonly tf.Variable[],
    private readonly learningRate = 1e-3,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.sizes = vars.map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  }

  /** `grads` in the order of the variables given to the constructor. */
  apply(grads: readonly tf.Tensor[]): void {
    this.step++;
    const { beta1, beta2 } = this;
    const stepSize =
      (this.learningRate * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    // ε is scaled by the same bias correction so the update equals tfjs's m̂ / (√v̂ + ε).
    const eps = this.epsilon * Math.sqrt(1 - beta2 ** this.step);
    tf.tidy(() => {
      const g = tf.concat(grads.map((t) => t.reshape([-1])));
      const m = this.m.mul(beta1).add(g.mul(1 - beta1));
      const v = this.v.mul(beta2).add(g.square().mul(1 - beta2));
      this.m.assign(m);
      this.v.assign(v);
      const update = m.div(v.sqrt().add(eps)).mul(stepSize);
      // Slices, not tf.split: SplitV on wasm took ~12 ms for W1's 111k parameters (profiled).
      let offset = 0;
      this.vars.forEach((variable, i) => {
        const size = this.sizes[i] as number;
        const part = update.slice([offset], [size]).reshape(variable.shape);
        variable.assign(variable.sub(part));
        offset += size;
      });
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
