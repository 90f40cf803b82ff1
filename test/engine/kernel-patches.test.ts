/**
 * The kernel patches: every wasm patch computes what the cpu kernel computes on seeded random
 * inputs (negative values included, which broke several wasm max kernels), the cpu resize
 * gradient patches satisfy the adjoint identity of their linear forward ops, registration is
 * idempotent, and running a borrowed kernel repeatedly leaves no tensor or buffer behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  appliedKernelPatches,
  appliedTfjsPatches,
  applyEngine,
  CPU_KERNEL_PATCHES,
  WASM_KERNEL_PATCHES,
  wasmKernelPatches,
} from '../../src/engine/index.js';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { useWasmBackend } from '../support/backend.js';

let seed = 1;
/** Seeded normal values shifted negative, so some pooling windows hold only negative numbers. */
function randomTensor(shape: number[], shift = -0.5): tf.Tensor {
  const random = new SeededRandom(seed++);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => random.normal() + shift),
    shape,
  );
}

/** Gradient of sum(f(x) * w) for a seeded weighting w: exercises the backward kernel. */
function weightedGrad(f: (x: tf.Tensor) => tf.Tensor, shape: number[]): () => tf.Tensor {
  return () => {
    const x = randomTensor(shape);
    const w = randomTensor(f(x).shape, 0);
    return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), w)))(x);
  };
}

