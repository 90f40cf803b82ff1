/**
 * W3: encode the 10k MNIST test images with the W1 encoder (784-128-64-32-16, ReLU) on the tfjs
 * backend, forward only, and report samples per second (median over passes), like
 * bench/reference/w3_encode.py. Weights are seeded and untrained: speed does not depend on them.
 *
 *   tsx bench/workloads/w3-encode.ts [--batch 1000] [--passes 10] [--backend wasm]
 *
 * After the measured passes, three more time the parts of a pass (`info.partsMsPer10k`): making
 * the input tensors, each layer, reading the codes back.
 */
import * as tf from '@tensorflow/tfjs';
import { parseBackendRequest } from '../../src/config/backend-request.js';
import { selectBackend } from '../../src/backend/index.js';
import { nativeKernelStatus } from '../../src/engine/index.js';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { median } from './latency.js';
import { readMnistImages } from './mnist-idx.js';

const SIZES = [784, 128, 64, 32, 16];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // mmae's backend selection: on wasm with every kernel patch mmae applies (native kernels when
  // built), as mmae's own encode runs.
  await selectBackend(parseBackendRequest(args.get('backend') ?? 'wasm', '--backend'));
  const batch = intArg(args, 'batch', 1000);
  const passes = intArg(args, 'passes', 10);
  const layers = SIZES.slice(0, -1).map((fanIn, i) => {
    const bound = 1 / Math.sqrt(fanIn);
    const fanOut = SIZES[i + 1] as number;
    return {
      w: tf.randomUniform([fanIn, fanOut], -bound, bound, 'float32', 42 + 2 * i) as tf.Tensor2D,
      b: tf.randomUniform([fanOut], -bound, bound, 'float32', 43 + 2 * i) as tf.Tensor1D,
    };
  });
  const test = readMnistImages('t10k');
  const encodeAll = (): void => {
    for (let from = 0; from < test.count; from += batch) {
      const to = Math.min(test.count, from + batch);
      const codes = tf.tidy(() => {
        const rows = test.pixels.subarray(from * test.size, to * test.size);
        let h: tf.Tensor2D = tf.tensor2d(rows, [to - from, test.size]);
        for (const l of layers) {
          h = tf.fused.matMul({ a: h, b: l.w, bias: l.b, activation: 'relu' }) as tf.Tensor2D;
        }
        return h;
      });
      codes.dataSync(); // codes leave the backend, as an encode call's caller needs them
      codes.dispose();
    }
  };
  /** Milliseconds per 10k images of each part of a pass, averaged over `passes` passes. */
  const timeParts = (passes: number) => {
    const parts = { input: 0, layers: layers.map(() => 0), readBack: 0 };
    for (let p = 0; p < passes; p++) {
      for (let from = 0; from < test.count; from += batch) {
        const to = Math.min(test.count, from + batch);
        let start = performance.now();
        const rows = test.pixels.subarray(from * test.size, to * test.size);
        const created: tf.Tensor[] = [tf.tensor2d(rows, [to - from, test.size])];
        parts.input += performance.now() - start;
        layers.forEach((l, i) => {
          start = performance.now();
          const a = created.at(-1) as tf.Tensor2D;
          created.push(tf.fused.matMul({ a, b: l.w, bias: l.b, activation: 'relu' }));
          parts.layers[i]! += performance.now() - start;
        });
        start = performance.now();
        created.at(-1)!.dataSync();
        parts.readBack += performance.now() - start;
        tf.dispose(created);
      }
    }
    const per10k = (ms: number) => Number(((ms / passes) * (10_000 / test.count)).toFixed(2));
    return {
      input: per10k(parts.input),
      layers: parts.layers.map(per10k),
      readBack: per10k(parts.readBack),
    };
  };
  encodeAll(); // warm-up
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let p = 0; p < passes; p++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    encodeAll();
    rates.push(test.count / ((performance.now() - start) / 1000));
    const cpu = process.cpuUsage(cpuStart);
    cpuRates.push(test.count / ((cpu.user + cpu.system) / 1e6));
  }
  const partsMsPer10k = timeParts(3);
  tf.dispose(layers.flatMap((l) => [l.w, l.b]));
  console.log(
    JSON.stringify({
      workload: 'W3',
      side: 'ours',
      metrics: { samplesPerSecond: median(rates), samplesPerCpuSecond: median(cpuRates) },
      info: {
        backend: tf.getBackend(),
        nativeKernels: nativeKernelStatus().note,
        images: test.count,
        batch,
        passes,
        partsMsPer10k,
        numTensorsAfter: tf.memory().numTensors,
      },
    }),
  );
}

if (isMain(import.meta.url)) await main();
