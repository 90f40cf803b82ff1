/**
 * The tfjs cpu backend greets its first use in Node with advice to install tfjs-node. When mmae
 * uses cpu only as a helper (borrowed kernels, kernel listing) that greeting misleads a user who
 * chose wasm; `mmae doctor` gives the same advice where it belongs.
 */
import * as tf from '@tensorflow/tfjs';

export function silenceCpuGreeting(): void {
  const backend = tf.findBackend('cpu') as unknown as { firstUse?: unknown } | null;
  if (backend !== null && backend.firstUse === true) backend.firstUse = false;
}
