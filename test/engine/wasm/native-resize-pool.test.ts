import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { doctorReport, formatDoctorReport } from '../../../src/backend/index.js';
import { appliedKernelPatches, nativeFallbacks } from '../../../src/engine/index.js';
import { nativeKernelsBuilt, useBackend, useWasmBackend } from '../../support/backend.js';
import { largestGap, onWasmAndCpu } from '../../support/cpu-reference.js';

/** A seeded generator of small integers, so every run draws the same shapes. */
function seeded(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
}

type Shape4 = [number, number, number, number];
interface Mode {
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}
const MODES: readonly Mode[] = [
  { alignCorners: false, halfPixelCenters: false },
  { alignCorners: true, halfPixelCenters: false },
  { alignCorners: false, halfPixelCenters: true },
];

interface ResizeCase extends Mode {
  readonly shape: Shape4;
  readonly size: [number, number];
  readonly bilinear: boolean;
}

/** Odd sizes, scale 2 and non-integer scales (up and down), every corner mode, both kinds. */
function resizeCases(): ResizeCase[] {
  const draw = seeded(16);
  const cases: ResizeCase[] = [];
  for (const bilinear of [false, true]) {
    for (const mode of MODES) {
      for (let i = 0; i < 3; i++) {
        const shape: Shape4 = [1 + draw(3), 1 + draw(7), 1 + draw(8), 1 + draw(5)];
        const sizes: [number, number][] = [
          [shape[1] * 2, shape[2] * 2],
          [1 + draw(13), 1 + draw(13)],
        ];
        for (const size of sizes) cases.push({ shape, size, bilinear, ...mode });
      }
    }
  }
  return cases;
}

const resize = (c: ResizeCase, x: tf.Tensor4D): tf.Tensor4D =>
  c.bilinear
    ? tf.image.resizeBilinear(x, c.size, c.alignCorners, c.halfPixelCenters)
    : tf.image.resizeNearestNeighbor(x, c.size, c.alignCorners, c.halfPixelCenters);

/** The resize of x and the gradient of Σ resize(x)·dy, for seeded x and dy (seed 0 is none). */
function resizeAndGradient(c: ResizeCase, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.shape, 0, 1, 'float32', seed) as tf.Tensor4D;
    const dy = tf.randomNormal([c.shape[0], ...c.size, c.shape[3]], 0, 1, 'float32', seed + 1);
    const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(resize(c, input as tf.Tensor4D), dy)));
    return [resize(c, x).dataSync() as Float32Array, grad(x).dataSync() as Float32Array];
  });
}

/**
 * The gradient as the adjoint of cpu's forward resize: dx[i] = Σ resize(e_i)·dy over the unit
 * images e_i. The reference where cpu's own gradient kernels ignore halfPixelCenters.
 */
async function adjointOnCpu(c: ResizeCase, seed: number): Promise<Float32Array> {
  await useBackend('cpu');
  const size = c.shape.reduce((p, d) => p * d, 1);
  const dx = tf.tidy(() => {
    const dy = tf.randomNormal([c.shape[0], ...c.size, c.shape[3]], 0, 1, 'float32', seed + 1);
    const units = tf.eye(size);
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const unit = tf.reshape(tf.slice(units, [i], [1]), c.shape) as tf.Tensor4D;
      out[i] = tf.sum(tf.mul(resize(c, unit), dy)).dataSync()[0]!;
    }
    return out;
  });
  await useWasmBackend();
  return dx;
}

interface PoolCase {
  readonly shape: Shape4;
  readonly filter: number | [number, number];
  readonly stride: number | [number, number];
  readonly pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  readonly rounding?: 'floor' | 'round' | 'ceil';
}

/** Shapes tf.layers.maxPooling2d does not make but tf.maxPool takes: all run natively too. */
const UNUSUAL_POOLS: readonly PoolCase[] = [
  { shape: [2, 9, 7, 3], filter: [3, 2], stride: [2, 1], pad: 'same' },
  { shape: [2, 9, 7, 3], filter: 3, stride: 2, pad: 1, rounding: 'ceil' },
  { shape: [1, 8, 5, 2], filter: 2, stride: 2, pad: 0, rounding: 'round' },
  {
    shape: [2, 6, 7, 4],
    filter: [2, 3],
    stride: 2,
    pad: [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0],
    ],
  },
];

function poolCases(): PoolCase[] {
  const draw = seeded(61);
  const cases: PoolCase[] = [];
  for (const filter of [2, 3]) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) {
        cases.push({
          shape: [1 + draw(3), 3 + draw(7), 3 + draw(8), 1 + draw(6)],
          filter,
          stride,
          pad,
        });
      }
    }
  }
  return [...cases, ...UNUSUAL_POOLS];
}

/**
 * Max pooling and its gradient on integers in [−2, 2] (so most windows hold ties, and windows of
 * negative values), a gradient that is not constant so each tie's winner shows.
 */
