/**
 * Identity on wasm shares its input's buffer (one more reference) instead of copying it, as the
 * cpu backend's Identity and the wasm Reshape already do. tfjs keeps every tensor a gradient
 * needs through Identity (`clone` in the engine's save for backward), so the wasm copy ran on
 * every saved input of every op while training: ~4.8 ms of each 78 ms W2 step copied weights and
 * activations. Tensors are immutable and the backend counts references, so sharing is safe.
 */
import type * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';

interface ReferenceCountingBackend {
  incRef(dataId: tf.DataId): void;
}

let patch: KernelPatch | undefined;

/** Made from tfjs-backend-wasm's own Identity, which still handles strings. */
export function sharedIdentityPatch(original: tf.KernelConfig): KernelPatch {
  patch ??= {
    config: {
      ...original,
      kernelFunc: (args) => {
        const x = args.inputs['x'] as tf.TensorInfo;
        if (x.dtype === 'string') return original.kernelFunc(args);
        (args.backend as unknown as ReferenceCountingBackend).incRef(x.dataId);
        return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
      },
    },
    kind: 'faster',
    why:
      "tfjs-backend-wasm's Identity copies its input; tfjs clones every tensor a gradient keeps " +
      'through it, so mmae shares the buffer (reference counted) as the cpu backend does.',
    upstream: 'tfjs-backend-wasm/src/kernels/Identity.ts, identity',
  };
  return patch;
}
