/**
 * Records for mmae's own wasm kernels that run on the native addon (dense gradient, the two
 * losses): made once from the loaded addon, and none when it is off or not built, so the ops that
 * use them fall back to tfjs's composition.
 */
import type * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import { nativeKernels, type NativeKernels } from '../native/native-kernels.js';

/** `what` completes "mmae native kernel (avx512): …" in `mmae doctor`. */
export function nativeKernelPatches(
  make: (kernels: NativeKernels) => Record<string, tf.KernelFunc>,
  what: string,
): () => KernelPatch[] {
  let patches: KernelPatch[] | undefined;
  return () => {
    const kernels = nativeKernels();
    if (!kernels) return [];
    patches ??= Object.entries(make(kernels)).map(([kernelName, kernelFunc]) => ({
      config: { kernelName, backendName: 'wasm', kernelFunc },
      kind: 'missing' as const,
      why: `mmae native kernel (${kernels.isa()}): ${what}`,
      upstream: 'none: a kernel of mmae’s own (src/ops/kernels.ts)',
    }));
    return patches;
  };
}
