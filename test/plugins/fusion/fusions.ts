/** The three fusions under test, with small options so the tests stay fast. */
import * as tf from '@tensorflow/tfjs';
import type { AnyFusionStrategy, FusionInstance } from '../../../src/fusion/contract.js';
import { useWasmBackend } from '../../support/backend.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { withSeededMathRandom } from '../../../src/random/with-seeded-math-random.js';
import { gatedFusion } from '../../../plugins/fusion-gated/fusion-gated.js';
import { tensorFusion } from '../../../plugins/fusion-tensor/fusion-tensor.js';
import { lowRankFusion } from '../../../plugins/fusion-low-rank/fusion-low-rank.js';

export const FUSION_CASES: readonly {
  name: string;
  strategy: AnyFusionStrategy;
  options: unknown;
}[] = [
  { name: 'gated (shared scorer)', strategy: gatedFusion as AnyFusionStrategy, options: {} },
  {
    name: 'gated (per-modality scorer)',
    strategy: gatedFusion as AnyFusionStrategy,
    options: { sharedScorer: false, valueSize: 16 },
  },
  { name: 'tensor', strategy: tensorFusion as AnyFusionStrategy, options: { projectTo: 4 } },
  { name: 'low-rank', strategy: lowRankFusion as AnyFusionStrategy, options: {} },
];

/** The fusions run on wasm, chosen as every test chooses a backend (test/support/backend.ts). */
export async function useWasm(): Promise<void> {
  await useWasmBackend();
}

export function buildFusion(
  strategy: AnyFusionStrategy,
  rawOptions: unknown,
  modalities: readonly string[],
  inputSize: number,
  outputSize: number,
  seed = 7,
): FusionInstance {
  const options = strategy.optionsSchema.parse(rawOptions);
  return withSeededMathRandom(seed, () =>
    strategy.create({ modalities, inputSize, outputSize, options }),
  );
}

/** [rows, cols] of seeded N(0,1)-ish values (uniform in [-1.7, 1.7], unit variance). */
export function randomMatrix(random: SeededRandom, rows: number, cols: number): tf.Tensor2D {
  const values = Float32Array.from({ length: rows * cols }, () => (random.next() * 2 - 1) * 1.7);
  return tf.tensor2d(values, [rows, cols]);
}

export function disposeFusion(fusion: FusionInstance): void {
  for (const layer of fusion.layers) if (layer.built) layer.dispose();
}
