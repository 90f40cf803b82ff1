/** Pixel-space reconstruction quality: mean squared error and PSNR with peak 1. */
import * as tf from '@tensorflow/tfjs';

/** Below this MSE a reconstruction counts as exact; caps PSNR at 100 dB instead of Infinity. */
const MSE_FLOOR = 1e-10;

/** target, features: [b, ...] in [0,1] → MSE per sample. */
export function perSampleMse(target: tf.Tensor, features: tf.Tensor): Float32Array {
  const batch = target.shape[0] ?? 1;
  const mse = tf.tidy(() =>
    tf.squaredDifference(features.reshape([batch, -1]), target.reshape([batch, -1])).mean(1),
  );
  const values = mse.dataSync() as Float32Array;
  mse.dispose();
  return Float32Array.from(values);
}

/** Peak signal-to-noise ratio in dB for pixels in [0, peak]. */
export function psnrFromMse(mse: number, peak = 1): number {
  return 10 * Math.log10((peak * peak) / Math.max(mse, MSE_FLOOR));
}

/** Batch means of per-sample MSE and per-sample PSNR. */
export function imageMetrics(
  target: tf.Tensor,
  features: tf.Tensor,
): { mse: number; psnr: number } {
  const mse = perSampleMse(target, features);
  if (mse.length === 0) return { mse: 0, psnr: 0 };
  let mseSum = 0;
  let psnrSum = 0;
  for (const value of mse) {
    mseSum += value;
    psnrSum += psnrFromMse(value);
  }
  return { mse: mseSum / mse.length, psnr: psnrSum / mse.length };
}
