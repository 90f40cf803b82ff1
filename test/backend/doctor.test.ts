/**
 * `mmae doctor`'s data: the report names the backend and why, versions, threads and SIMD, the
 * kernel patches in effect, and finds no missing kernel in a training step of every layer kind
 * on wasm; missingKernels finds the kernels a step needs that a backend lacks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  doctorReport,
  formatDoctorReport,
  kernelsMissingOn,
  kernelsUsedBy,
  missingKernels,
  selectBackend,
} from '../../src/backend/index.js';
import { nativeKernelsBuilt } from '../support/backend.js';

/** One SGD step of a conv + embedding model on throwaway variables. */
function convEmbeddingStep(): { step: () => void; dispose: () => void } {
  const filter = tf.variable(tf.randomNormal([3, 3, 1, 2], 0, 1, 'float32', 1));
  const table = tf.variable(tf.randomNormal([5, 2], 0, 1, 'float32', 2));
  const optimizer = tf.train.sgd(0.1);
  const step = () => {
    const x = tf.randomNormal([2, 5, 5, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const ids = tf.tensor1d([0, 3, 3], 'int32');
    optimizer.minimize(() =>
      tf.add(tf.sum(tf.conv2d(x, filter as tf.Tensor4D, 1, 'same')), tf.sum(tf.gather(table, ids))),
    );
  };
  return { step, dispose: () => tf.dispose([filter, table]) };
}

describe('doctor', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('reports the wasm backend, why, its versions, threads, SIMD and kernel patches', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const report = await doctorReport({ request: 'wasm' });

    expect(report.backend).toMatchObject({ name: 'wasm', request: 'wasm' });
    expect(report.backend.reason).toMatch(/^requested wasm: wasm available/);
    expect(report.versions).toMatchObject({ tfjs: tf.version.tfjs, node: process.versions.node });
    expect(report.versions.backendPackage).toBe(`@tensorflow/tfjs-backend-wasm ${tf.version.tfjs}`);
    expect(report.threads.count).toBe(1);
    expect(report.threads.note).toContain('single-threaded');
    expect(typeof report.simd).toBe('boolean');
    const patches = Object.fromEntries(report.kernelPatches.map((p) => [p.kernelName, p.kind]));
    expect(patches).toMatchObject({
      // wasm lacks it; mmae's wasm patch adds it, and the native kernel, where built, is faster.
      Conv2DBackpropFilter: nativeKernelsBuilt ? 'faster' : 'missing',
      UnsortedSegmentSum: 'missing',
      MaxPoolGrad: 'replace',
    });
    expect(report.missingTrainingKernels).toEqual([]);
    expect(report.unavailableKernels).toContain('FFT');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('formats the report as aligned lines a user can read', async () => {
    const text = formatDoctorReport(await doctorReport({ request: 'wasm', probeTraining: false }));
    expect(text).toMatch(/^backend {6}wasm \(@tensorflow\/tfjs-backend-wasm \d/m);
    expect(text).toMatch(/^reason {7}requested wasm: /m);
    expect(text).toMatch(/^threads {6}1 \(single-threaded/m);
    expect(text).toMatch(/^simd {9}(yes|no)$/m);
    // yes with the instruction set, or no with the reason and what to do
    expect(text).toMatch(
      /^native {7}(yes: (avx512|avx2|generic) \(|no: (off|not built|.* failed to load))/m,
    );
    expect(text).toMatch(/^training {5}not probed$/m);
    expect(text).toMatch(/MaxPoolGrad \(replace\): /);
  });

  it('reports the cpu backend with its own kernel patches and advice to install tfjs-node', async () => {
    const report = await doctorReport({ request: 'cpu', probeTraining: false });
    expect(report.backend.name).toBe('cpu');
    expect(report.simd).toBeNull();
    expect(report.kernelPatches.map((p) => p.kernelName)).toEqual([
      'ResizeBilinearGrad',
      'ResizeNearestNeighborGrad',
    ]);
    expect(report.advice.join(' ')).toContain('@tensorflow/tfjs-node');
    await selectBackend('wasm');
  });
});

describe('missingKernels', () => {
  it('lists the forward and gradient kernels of a training step', async () => {
    const probe = convEmbeddingStep();
    const names = await kernelsUsedBy(probe.step);
    probe.dispose();
    expect(names).toEqual(
      expect.arrayContaining(['Conv2D', 'Conv2DBackpropFilter', 'GatherV2', 'UnsortedSegmentSum']),
    );
    expect(tf.getBackend()).toBe('wasm');
  });

  it('finds nothing missing on wasm once the patches are registered', async () => {
    const probe = convEmbeddingStep();
    expect(await missingKernels(probe.step)).toEqual([]);
    probe.dispose();
  });

  it('names the kernels a backend lacks', async () => {
    const probe = convEmbeddingStep();
    const missing = await missingKernels(probe.step, 'no-such-backend');
    probe.dispose();
    expect(missing).toEqual(expect.arrayContaining(['Conv2D', 'Conv2DBackpropFilter']));
    expect(kernelsMissingOn(['Conv2DBackpropFilter', 'FFT', 'FFT'], 'wasm')).toEqual(['FFT']);
  });
});
