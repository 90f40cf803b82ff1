/** Helpers for checking a wasm kernel patch against the cpu backend, the reference. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { useBackend, useWasmBackend } from './backend.js';

/** The same computation run on the cpu backend; switches back to wasm after. */
export async function onCpu(fn: () => tf.Tensor): Promise<Float32Array> {
  await useBackend('cpu');
  const out = tf.tidy(fn);
  const values = (await out.data()) as Float32Array;
  out.dispose();
  await useWasmBackend();
  return values;
}

/** Largest absolute difference between two equally long arrays. */
export function largestGap(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let out = 0;
  a.forEach((v, i) => (out = Math.max(out, Math.abs(v - b[i]!))));
  return out;
}

/**
 * `arrays()` run on wasm, where it must leave no tensor behind, then on cpu (the reference);
 * switches back to wasm. Returns [wasm, cpu].
 */
export async function onWasmAndCpu(
  arrays: () => Float32Array[],
): Promise<[Float32Array[], Float32Array[]]> {
  const before = tf.memory().numTensors;
  const wasm = arrays();
  expect(tf.memory().numTensors).toBe(before);
  await useBackend('cpu');
  const cpu = arrays();
  await useWasmBackend();
  return [wasm, cpu];
}
