/** Which kernels an op runs: the ops' tests check that a one-kernel path really is one kernel. */
import * as tf from '@tensorflow/tfjs';

/** Names of the kernels tfjs runs inside `compute`, in order; what it returns is disposed. */
export async function kernelsOf(compute: () => tf.TensorContainer): Promise<string[]> {
  const profile = await tf.profile(() => tf.dispose(compute()));
  return profile.kernels.map((k) => k.name);
}

/** The kernels of one training step: `loss` and its gradients for `variables` (default: all). */
export function trainingKernels(
  loss: () => tf.Scalar,
  variables?: tf.Variable[],
): Promise<string[]> {
  return kernelsOf(() => {
    const { value, grads } = tf.variableGrads(loss, variables);
    return [value, ...Object.values(grads)];
  });
}