function poolAndGradient(c: PoolCase, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.round(tf.randomUniform(c.shape, -2.5, 2.5, 'float32', seed)) as tf.Tensor4D;
    const pool = (input: tf.Tensor4D) => tf.maxPool(input, c.filter, c.stride, c.pad, c.rounding);
    const y = pool(x);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 1);
    const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(pool(input as tf.Tensor4D), dy)));
    // tfjs-core's MaxPool gradient drops dimRoundingMode, and cpu's kernel then loses a rounded
    // pool's last window; the reference for a rounded pool is cpu's kernel given the mode.
    const dx =
      c.rounding === undefined
        ? grad(x)
        : (tf
            .engine()
            .runKernel(
              tf.MaxPoolGrad,
              { dy, input: x, output: y },
              { filterSize: c.filter, strides: c.stride, pad: c.pad, dimRoundingMode: c.rounding },
            ) as tf.Tensor);
    return [y.dataSync() as Float32Array, dx.dataSync() as Float32Array];
  });
}

describe.skipIf(!nativeKernelsBuilt)('native resize and max-pool kernels on wasm', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('are the kernels in effect for all six names', () => {
    const native = appliedKernelPatches('wasm').filter((p) => p.why.startsWith('mmae native'));
    const names = [
      tf.MaxPool,
      tf.MaxPoolGrad,
      tf.ResizeBilinear,
      tf.ResizeBilinearGrad,
      tf.ResizeNearestNeighbor,
      tf.ResizeNearestNeighborGrad,
    ];
    for (const name of names) expect(native.map((p) => p.kernelName)).toContain(name);
  });

  it('resize as cpu does (nearest exactly, bilinear within 1e-5), every corner mode', async () => {
    for (const [i, c] of resizeCases().entries()) {
      const [[wasm], [cpu]] = await onWasmAndCpu(() => resizeAndGradient(c, i + 1));
      expect(largestGap(wasm!, cpu!), JSON.stringify(c)).toBeLessThanOrEqual(c.bilinear ? 1e-5 : 0);
    }
  });

  it("give cpu's resize gradients within 1e-5 without half-pixel centres", async () => {
    for (const [i, c] of resizeCases().entries()) {
      if (c.halfPixelCenters) continue;
      const [[, wasm], [, cpu]] = await onWasmAndCpu(() => resizeAndGradient(c, i + 1));
      expect(largestGap(wasm!, cpu!), JSON.stringify(c)).toBeLessThan(1e-5);
    }
  });

  it('give the adjoint of cpu’s forward resize as the gradient with half-pixel centres', async () => {
    for (const [i, c] of resizeCases().entries()) {
      if (!c.halfPixelCenters) continue;
      const [, wasm] = resizeAndGradient(c, i + 1);
      expect(largestGap(wasm!, await adjointOnCpu(c, i + 1)), JSON.stringify(c)).toBeLessThan(1e-5);
    }
  });

  it('max-pool as cpu does, the gradient of a tie going to its first maximum in row-major order', async () => {
    for (const [i, c] of poolCases().entries()) {
      const [[wasmY, wasmDx], [cpuY, cpuDx]] = await onWasmAndCpu(() => poolAndGradient(c, i + 1));
      expect(largestGap(wasmY!, cpuY!), JSON.stringify(c)).toBe(0);
      expect(largestGap(wasmDx!, cpuDx!), JSON.stringify(c)).toBeLessThan(1e-5);
    }
  });

  it("gives a rounded pool's last window its gradient through tf.grad, where cpu loses it", () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 5, 1]);
    const pool = (input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 2, 2, 0, 'round');
    const dx = tf.grad((input: tf.Tensor) => tf.sum(pool(input)))(x);
    expect(Array.from(dx.dataSync())).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 1, 1]);
    tf.dispose([x, dx]);
  });

  it('gives a tie within one window wholly to its top-left maximum', () => {
    const x = tf.tensor4d([1, 1, 1, 1], [1, 2, 2, 1]);
    const dx = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid')),
    )(x);
    expect(Array.from(dx.dataSync())).toEqual([1, 0, 0, 0]);
    tf.dispose([x, dx]);
  });

  it('leaves the tensor count flat across calls', () => {
    const c = resizeCases()[0]!;
    const pool = poolCases()[0]!;
    resizeAndGradient(c, 1);
    poolAndGradient(pool, 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      resizeAndGradient(c, 1);
      poolAndGradient(pool, 1);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs an int32 resize on the kernel it replaced, says so once, and doctor lists it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1], 'int32');
    for (let i = 0; i < 2; i++) {
      const y = tf.image.resizeNearestNeighbor(x, [4, 4]);
      expect(Array.from(y.dataSync()).slice(0, 4)).toEqual([1, 1, 2, 2]);
      y.dispose();
    }
    x.dispose();
    expect(
      warn.mock.calls.filter(([m]) => String(m).includes('ResizeNearestNeighbor')),
    ).toHaveLength(1);
    expect(nativeFallbacks().map((f) => f.kernelName)).toContain(tf.ResizeNearestNeighbor);
    warn.mockRestore();
    const text = formatDoctorReport(await doctorReport({ probeTraining: false }));
    expect(text).toMatch(/^fallback {5}native ResizeNearestNeighbor did not take int32 tensors/m);
  });
});