/** One computation per wasm patch, named by the kernel it must run. */
const WASM_CASES: Record<string, (() => tf.Tensor)[]> = {
  Conv2DBackpropFilter: [
    ...(['same', 'valid'] as const).flatMap((pad) =>
      [1, 2].map((strides) =>
        weightedGrad(
          (f) =>
            tf.conv2d(randomTensor([2, 6, 7, 3]) as tf.Tensor4D, f as tf.Tensor4D, strides, pad),
          [3, 3, 3, 4],
        ),
      ),
    ),
    weightedGrad(
      (f) =>
        tf.conv2d(randomTensor([2, 7, 6, 2]) as tf.Tensor4D, f as tf.Tensor4D, 2, [
          [0, 0],
          [1, 2],
          [0, 1],
          [0, 0],
        ]),
      [3, 2, 2, 3],
    ),
    weightedGrad(
      (f) => tf.conv1d(randomTensor([2, 9, 2]) as tf.Tensor3D, f as tf.Tensor3D, 2, 'same'),
      [3, 2, 3],
    ),
  ],
  UnsortedSegmentSum: [
    () => tf.unsortedSegmentSum(randomTensor([6, 3]), tf.tensor1d([0, 2, 2, 1, 0, 2], 'int32'), 4),
    () => tf.unsortedSegmentSum(randomTensor([4, 2, 3]), tf.tensor1d([1, 1, 0, 1], 'int32'), 3),
    weightedGrad((t) => tf.gather(t, tf.tensor1d([4, 0, 4, 2, 4], 'int32')), [5, 3]),
  ],
  DepthwiseConv2dNativeBackpropFilter: [
    weightedGrad(
      (f) =>
        tf.depthwiseConv2d(randomTensor([2, 5, 6, 3]) as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'),
      [3, 3, 3, 2],
    ),
  ],
  DepthwiseConv2dNativeBackpropInput: [
    weightedGrad(
      (x) =>
        tf.depthwiseConv2d(x as tf.Tensor4D, randomTensor([3, 3, 3, 2]) as tf.Tensor4D, 1, 'valid'),
      [2, 5, 6, 3],
    ),
  ],
  Einsum: [
    () => tf.einsum('ij,jk->ik', randomTensor([3, 4]), randomTensor([4, 5])),
    () => tf.einsum('bij,bjk->bik', randomTensor([2, 3, 4]), randomTensor([2, 4, 2])),
    () => tf.einsum('ij->ji', randomTensor([3, 4])),
  ],
  MaxPoolGrad: [
    weightedGrad((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), [2, 4, 6, 3]),
    weightedGrad((x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'), [2, 5, 5, 2]),
  ],
  MaxPool3D: [() => tf.maxPool3d(randomTensor([2, 4, 4, 4, 2]) as tf.Tensor5D, 2, 2, 'same')],
  MaxPool3DGrad: [
    weightedGrad((x) => tf.maxPool3d(x as tf.Tensor5D, 2, 2, 'same'), [2, 3, 4, 4, 2]),
  ],
  MaxPoolWithArgmax: [
    () => tf.maxPoolWithArgmax(randomTensor([2, 4, 4, 2]) as tf.Tensor4D, 2, 2, 'same').result,
  ],
  Conv3DBackpropInputV2: [
    weightedGrad(
      (x) => tf.conv3d(x as tf.Tensor5D, randomTensor([2, 2, 2, 2, 3]) as tf.Tensor5D, 1, 'same'),
      [2, 3, 3, 3, 2],
    ),
  ],
  Dilation2D: [
    () =>
      tf.dilation2d(
        randomTensor([2, 4, 5, 3]) as tf.Tensor4D,
        randomTensor([2, 2, 3]) as tf.Tensor3D,
        1,
        'same',
      ),
  ],
  Dilation2DBackpropInput: [
    weightedGrad(
      (x) => tf.dilation2d(x as tf.Tensor4D, randomTensor([2, 2, 3]) as tf.Tensor3D, 1, 'same'),
      [2, 4, 5, 3],
    ),
  ],
  Dilation2DBackpropFilter: [
    weightedGrad(
      (f) => tf.dilation2d(randomTensor([2, 4, 5, 3]) as tf.Tensor4D, f as tf.Tensor3D, 1, 'same'),
      [2, 2, 3],
    ),
  ],
};

async function valuesOn(backend: string, compute: () => tf.Tensor, caseSeed: number) {
  // tf.setBackend only flips the active backend within a comparison: useWasmBackend (beforeAll)
  // has applied the engine to both, cpu's patches included (src/engine/apply-engine.ts).
  await tf.setBackend(backend);
  seed = caseSeed;
  let values: number[] = [];
  const profile = await tf.profile(() => {
    const out = compute();
    values = Array.from(out.dataSync());
    out.dispose();
  });
  return { values, kernels: profile.kernelNames };
}

describe('kernel patches', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('cover every patched wasm kernel with a test case', () => {
    expect(Object.keys(WASM_CASES).sort()).toEqual(
      WASM_KERNEL_PATCHES.map((p) => p.config.kernelName).sort(),
    );
  });

  it.each(WASM_KERNEL_PATCHES.map((p) => p.config.kernelName))(
    'the wasm %s patch is registered and gives the same values as cpu on random inputs',
    async (kernelName) => {
      // The patch in effect: a native kernel (MaxPoolGrad) may stand in for a borrowed one.
      const patch = wasmKernelPatches().find((p) => p.config.kernelName === kernelName);
      expect(tf.getKernel(kernelName, 'wasm')?.kernelFunc).toBe(patch?.config.kernelFunc);
      for (const [i, compute] of (WASM_CASES[kernelName] ?? []).entries()) {
        const cpu = await valuesOn('cpu', compute, 100 * i + 1);
        const wasm = await valuesOn('wasm', compute, 100 * i + 1);
        expect(wasm.kernels).toContain(kernelName);
        expect(wasm.values.length).toBe(cpu.values.length);
        wasm.values.forEach((v, j) => expect(v).toBeCloseTo(cpu.values[j] as number, 4));
      }
    },
  );

  it.each([
    ['ResizeNearestNeighborGrad', false],
    ['ResizeNearestNeighborGrad', true],
    ['ResizeBilinearGrad', false],
    ['ResizeBilinearGrad', true],
  ] as const)(
    'the cpu %s patch (alignCorners %s) is the adjoint of its forward resize for batches of non-square images',
    async (kernelName, alignCorners) => {
      const resize = (x: tf.Tensor) =>
        kernelName === 'ResizeBilinearGrad'
          ? tf.image.resizeBilinear(x as tf.Tensor4D, [7, 10], alignCorners)
          : tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [7, 10], alignCorners);
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend);
        seed = 5;
        const [forward, backward] = tf.tidy(() => {
          const x = randomTensor([3, 3, 4, 2]);
          const dy = randomTensor([3, 7, 10, 2]);
          const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(resize(v), dy)))(x);
          expect(dx.shape).toEqual(x.shape);
          // For a linear op R and its gradient R*: <R x, dy> = <x, R* dy>.
          return [tf.sum(tf.mul(resize(x), dy)).dataSync()[0], tf.sum(tf.mul(x, dx)).dataSync()[0]];
        });
        expect(backward, backend).toBeCloseTo(forward as number, 3);
      }
      const patch = CPU_KERNEL_PATCHES.find((p) => p.config.kernelName === kernelName);
      expect(tf.getKernel(kernelName, 'cpu')?.kernelFunc).toBe(patch?.config.kernelFunc);
    },
  );

  it('name the tfjs 4.22 code each stands in for, and each bug fix the file and function it corrects', () => {
    const patches = [
      ...appliedKernelPatches('wasm'),
      ...appliedKernelPatches('cpu'),
      ...appliedTfjsPatches(),
    ];
    expect(patches.length).toBeGreaterThan(20);
    for (const patch of patches) {
      expect(patch.upstream).toMatch(
        /^(tfjs-[a-z-]+\/src\/\S+\.(ts|cc|h)\b|none: a kernel of mmae)/,
      );
      if (patch.kind === 'replace') {
        expect(patch.upstream).toMatch(/^tfjs-backend-(wasm|cpu)\/src\/\S+\.(ts|cc|h), \w+/);
      }
    }
  });

  it('registers nothing more when registration runs again', () => {
    expect(applyEngine('wasm')).toEqual({ kernels: [], tfjs: [] });
    expect(applyEngine('cpu')).toEqual({ kernels: [], tfjs: [] });
  });

  it('leaves tensors and backend buffers unchanged after borrowed kernels run repeatedly', async () => {
    await tf.setBackend('wasm');
    const computes = Object.values(WASM_CASES).flat();
    const once = () => computes.forEach((compute) => tf.dispose(tf.tidy(compute)));
    once(); // first use may allocate lasting state (e.g. the cpu backend itself)
    const cpu = tf.findBackend('cpu');
    const wasm = tf.findBackend('wasm');
    const before = [tf.memory().numTensors, cpu.numDataIds(), wasm.numDataIds()];
    for (let i = 0; i < 5; i++) once();
    expect([tf.memory().numTensors, cpu.numDataIds(), wasm.numDataIds()]).toEqual(before);
  });
});
