/** Tiny MNIST configs for the child-process training tests, and helpers to read their runs. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  disposeNamedTensors,
  loadCheckpoint,
  readMetrics,
  sha256File,
} from '../../src/runs/index.js';

export interface TinyConfigOptions {
  readonly name?: string;
  readonly trainLimit?: number;
  readonly epochs?: number;
  readonly optimizer?: string;
  readonly learningRate?: number;
  readonly likelihood?: 'gaussian' | 'bernoulli';
}

/** A YAML config: MNIST subset, the seed's small MLP, batch 50, wasm. */
export function tinyConfigYaml(o: TinyConfigOptions = {}): string {
  return `name: ${o.name ?? 'reliability'}
seed: 11
backend: wasm
dataset:
  id: mnist
  options: { trainLimit: ${o.trainLimit ?? 2000}, validationSize: 100, testLimit: 100 }
modalities:
  - id: image
    options: { hiddenSizes: [64, 32], likelihood: ${o.likelihood ?? 'gaussian'} }
model: { variant: standard, latentSize: 8 }
training:
  epochs: ${o.epochs ?? 4}
  batchSize: 50
  optimizer: { name: ${o.optimizer ?? 'adam'}, learningRate: ${o.learningRate ?? 0.001} }
`;
}

/** The epochs listed in a run's metrics.jsonl, in file order (a torn last line is ignored). */
export async function metricEpochs(runDir: string): Promise<number[]> {
  return (await readMetrics(runDir)).map((record) => record.epoch as number);
}

/** Loads a run's checkpoint and returns its weights as plain arrays by name. */
export async function checkpointWeights(runDir: string): Promise<Map<string, Float32Array>> {
  const loaded = await loadCheckpoint(runDir);
  const weights = new Map(loaded.weights.map((w) => [w.name, w.tensor.dataSync() as Float32Array]));
  disposeNamedTensors(loaded.weights);
  disposeNamedTensors(loaded.optimizer);
  return weights;
}

/** Every file the run's manifest lists has the size and SHA-256 it records. */
export async function expectChecksumsMatch(runDir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as {
    files: Record<string, { sha256: string; bytes: number }>;
  };
  expect(Object.keys(manifest.files)).toContain('weights.bin');
  for (const [name, entry] of Object.entries(manifest.files)) {
    expect(await sha256File(join(runDir, name)), name).toBe(entry.sha256);
  }
}

export function maxAbsDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let max = 0;
  for (const [name, values] of a) {
    const other = b.get(name) as Float32Array;
    expect(other.length, name).toBe(values.length);
    for (let i = 0; i < values.length; i++) {
      max = Math.max(max, Math.abs((values[i] as number) - (other[i] as number)));
    }
  }
  return max;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
