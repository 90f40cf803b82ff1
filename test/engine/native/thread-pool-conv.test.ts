import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, it } from 'vitest';
import { nativeKernels } from '../../../src/engine/index.js';
import type {
  PoolShapeNumbers,
  ResizeShapeNumbers,
} from '../../../src/engine/native/native-kernels.js';
import { bitsPerThreadCount, expectSameBits, heapOf, seeded } from '../../support/thread-bits.js';

// The convolution, resize and pooling kernels split across the pool (conv2d.cc by chunks of
// images, conv2d-direct.cc by output rows, images and fixed chunks of images for the filter
// gradient, resize.cc and max-pool.cc by output rows forward and by images backward). Each case
// is above or below the size at which its kernel splits; every output must have the same bits
// on 1, 2 and 3 threads.

const native = nativeKernels();
const initialThreads = native?.threads() ?? 1;
afterEach(() => native?.setThreads(initialThreads));

type Shape4 = [number, number, number, number];

interface ConvCase {
  readonly name: string;
  readonly x: Shape4;
  readonly filter: Shape4;
  readonly strides: number | [number, number];
  readonly pad: 'same' | 'valid';
  readonly dilations?: number;
}

// Multiply-adds in brackets; conv2d.cc splits chunks of at least 2^20 of them, the direct loops
// (≤ 3 output channels) parts of at least 2^20.
const CONV_CASES: readonly ConvCase[] = [
  // im2col + GEMM, split over chunks of images
  {
    name: 'odd 15×13, same, stride 1 (3.6M)',
    x: [16, 15, 13, 8],
    filter: [3, 3, 8, 16],
    strides: 1,
    pad: 'same',
  },
  {
    name: 'odd 33×29, same, stride 2 (26M)',
    x: [24, 33, 29, 12],
    filter: [3, 3, 12, 40],
    strides: 2,
    pad: 'same',
  },
  {
    name: '23×19, valid, strides 2×1, 3×2 filter (2.7M)',
    x: [10, 23, 19, 7],
    filter: [3, 2, 7, 33],
    strides: [2, 1],
    pad: 'valid',
  },
  {
    name: '21×21, same, dilation 2 (13M)',
    x: [12, 21, 21, 6],
    filter: [3, 3, 6, 20],
    strides: 1,
    pad: 'same',
    dilations: 2,
  },
  {
    name: '1×1 filter, columns read in place (6.4M)',
    x: [16, 14, 14, 32],
    filter: [1, 1, 32, 64],
    strides: 1,
    pad: 'valid',
  },
  // one image: the chunks run one after another, each product split inside (gemm.cc)
  {
    name: 'one image 40×36, same (10M)',
    x: [1, 40, 36, 16],
    filter: [3, 3, 16, 48],
    strides: 1,
    pad: 'same',
  },
  // below the split size: one thread
  {
    name: 'small 5×6, valid (below)',
    x: [2, 5, 6, 3],
    filter: [2, 2, 3, 4],
    strides: 1,
    pad: 'valid',
  },
  {
    name: 'odd 17×11, same, stride 2 (0.5M, below)',
    x: [9, 17, 11, 5],
    filter: [3, 3, 5, 24],
    strides: 2,
    pad: 'same',
  },
  // the direct loops (1–3 output channels)
  {
    name: 'direct 28×28 → 1 channel, same (29M)',
    x: [12, 28, 28, 32],
    filter: [3, 3, 32, 1],
    strides: 1,
    pad: 'same',
  },
  {
    name: 'direct odd 31×27 → 3, valid, stride 2, 5×3 filter (75M)',
    x: [24, 31, 27, 16],
    filter: [5, 3, 16, 3],
    strides: 2,
    pad: 'valid',
  },
  {
    name: 'direct 20×20 → 2, same, dilation 2 (9.2M)',
    x: [10, 20, 20, 8],
    filter: [3, 3, 8, 2],
    strides: 1,
    pad: 'same',
    dilations: 2,
  },
  {
    name: 'direct odd 19×23 → 3, same, stride 2 (0.9M, below)',
    x: [7, 19, 23, 9],
    filter: [3, 3, 9, 3],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'direct small 6×5 → 2 (below)',
    x: [3, 6, 5, 4],
    filter: [3, 3, 4, 2],
    strides: 1,
    pad: 'same',
  },
];

/** conv2d.cc's 15 shape numbers, as native-conv2d.ts computes them. */
function convShape(c: ConvCase): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    c.dilations ?? 1,
    c.pad,
    undefined,
    false,
    'channelsLast',
  );
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

interface ResizeCase {
  readonly name: string;
  readonly x: Shape4;
  readonly size: [number, number];
  readonly alignCorners?: boolean;
  readonly halfPixelCenters?: boolean;
}

// resize.cc splits parts of at least 2^18 output floats (forward) or images of 2^18 dy floats.
const RESIZE_CASES: readonly ResizeCase[] = [
  { name: '×2, 28×28×32 (above)', x: [8, 28, 28, 32], size: [56, 56] },
  {
    name: '×2, 28×28×32, half-pixel centres (above)',
    x: [8, 28, 28, 32],
    size: [56, 56],
    halfPixelCenters: true,
  },
  {
    name: 'odd 37×29 → 50×41, align corners (above)',
    x: [6, 37, 29, 24],
    size: [50, 41],
    alignCorners: true,
  },
  { name: 'down 96×80 → 45×37 (above)', x: [24, 96, 80, 24], size: [45, 37] },
  { name: 'down 64×48 → 27×20 (below)', x: [5, 64, 48, 16], size: [27, 20] },
  { name: 'small 5×7 → 10×14 (below)', x: [2, 5, 7, 3], size: [10, 14] },
];

