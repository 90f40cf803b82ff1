/**
 * W5's five convolutions (bench/README.md's conv VAE, batch 128), one kernel at a time on the
 * wasm backend with mmae's patches, in ms per call: the forward pass (FusedConv2D, bias + relu),
 * the input gradient (Conv2DBackpropInput) and the filter gradient (Conv2DBackpropFilter). Run
 * it twice to compare the native kernels (default) with the path before them:
 *
 *   MMAE_NATIVE_KERNELS=0 tsx bench/workloads/conv-shapes.ts   # XNNPACK forward, wasm patches back
 *   tsx bench/workloads/conv-shapes.ts                         # mmae's native kernels
 *
 * Each figure is the median of 7 timings of as many calls as fit in ~0.2 s, after 3 warm-up
 * calls. Prints a Markdown table and one JSON line.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/index.js';
import { intArg, parseArgs } from './cli-args.js';

type Shape4 = [number, number, number, number];

interface ConvLayer {
  readonly name: string;
  readonly x: Shape4;
  readonly filter: Shape4;
  readonly strides: number;
}

const layers = (batch: number): ConvLayer[] => [
  { name: 'enc1 28×28×1 → 14×14×32, s2', x: [batch, 28, 28, 1], filter: [3, 3, 1, 32], strides: 2 },
  {
    name: 'enc2 14×14×32 → 7×7×64, s2',
    x: [batch, 14, 14, 32],
    filter: [3, 3, 32, 64],
    strides: 2,
  },
  { name: 'dec1 14×14×64 → 14×14×64', x: [batch, 14, 14, 64], filter: [3, 3, 64, 64], strides: 1 },
  { name: 'dec2 28×28×64 → 28×28×32', x: [batch, 28, 28, 64], filter: [3, 3, 64, 32], strides: 1 },
  { name: 'dec3 28×28×32 → 28×28×1', x: [batch, 28, 28, 32], filter: [3, 3, 32, 1], strides: 1 },
];

function msPerCall(run: () => tf.Tensor): number {
  for (let i = 0; i < 3; ++i) run().dispose();
  const samples: number[] = [];
  for (let s = 0; s < 7; ++s) {
    let calls = 0;
    const start = performance.now();
    while (performance.now() - start < 200) {
      run().dispose();
      ++calls;
    }
    samples.push((performance.now() - start) / calls);
  }
  return samples.sort((a, b) => a - b)[3]!;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const batch = intArg(args, 'batch', 128);
  await selectBackend('wasm');
  const rows = layers(batch).map((layer) => {
    const x = tf.randomNormal(layer.x, 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal(layer.filter, 0, 0.1, 'float32', 2) as tf.Tensor4D;
    const bias = tf.zeros([layer.filter[3]]);
    const conv = { strides: layer.strides, pad: 'same' as const, dataFormat: 'NHWC' as const };
    const y = tf.conv2d(x, w, layer.strides, 'same');
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3) as tf.Tensor4D;
    const forward = msPerCall(() =>
      tf.fused.conv2d({ x, filter: w, bias, ...conv, activation: 'relu' }),
    );
    const input = msPerCall(
      () =>
        tf.engine().runKernel(
          tf.Conv2DBackpropInput,
          { dy, filter: w },
          {
            ...conv,
            inputShape: layer.x,
          },
        ) as tf.Tensor,
    );
    const filter = msPerCall(
      () =>
        tf.engine().runKernel(
          tf.Conv2DBackpropFilter,
          { x, dy },
          {
            ...conv,
            filterShape: layer.filter,
          },
        ) as tf.Tensor,
    );
    tf.dispose([x, w, bias, y, dy]);
    return { layer: layer.name, forward, input, filter };
  });
  const path = process.env.MMAE_NATIVE_KERNELS === '0' ? 'wasm (before)' : 'native (after)';
  console.log(`| ${path}, batch ${batch} | forward | input grad | filter grad |`);
  console.log('|---|---|---|---|');
  const f = (ms: number) => ms.toFixed(2);
  for (const r of rows)
    console.log(`| ${r.layer} | ${f(r.forward)} | ${f(r.input)} | ${f(r.filter)} |`);
  console.log(JSON.stringify({ path, batch, rows }));
}

await main();
