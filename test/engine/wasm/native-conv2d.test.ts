/**
 * The native convolution kernels (conv2d.cc) give the cpu backend's forward values and both
 * gradients, on seeded random shapes: strides 1 and 2, 'same', 'valid' and explicit padding,
 * dilation 2 (forward only: tfjs has no gradient for dilated convolutions), odd sizes, 1 and many
 * channels, batch 1 and more (batch 20 at 28×28×16 spans several of the kernel's image chunks),
 * bias with each fused activation. Tolerance: |native − cpu| ≤ 1e-4·max(1, max|cpu|), float32
 * sums of up to 15,680 products in a different order. No tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernelsBuilt, useWasmBackend } from '../../support/backend.js';
import { largestGap, onWasmAndCpu } from '../../support/cpu-reference.js';
import { appliedKernelPatches } from '../../../src/engine/index.js';
import { nativeFallbacks } from '../../../src/engine/wasm/native-fallbacks.js';

type Shape = [number, number, number, number];
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

interface ConvCase {
  readonly name: string;
  readonly x: Shape;
  readonly filter: Shape;
  readonly strides: number;
  readonly pad: Pad;
  readonly dilation?: number;
}

const CASES: ConvCase[] = [
  {
    name: 'stride 1, same, 3 → 4 channels',
    x: [2, 7, 6, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: 'same',
  },
  {
    name: 'stride 2, same, odd size, 1 input channel',
    x: [3, 9, 7, 1],
    filter: [3, 3, 1, 5],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'stride 2, valid, 2×3 filter, 1 output channel, batch 1',
    x: [1, 8, 9, 6],
    filter: [2, 3, 6, 1],
    strides: 2,
    pad: 'valid',
  },
  {
    name: 'stride 2, same, 32 → 16 channels',
    x: [2, 10, 10, 32],
    filter: [3, 3, 32, 16],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'explicit padding',
    x: [2, 6, 7, 3],
    filter: [3, 3, 3, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  { name: '1×1, stride 1', x: [2, 5, 5, 8], filter: [1, 1, 8, 4], strides: 1, pad: 'valid' },
  {
    name: 'batch 20 at 28×28×16, several chunks',
    x: [20, 28, 28, 16],
    filter: [3, 3, 16, 8],
    strides: 1,
    pad: 'same',
  },
];

const DILATED: ConvCase[] = [
  {
    name: 'dilation 2, valid, odd size',
    x: [2, 11, 10, 4],
    filter: [3, 3, 4, 3],
    strides: 1,
    pad: 'valid',
    dilation: 2,
  },
  {
    name: 'dilation 2, same',
    x: [1, 9, 9, 2],
    filter: [3, 3, 2, 5],
    strides: 1,
    pad: 'same',
    dilation: 2,
  },
];

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const;

function expectClose(native: Float32Array[], cpu: Float32Array[]): void {
  native.forEach((values, i) => {
    const scale = cpu[i]!.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    expect(largestGap(values, cpu[i]!)).toBeLessThanOrEqual(1e-4 * scale);
  });
}

const seeded = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

beforeAll(async () => {
  await useWasmBackend();
});

describe.skipIf(!nativeKernelsBuilt)('the native conv2d kernels', () => {
  it('are in effect on wasm for all four kernels', () => {
    const native = appliedKernelPatches('wasm')
      .filter((p) => p.why.includes('im2col'))
      .map((p) => p.kernelName);
    expect(native.sort()).toEqual(
      [tf.Conv2D, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, tf.FusedConv2D].sort(),
    );
  });

  it.each([...CASES, ...DILATED])('forward matches cpu: $name', async (c) => {
    const arrays = () =>
      tf.tidy(() => {
        const x = seeded(c.x, 1) as tf.Tensor4D;
        const w = seeded(c.filter, 2) as tf.Tensor4D;
        return [
          tf.conv2d(x, w, c.strides, c.pad, 'NHWC', c.dilation ?? 1).dataSync() as Float32Array,
        ];
      });
    const [native, cpu] = await onWasmAndCpu(arrays);
    expectClose(native, cpu);
  });

  it.each(CASES)('input and filter gradients match cpu: $name', async (c) => {
    const arrays = () =>
      tf.tidy(() => {
        const x = seeded(c.x, 3) as tf.Tensor4D;
        const w = seeded(c.filter, 4) as tf.Tensor4D;
        const probe = tf.conv2d(x, w, c.strides, c.pad);
        const r = seeded(probe.shape, 5);
        const loss = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r));
        const [dx, dw] = tf.grads(loss)([x, w]);
        return [dx!.dataSync() as Float32Array, dw!.dataSync() as Float32Array];
      });
    const [native, cpu] = await onWasmAndCpu(arrays);
    expectClose(native, cpu);
  });

  // 5 output channels run im2col + GEMM, 1 the direct loops.
  it.each(
    ACTIVATIONS.flatMap((a) => [1, 2].map((i) => [a, CASES[i]!.filter[3], CASES[i]!] as const)),
  )(
    'fused conv2d with bias and %s, %i output channels, matches cpu with its gradients',
    async (activation, _, c) => {
      const arrays = () =>
        tf.tidy(() => {
          const x = seeded(c.x, 6) as tf.Tensor4D;
          const w = seeded(c.filter, 7) as tf.Tensor4D;
          const bias = seeded([c.filter[3]], 8) as tf.Tensor1D;
          const fused = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
            tf.fused.conv2d({
              x: a as tf.Tensor4D,
              filter: b as tf.Tensor4D,
              bias: d,
              strides: c.strides,
              pad: c.pad as 'same',
              activation,
              leakyreluAlpha: 0.1,
            });
          const y = fused(x, w, bias);
          const r = seeded(y.shape, 9);
          const [dx, dw, db] = tf.grads((a, b, d) => tf.sum(tf.mul(fused(a, b, d), r)))([
            x,
            w,
            bias,
          ]);
          return [y, dx!, dw!, db!].map((t) => t.dataSync() as Float32Array);
        });
      const [native, cpu] = await onWasmAndCpu(arrays);
      expectClose(native, cpu);
    },
  );

  it('hands NCHW to the package kernel it replaces, and records that once', () => {
    const x = seeded([1, 2, 5, 5], 10) as tf.Tensor4D;
    const w = seeded([3, 3, 2, 3], 11) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    // tfjs-backend-wasm's own Conv2D takes only NHWC: its error, not a wrong result.
    for (let i = 0; i < 2; ++i)
      expect(() => tf.conv2d(x, w, 1, 'same', 'NCHW')).toThrow(/channelsLast/);
    expect(tf.memory().numTensors).toBe(before);
    expect(nativeFallbacks().filter((f) => f.reason.includes('NCHW'))).toEqual([
      { kernelName: 'Conv2D', reason: 'data format NCHW' },
    ]);
    tf.dispose([x, w]);
  });
});
