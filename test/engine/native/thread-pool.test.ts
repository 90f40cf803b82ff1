import { afterEach, describe, expect, it } from 'vitest';
import { nativeKernels, type NativeKernels } from '../../../src/engine/index.js';
import {
  bitsPerThreadCount as bitsOn,
  expectSameBits,
  heapOf,
  seeded,
} from '../../support/thread-bits.js';

const native = nativeKernels();
type AdamArguments =
  Parameters<NativeKernels['adam']> extends [unknown, ...infer Rest] ? Rest : never;
const initialThreads = native?.threads() ?? 1;
const bitsPerThreadCount = (run: () => Uint32Array) => bitsOn(native!, run);

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

  it('count where their time goes only when MMAE_POOL_STATS=1 asks (the benchmarks)', () => {
    const stats = native!.poolStats();
    expect(stats).toHaveLength(4);
    if (process.env['MMAE_POOL_STATS'] !== '1') expect(stats).toEqual([0, 0, 0, 0]);
    const before = native!.threadCpuSeconds();
    let sum = 0;
    for (let i = 0; i < 2e6; i++) sum += i;
    expect(sum).toBeGreaterThan(0);
    expect(native!.threadCpuSeconds()).toBeGreaterThan(before);
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
