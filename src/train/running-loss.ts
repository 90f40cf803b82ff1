import * as tf from '@tensorflow/tfjs';
import type { LossRecord } from '../variants/contract.js';
import { namedLossTerms } from '../variants/loss-terms.js';

/**
 * Sums a loss record's terms on the backend across steps and reads them back only when asked,
 * so the hot path never waits on a `dataSync`.
 */
export class RunningLoss {
  private names: string[] | undefined;
  private sum: tf.Tensor1D | undefined;
  private steps = 0;

  /** Call inside the step's tidy; keeps only the small sum vector. */
  add(record: LossRecord): void {
    const terms = new Map(namedLossTerms(record));
    this.names ??= [...terms.keys()];
    const values = this.names.map((name) => terms.get(name)!);
    const next = tf.keep(
      this.sum ? tf.add(this.sum, tf.stack(values)) : (tf.stack(values) as tf.Tensor1D),
    ) as tf.Tensor1D;
    this.sum?.dispose();
    this.sum = next;
    this.steps++;
  }

  /** Mean of each term so far (synchronous read of a tiny tensor). */
  read(): Record<string, number> {
    if (!this.sum || !this.names) return {};
    const values = this.sum.dataSync();
    const out: Record<string, number> = {};
    this.names.forEach((name, i) => (out[name] = (values[i] as number) / this.steps));
    return out;
  }

  dispose(): void {
    this.sum?.dispose();
    this.sum = undefined;
  }
}