interface PoolCase {
  readonly name: string;
  readonly x: Shape4;
  readonly filter: number;
  readonly stride: number;
  readonly pad: 'same' | 'valid';
}

// max-pool.cc splits parts that read at least 2^18 input floats.
const POOL_CASES: readonly PoolCase[] = [
  {
    name: '2×2 stride 2 valid, 56×56×32 (above)',
    x: [16, 56, 56, 32],
    filter: 2,
    stride: 2,
    pad: 'valid',
  },
  {
    name: '3×3 stride 1 same, odd 29×31×24 (above)',
    x: [6, 29, 31, 24],
    filter: 3,
    stride: 1,
    pad: 'same',
  },
  {
    name: '3×3 stride 2 same, odd 25×23×20 (below)',
    x: [9, 25, 23, 20],
    filter: 3,
    stride: 2,
    pad: 'same',
  },
  {
    name: '2×2 stride 1 valid, small 5×5×3 (below)',
    x: [2, 5, 5, 3],
    filter: 2,
    stride: 1,
    pad: 'valid',
  },
];

function poolShape(c: PoolCase): PoolShapeNumbers {
  const info = tf.backend_util.computePool2DInfo(
    c.x,
    c.filter,
    c.stride,
    1,
    c.pad,
    undefined,
    'channelsLast',
  );
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

describe.skipIf(native === undefined)('native convolutions on several threads', () => {
  it.each(CONV_CASES)('$name: forward, input and filter gradient have the same bits', (c) => {
    const shape = convShape(c);
    const [batch, , , , outH, outW, outC] = shape as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const xSize = size(c.x);
    const wSize = size(c.filter);
    const ySize = batch * outH * outW * outC;
    const { heap, at } = heapOf(
      [seeded(1, xSize), seeded(2, wSize), seeded(3, outC), seeded(4, ySize)],
      ySize + xSize + wSize,
    );
    const [x, w, bias, dy, y] = at as [number, number, number, number, number];
    const dx = y + ySize * 4;
    const dw = dx + xSize * 4;
    const k = native!;
    for (const [activation, withBias] of [
      [1, true], // relu with a bias per channel
      [0, false],
    ] as const) {
      expectSameBits(
        bitsPerThreadCount(k, () => {
          k.conv2d(
            heap,
            x,
            w,
            withBias ? bias : -1,
            withBias ? outC : 0,
            y,
            activation,
            0.2,
            ...shape,
          );
          return new Uint32Array(heap, y, ySize);
        }),
      );
    }
    expectSameBits(
      bitsPerThreadCount(k, () => {
        k.conv2dBackpropInput(heap, dy, w, dx, ...shape);
        return new Uint32Array(heap, dx, xSize);
      }),
    );
    expectSameBits(
      bitsPerThreadCount(k, () => {
        k.conv2dBackpropFilter(heap, x, dy, dw, ...shape);
        return new Uint32Array(heap, dw, wSize);
      }),
    );
  });
});

describe.skipIf(native === undefined)('native resizes on several threads', () => {
  it.each(RESIZE_CASES)(
    '$name: nearest and bilinear, forward and gradient have the same bits',
    (c) => {
      const [batch, inH, inW, channels] = c.x;
      const xSize = size(c.x);
      const ySize = batch * c.size[0] * c.size[1] * channels;
      const { heap, at } = heapOf([seeded(5, xSize), seeded(6, ySize)], ySize + xSize);
      const [x, dy, y] = at as [number, number, number];
      const dx = y + ySize * 4;
      const k = native!;
      for (const bilinear of [0, 1]) {
        const shape: ResizeShapeNumbers = [
          batch,
          inH,
          inW,
          channels,
          c.size[0],
          c.size[1],
          bilinear,
          c.alignCorners ? 1 : 0,
          c.halfPixelCenters ? 1 : 0,
        ];
        expectSameBits(
          bitsPerThreadCount(k, () => {
            k.resize(heap, x, y, ...shape);
            return new Uint32Array(heap, y, ySize);
          }),
        );
        expectSameBits(
          bitsPerThreadCount(k, () => {
            k.resizeGrad(heap, dx, dy, ...shape);
            return new Uint32Array(heap, dx, xSize);
          }),
        );
      }
    },
  );
});

describe.skipIf(native === undefined)('native max pooling on several threads', () => {
  it.each(POOL_CASES)('$name: forward and gradient have the same bits, ties included', (c) => {
    const shape = poolShape(c);
    const [batch, , , channels, outH, outW] = shape;
    const xSize = size(c.x);
    const ySize = batch * outH * outW * channels;
    // Whole numbers from −3 to 3: most windows hold ties, which go to the first maximum.
    const { heap, at } = heapOf(
      [seeded(7, xSize).map((v) => Math.round(3 * v)), seeded(8, ySize)],
      ySize + xSize,
    );
    const [x, dy, y] = at as [number, number, number];
    const dx = y + ySize * 4;
    const k = native!;
    expectSameBits(
      bitsPerThreadCount(k, () => {
        k.maxPool(heap, x, y, ...shape);
        return new Uint32Array(heap, y, ySize);
      }),
    );
    expectSameBits(
      bitsPerThreadCount(k, () => {
        k.maxPoolGrad(heap, x, dy, dx, ...shape);
        return new Uint32Array(heap, dx, xSize);
      }),
    );
  });
});
