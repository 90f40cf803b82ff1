import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nativeKernels } from '../../../src/engine/index.js';
import { simdAdamStep, type WasmMemory } from '../../../src/engine/adam/fused-adam-simd.js';

const native = nativeKernels();
const f32 = Math.fround;

type Eight = [number, number, number, number, number, number, number, number];
/** WebAssembly.Memory (the project's lib has no wasm types): one 64 KiB page. */
const Memory = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (d: { initial: number }) => WasmMemory };
  }
).WebAssembly.Memory;

type Seven = [number, number, number, number, number, number, number];

describe.skipIf(native === undefined)('the native Adam step', () => {
  it('writes the same bits as the WebAssembly SIMD step, which equals tf.train.adam', () => {
    const n = 1000;
    const memory = new Memory({ initial: 1 });
    const heap = new Float32Array(memory.buffer);
    const inputs = tf.tidy(() =>
      ['x', 'm', 'v', 'g'].map((_, i) => tf.randomNormal([n], 0, 1, 'float32', i).dataSync()),
    );
    inputs[2] = inputs[2]!.map(Math.abs); // second moments are never negative
    inputs.forEach((values, i) => heap.set(values, i * n));
    const bytes = (slot: number) => slot * n * 4;
    // Typical constants at step 3 of Adam(1e-3): rounded to float32 as the kernel receives them.
    const constants = [0.9, 0.999, 0.1, 0.001, 1 - 0.9 ** 3, 1 - 0.999 ** 3, 1e-7, -1e-3].map(
      f32,
    ) as Eight;
    const step = (outSlot: number) =>
      [0, 1, 2, 3, outSlot, outSlot + 1, outSlot + 2].map(bytes) as Seven;
    simdAdamStep(memory)!(...step(4), n, ...constants);
    native!.adam(memory.buffer, ...step(7), n, ...constants);
    const simd = new Uint32Array(memory.buffer, bytes(4), 3 * n);
    const ours = new Uint32Array(memory.buffer, bytes(7), 3 * n);
    expect(Array.from(ours)).toEqual(Array.from(simd));
    expect(simd.some((bits) => bits !== 0)).toBe(true);
  });

  it('refuses a run that ends outside the heap', () => {
    const memory = new Memory({ initial: 1 });
    const constants = [0.9, 0.999, 0.1, 0.001, 0.1, 0.001, 1e-7, -1e-3] as const;
    expect(() => native!.adam(memory.buffer, 0, 0, 0, 0, 0, 0, 65000, 1000, ...constants)).toThrow(
      /vOut at byte 65000 with 1000 floats lies outside the 65536-byte heap/,
    );
  });
});
