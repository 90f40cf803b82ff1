/** Small seeded checkpoints in temp directories, shared by the runs tests. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../src/random/seeded-random.js';
import type { CheckpointInput, NamedTensor } from '../../src/runs/index.js';

/**
 * `inMemory` puts the directory on tmpfs where there is one: the crash tests make hundreds of
 * saves and test their logic, not the disk, so they need not wait on a busy shared disk.
 */
export async function makeTempDir(
  inMemory = false,
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const base = inMemory && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = await mkdtemp(join(base, 'mmae-runs-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const WEIGHT_SHAPES: readonly { name: string; shape: number[] }[] = [
  { name: 'encoder.image/dense_1/kernel', shape: [6, 4] },
  { name: 'encoder.image/dense_1/bias', shape: [4] },
  { name: 'decoder.image/dense_2/kernel', shape: [2, 6] },
];

function randomTensor(random: SeededRandom, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => random.normal()), shape);
}

export function makeWeights(seed: number): NamedTensor[] {
  const random = new SeededRandom(seed);
  return WEIGHT_SHAPES.map(({ name, shape }) => ({ name, tensor: randomTensor(random, shape) }));
}

export function makeOptimizerState(seed: number): NamedTensor[] {
  const random = new SeededRandom(seed + 1000);
  return [
    { name: 'iter', tensor: tf.scalar(seed, 'int32') },
    { name: 'encoder.image/dense_1/kernel/m', tensor: randomTensor(random, [6, 4]) },
  ];
}

/** A complete checkpoint whose every part depends on `seed`. Dispose with disposeInput. */
export function makeInput(seed: number): CheckpointInput {
  return {
    weights: makeWeights(seed),
    optimizer: makeOptimizerState(seed),
    topology: { 'encoder.image': { class_name: 'Sequential', config: { name: `enc${seed}` } } },
    trainerState: { epoch: seed, step: seed * 10, bestValidationLoss: 1 / (seed + 1), seeds: [seed] },
    pluginState: { image: { mean: seed / 10 } },
    config: { name: 'test', seed },
    metadata: { latentSize: 2, modalities: ['image'] },
  };
}

export function disposeInput(input: CheckpointInput): void {
  for (const { tensor } of [...input.weights, ...(input.optimizer ?? [])]) tensor.dispose();
}

/** The exact bytes of each tensor, so comparisons are bit-exact (NaN and -0 included). */
export function tensorBytes(tensors: readonly NamedTensor[]): Record<string, number[]> {
  return Object.fromEntries(
    tensors.map(({ name, tensor }) => {
      const data = tensor.dataSync();
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      return [name, [...tensor.shape, -1, ...bytes]];
    }),
  );
}
