/**
 * Milliseconds per call of the resize and max-pool kernels (forward and gradient) on the wasm
 * backend, at the W5 conv VAE's shapes (batch 128: the decoder of plugins/image/decoders/conv.ts
 * upsamples 7×7×64 → 14×14×64, convolves to 64 filters, upsamples 14×14×64 → 28×28×64), a ×2
 * upsampling of 32 channels, and bilinear and pooling cases of the same sizes.
 * Run with MMAE_NATIVE_KERNELS=0 for the path without mmae's native kernels:
 *   npx tsx bench/native/resize-pool-timing.ts [--reps 30]
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/index.js';
import { intArg, parseArgs } from '../workloads/cli-args.js';

interface Case {
  readonly name: string;
  readonly inShape: [number, number, number, number];
  readonly forward: (x: tf.Tensor4D) => tf.Tensor4D;
  /** The gradient kernel alone, as tfjs's registered gradient calls it. */
  readonly gradient: (x: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D) => tf.Tensor;
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor =>
  tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
const resizeGrad = (name: string) => (x: tf.Tensor4D, _y: tf.Tensor4D, dy: tf.Tensor4D) =>
  run(name, { images: x, dy }, { alignCorners: false, halfPixelCenters: false });
const poolGrad =
  (filterSize: number, strides: number, pad: 'same' | 'valid') =>
  (x: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D) =>
    run(tf.MaxPoolGrad, { dy, input: x, output: y }, { filterSize, strides, pad });

const up = (x: tf.Tensor4D): [number, number] => [x.shape[1] * 2, x.shape[2] * 2];

const CASES: readonly Case[] = [
  {
    name: 'nearest ×2 7×7×64',
    inShape: [128, 7, 7, 64],
    forward: (x) => tf.image.resizeNearestNeighbor(x, up(x)),
    gradient: resizeGrad(tf.ResizeNearestNeighborGrad),
  },
  {
    name: 'nearest ×2 14×14×64',
    inShape: [128, 14, 14, 64],
    forward: (x) => tf.image.resizeNearestNeighbor(x, up(x)),
    gradient: resizeGrad(tf.ResizeNearestNeighborGrad),
  },
  {
    name: 'nearest ×2 14×14×32',
    inShape: [128, 14, 14, 32],
    forward: (x) => tf.image.resizeNearestNeighbor(x, up(x)),
    gradient: resizeGrad(tf.ResizeNearestNeighborGrad),
  },
  {
    name: 'bilinear ×2 14×14×32',
    inShape: [128, 14, 14, 32],
    forward: (x) => tf.image.resizeBilinear(x, up(x)),
    gradient: resizeGrad(tf.ResizeBilinearGrad),
  },
  {
    name: 'maxPool 2×2/2 28×28×32',
    inShape: [128, 28, 28, 32],
    forward: (x) => tf.maxPool(x, 2, 2, 'valid'),
    gradient: poolGrad(2, 2, 'valid'),
  },
  {
    name: 'maxPool 3×3/1 same 14×14×64',
    inShape: [128, 14, 14, 64],
    forward: (x) => tf.maxPool(x, 3, 1, 'same'),
    gradient: poolGrad(3, 1, 'same'),
  },
];

/** Median milliseconds of `fn`; wasm kernels run synchronously, so no read is needed. */
function median(reps: number, fn: () => tf.Tensor): number {
  const times: number[] = [];
  for (let i = 0; i < reps + 3; i++) {
    const start = performance.now();
    const out = fn();
    const ms = performance.now() - start;
    out.dispose();
    if (i >= 3) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const reps = intArg(args, 'reps', 30);
  await selectBackend('wasm');
  console.log(
    `backend ${tf.getBackend()}, MMAE_NATIVE_KERNELS=${process.env.MMAE_NATIVE_KERNELS ?? '(unset)'}`,
  );
  for (const c of CASES) {
    const x = tf.randomNormal(c.inShape, 0, 1, 'float32', 1) as tf.Tensor4D;
    const y = c.forward(x);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 2) as tf.Tensor4D;
    const forwardMs = median(reps, () => c.forward(x));
    const gradMs = median(reps, () => c.gradient(x, y, dy));
    console.log(
      `${c.name.padEnd(30)} forward ${forwardMs.toFixed(2)} ms, gradient ${gradMs.toFixed(2)} ms`,
    );
    tf.dispose([x, y, dy]);
  }
}

await main();
