import { afterEach, describe, expect, it } from 'vitest';
import { nativeKernels, type NativeKernels } from '../../../src/engine/index.js';

const native = nativeKernels();
type AdamArguments =
  Parameters<NativeKernels['adam']> extends [unknown, ...infer Rest] ? Rest : never;
const initialThreads = native?.threads() ?? 1;

/** Seeded uniform floats in [−1, 1) (mulberry32), so every run sees the same operands. */
function seeded(seed: number, count: number): Float32Array {
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
function heapOf(arrays: Float32Array[], extra: number): { heap: ArrayBuffer; at: number[] } {
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
function bitsPerThreadCount(run: () => Uint32Array): Uint32Array[] {
  return [1, 2, 3].map((threads) => {
    native!.setThreads(threads);
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
function expectSameBits([one, two, three]: Uint32Array[]): void {
  expect(firstDifference(two!, one!)).toBe(-1);
  expect(firstDifference(three!, one!)).toBe(-1);
}

afterEach(() => native?.setThreads(initialThreads));

// Shapes large enough to be split (gemm.cc: 2^22 multiply-adds per part) in every product of
// the forward pass and the gradient, ragged against the 12×32 / 6×16 tiles and the 256-wide K
// slice; the last has one column panel (16 outputs), so it is split over row blocks instead.
const shapes = [
  [128, 512, 784],
  [130, 333, 517],
  [64, 784, 256],
  [1024, 16, 2048],
] as const;

describe.skipIf(native === undefined)('the native kernels on several threads', () => {
  it('default to every core the process may run on, and keep a setting', () => {
    expect(native!.defaultThreads()).toBeGreaterThanOrEqual(1);
    native!.setThreads(3);
    expect(native!.threads()).toBe(3);
  });

  it('reject a thread count below 1 or not an integer', () => {
    expect(() => native!.setThreads(0)).toThrow(/integer ≥ 1/);
    expect(() => native!.setThreads(1.5)).toThrow(/integer ≥ 1/);
  });

  it.each(shapes)(
    'the dense forward product %i×%i over K=%i has the same bits on 1, 2 and 3 threads',
    (m, n, k) => {
      const a = seeded(m, m * k);
      const b = seeded(n, k * n);
      const bias = seeded(k, n);
      for (const [transposeA, transposeB] of [
        [0, 0],
        [1, 0],
        [0, 1],
      ] as const) {
        const { heap, at } = heapOf([a, b, bias], m * n);
        const out = new Uint32Array(heap, at[3], m * n);
        expectSameBits(
          bitsPerThreadCount(() => {
            native!.matMul(
              heap,
              at[0]!,
              at[1]!,
              at[3]!,
              at[2]!,
              n,
              1,
              1,
              1,
              m,
              n,
              k,
              transposeA,
              transposeB,
              1,
              0,
            );
            return out;
          }),
        );
      }
    },
  );

  it('a batch of products has the same bits on 1, 2 and 3 threads', () => {
    const [batch, m, n, k] = [6, 100, 256, 330]; // 8.4M multiply-adds a matrix
    const { heap, at } = heapOf(
      [seeded(1, batch * m * k), seeded(2, batch * k * n)],
      batch * m * n,
    );
    const out = new Uint32Array(heap, at[2], batch * m * n);
    expectSameBits(
      bitsPerThreadCount(() => {
        native!.matMul(
          heap,
          at[0]!,
          at[1]!,
          at[2]!,
          -1,
          0,
          batch,
          batch,
          batch,
          m,
          n,
          k,
          0,
          0,
          0,
          0,
        );
        return out;
      }),
    );
  });

  it.each(shapes)(
    'the dense gradient (dx, dW, db) of a %i-row batch, %i outputs, %i inputs has the same bits on 1, 2 and 3 threads',
    (batch, outputs, inputs) => {
      const x = seeded(1, batch * inputs);
      const w = seeded(2, inputs * outputs);
      const y = seeded(3, batch * outputs).map(Math.abs); // a ReLU's output
      const dy = seeded(4, batch * outputs);
      const sizes = [batch * inputs, inputs * outputs, outputs];
      const { heap, at } = heapOf([x, w, y, dy], sizes[0]! + sizes[1]! + sizes[2]!);
      const dx = at[4]!;
      const dw = dx + sizes[0]! * 4;
      const db = dw + sizes[1]! * 4;
      const out = new Uint32Array(heap, dx, sizes[0]! + sizes[1]! + sizes[2]!);
      expectSameBits(
        bitsPerThreadCount(() => {
          native!.denseGrad(
            heap,
            at[0]!,
            at[1]!,
            at[2]!,
            at[3]!,
            dx,
            dw,
            db,
            batch,
            inputs,
            outputs,
            1,
            0,
          );
          return out;
        }),
      );
    },
  );

  it('the Adam step over 300,001 parameters has the same bits on 1, 2 and 3 threads', () => {
    const n = 300_001;
    const v = seeded(3, n).map(Math.abs);
    const { heap, at } = heapOf([seeded(1, n), seeded(2, n), v, seeded(4, n)], 3 * n);
    const outputs = [0, 1, 2].map((i) => at[4]! + i * n * 4) as [number, number, number];
    const out = new Uint32Array(heap, outputs[0], 3 * n);
    const constants = [0.9, 0.999, 0.1, 0.001, 0.271, 0.002997, 1e-7, -1e-3].map(Math.fround);
    const step = [at[0]!, at[1]!, at[2]!, at[3]!, ...outputs, n, ...constants];
    expectSameBits(
      bitsPerThreadCount(() => {
        native!.adam(heap, ...(step as AdamArguments));
        return out;
      }),
    );
  });
});
