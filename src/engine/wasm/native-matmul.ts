/**
 * BatchMatMul and _FusedMatMul on wasm computed by mmae's native kernels (AVX-512 / AVX2 FMA) in
 * place on the wasm heap. Transposes are absorbed by the kernels' packing, bias and activation
 * are applied in the same call. Cases the native kernel does not take (non-float32, batch
 * dimensions that broadcast other than "one side has batch 1", prelu, a bias that is not a
 * vector of N or 1) fall through to the previous kernel (the untransposed-matMul patch).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import { nativeKernels, type NativeKernels } from '../native/native-kernels.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

/** The activations addon.cc takes, by tf.fused.matMul's names (tfjs-backend-wasm numbers them otherwise). */
export const NATIVE_ACTIVATIONS: Readonly<Record<string, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leakyrelu: 3,
  sigmoid: 4,
  elu: 5,
};

interface MatMulAttrs {
  transposeA?: boolean;
  transposeB?: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

const product = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

/** The product's geometry, or undefined when the native kernel does not take these inputs. */
function geometry(a: tf.TensorInfo, b: tf.TensorInfo, attrs: MatMulAttrs) {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  if (a.shape.length < 2 || b.shape.length < 2) return undefined;
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = attrs.transposeA ? aCols : aRows;
  const k = attrs.transposeA ? aRows : aCols;
  const n = attrs.transposeB ? bRows : bCols;
  if ((attrs.transposeB ? bCols : bRows) !== k) return undefined;
  const batchShapeA = a.shape.slice(0, -2);
  const batchShapeB = b.shape.slice(0, -2);
  const batchA = product(batchShapeA);
  const batchB = product(batchShapeB);
  let batchShape: number[];
  try {
    batchShape = tf.broadcast_util.assertAndGetBroadcastShape(batchShapeA, batchShapeB);
  } catch {
    return undefined;
  }
  const batch = product(batchShape);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined;
  return { m, n, k, batch, batchA, batchB, outShape: [...batchShape, m, n] };
}

function nativeMatMul(kernels: NativeKernels, fallback: tf.KernelConfig): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b, bias, preluActivationWeights } = inputs as Record<string, tf.TensorInfo>;
    const options = attrs as MatMulAttrs;
    const activation = NATIVE_ACTIVATIONS[options.activation ?? 'linear'];
    const g = a && b ? geometry(a, b, options) : undefined;
    const biasSize = bias ? product(bias.shape) : 0;
    // A bias of one value, or a row of N (shape [N], [1, N], …) that every row of C adds.
    const biasFits =
      !bias ||
      (bias.dtype === 'float32' &&
        (biasSize === 1 || (biasSize === g?.n && bias.shape[bias.shape.length - 1] === g.n)));
    if (!g || activation === undefined || preluActivationWeights || !biasFits) {
      return fallback.kernelFunc({ inputs, backend, attrs });
    }
    const wasm = backend as unknown as WasmKernelBackend;
    // Allocate the output before reading the heap: a malloc may grow (and move) it.
    const out = wasm.makeOutput(g.outShape, 'float32');
    const heap = wasmHeap(backend);
    kernels.matMul(
      heap.buffer,
      heap.offset(a!),
      heap.offset(b!),
      heap.offset(out),
      bias ? heap.offset(bias) : -1,
      biasSize,
      g.batch,
      g.batchA,
      g.batchB,
      g.m,
      g.n,
      g.k,
      options.transposeA ? 1 : 0,
      options.transposeB ? 1 : 0,
      activation,
      options.leakyreluAlpha ?? 0.2,
    );
    return out;
  };
}

/**
 * The two patches, made from the kernels they fall back to (the untransposed-matMul patches);
 * none when the native kernels are off or not built.
 */
let patches: KernelPatch[] | undefined;

export function nativeMatMulPatches(fallbacks: readonly KernelPatch[]): KernelPatch[] {
  if (patches) return patches;
  const kernels = nativeKernels();
  if (!kernels) return [];
  patches = fallbacks.map(({ config }) => ({
    config: { ...config, kernelFunc: nativeMatMul(kernels, config) },
    kind: 'faster' as const,
    why:
      `mmae native kernel (${kernels.isa()}): ${config.kernelName} with FMA on the wasm heap, ` +
      'transposes absorbed; WebAssembly has no FMA and only 128-bit SIMD.',
    upstream: `tfjs-backend-wasm/src/cc/kernels/${config.kernelName}.cc, ${config.kernelName}`,
  }));
  return patches;
}
