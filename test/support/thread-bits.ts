/**
 * Helpers for the tests that a native kernel's output has the same bits on any number of threads:
 * seeded operands, a heap holding them, and the bits of what a kernel writes on 1, 2 and 3 threads.
 */
import { expect } from 'vitest';
import type { NativeKernels } from '../../src/engine/index.js';

/** Seeded uniform floats in [−1, 1) (mulberry32), so every run sees the same operands. */
export function seeded(seed: number, count: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** A heap holding the given arrays one after another, and each one's byte offset. */
export function heapOf(arrays: Float32Array[], extra: number): { heap: ArrayBuffer; at: number[] } {
  const total = arrays.reduce((sum, a) => sum + a.length, 0) + extra;
  const heap = new ArrayBuffer(total * 4);
  const view = new Float32Array(heap);
  const at: number[] = [];
  let next = 0;
  for (const a of arrays) {
    view.set(a, next);
    at.push(next * 4);
    next += a.length;
  }
  at.push(next * 4); // where the outputs start
  return { heap, at };
}

/** The bits of the outputs that `run` writes with 1, 2 and 3 threads. */
export function bitsPerThreadCount(native: NativeKernels, run: () => Uint32Array): Uint32Array[] {
  return [1, 2, 3].map((threads) => {
    native.setThreads(threads);
    return run().slice();
  });
}

/** Where two bit patterns first differ, or −1 (a loop: deep equality of 10^5 numbers is slow). */
function firstDifference(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** The outputs' bits on 2 and 3 threads equal those on 1. */
export function expectSameBits([one, two, three]: Uint32Array[]): void {
  expect(firstDifference(two!, one!)).toBe(-1);
  expect(firstDifference(three!, one!)).toBe(-1);
}
