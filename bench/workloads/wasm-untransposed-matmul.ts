/**
 * A prototype kernel patch for src/backend/wasm-kernels/: BatchMatMul and _FusedMatMul on wasm
 * with transposeA/transposeB run as an explicit Transpose kernel plus the untransposed product.
 *
 * Why: in tfjs-backend-wasm 4.22 the transposed products are ~11× slower than the plain one
 * (BENCHMARKS.md: 5.4–5.8 ms vs 0.42–0.49 ms CPU for W1's 64×784×128 products), and every
 * matMul gradient (dX = dy·Wᵀ, dW = xᵀ·dy) uses them, so every dense layer's training step
 * (tf.layers.dense included) pays it. Patching the kernel fixes all callers at once, unlike
 * dense-plain-grad.ts, which fixes only layers written with it.
 *
 * Call after `await tf.setBackend('wasm')` or at least after importing the wasm package; the
 * original kernels are captured when this runs.
 */
import * as tf from '@tensorflow/tfjs';

interface DisposingBackend {
  disposeData(dataId: tf.DataId): boolean;
}

function untransposed(kernelName: string): tf.KernelConfig {
  const original = tf.getKernel(kernelName, 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) {
    throw new Error(
      `wasm kernels ${kernelName}/Transpose are not registered; import the wasm backend first`,
    );
  }
  return {
    ...original,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { transposeA, transposeB } = attrs as { transposeA?: boolean; transposeB?: boolean };
      if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
      const temps: tf.TensorInfo[] = [];
      const flip = (t: tf.TensorInfo): tf.TensorInfo => {
        const rank = t.shape.length;
        const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
        const out = transpose.kernelFunc({
          inputs: { x: t },
          backend,
          attrs: { perm },
        }) as tf.TensorInfo;
        temps.push(out);
        return out;
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

let installed = false;

/** Replaces the two wasm kernels (idempotent). */
export function installUntransposedMatMul(): void {
  if (installed) return;
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const config = untransposed(name);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
  installed = true;
}
