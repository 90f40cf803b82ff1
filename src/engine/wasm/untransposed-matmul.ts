/**
 * BatchMatMul and _FusedMatMul on wasm with transposeA/transposeB run as an explicit Transpose
 * kernel followed by the plain product. In tfjs-backend-wasm 4.22 the transposed products are
 * about 11× slower than the plain one (BENCHMARKS.md: 5.4 ms against 0.49 ms for a 64×784×128
 * product), and every matMul gradient (dX = dy·Wᵀ, dW = xᵀ·dy) uses them, so every dense layer's
 * training step paid it: the seed's MLP trained 2.6× faster per epoch with this patch.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';

interface DisposingBackend {
  disposeData(dataId: tf.DataId): boolean;
}

function untransposed(original: tf.KernelConfig, transpose: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { transposeA, transposeB } = attrs as { transposeA?: boolean; transposeB?: boolean };
      if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
      const temps: tf.TensorInfo[] = [];
      const flip = (t: tf.TensorInfo): tf.TensorInfo => {
        const rank = t.shape.length;
        const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
        const out = transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } });
        temps.push(out as tf.TensorInfo);
        return out as tf.TensorInfo;
      };
      const a = transposeA ? flip(inputs.a as tf.TensorInfo) : (inputs.a as tf.TensorInfo);
      const b = transposeB ? flip(inputs.b as tf.TensorInfo) : (inputs.b as tf.TensorInfo);
      const out = original.kernelFunc({
        inputs: { ...inputs, a, b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
      for (const t of temps) (backend as unknown as DisposingBackend).disposeData(t.dataId);
      return out;
    },
  };
}

let patches: KernelPatch[] | undefined;

/**
 * The two patches, made once from the wasm package's own kernels (so they must be created after
 * @tensorflow/tfjs-backend-wasm has registered them, and never wrap themselves).
 */
export function untransposedMatMulPatches(): KernelPatch[] {
  if (patches) return patches;
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) return [];
  patches = ['BatchMatMul', '_FusedMatMul'].flatMap((name) => {
    const original = tf.getKernel(name, 'wasm');
    if (!original) return [];
    return [
      {
        config: untransposed(original, transpose),
        kind: 'faster' as const,
        why:
          `tfjs-backend-wasm's ${name} with a transposed operand is ~11× slower than without; ` +
          'mmae transposes first, which speeds up every matMul gradient.',
        upstream: `tfjs-backend-wasm/src/cc/kernels/${name}.cc, ${name} (transpose_a, transpose_b)`,
      },
    ];
  });
  return patches;
}
