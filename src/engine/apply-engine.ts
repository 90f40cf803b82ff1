/**
 * Which of the engine's patches each backend gets, and applying them. Backend selection
 * (src/backend/select-backend.ts) calls applyEngine for the backend it starts; nothing else in
 * mmae patches tfjs, and importing mmae patches nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../errors/errors.js';
import { CPU_KERNEL_PATCHES } from './cpu/cpu-kernel-patches.js';
import {
  applyKernelPatches,
  applyTfjsPatches,
  type AppliedKernelPatch,
  type AppliedTfjsPatch,
  type KernelPatch,
  type TfjsPatch,
} from './patch.js';
import { convLayerCallPatch } from './tfjs/conv-layer-call.js';
import { denseLayerCallPatch } from './tfjs/dense-layer-call.js';
import { reductionGradientsPatch } from './tfjs/reduction-gradients.js';
import { sharedSavesPatch } from './tfjs/shared-saves.js';
import { wasmKernelPatches } from './wasm/wasm-kernel-patches.js';

interface BackendPatches {
  readonly kernels: () => readonly KernelPatch[];
  readonly tfjs: readonly TfjsPatch[];
}

/** wasm gets cpu's fixes too: its borrowed kernels and kernel listing run on cpu. */
const PATCHES_BY_BACKEND: Readonly<Record<string, BackendPatches>> = {
  wasm: {
    kernels: () => [...CPU_KERNEL_PATCHES, ...wasmKernelPatches()],
    tfjs: [reductionGradientsPatch, sharedSavesPatch, denseLayerCallPatch, convLayerCallPatch],
  },
  cpu: { kernels: () => CPU_KERNEL_PATCHES, tfjs: [reductionGradientsPatch] },
};

/** Backends with no kernel patches (tfjs-node's 'tensorflow') still get the faster gradients. */
const OTHER_BACKENDS: BackendPatches = { kernels: () => [], tfjs: [reductionGradientsPatch] };

export interface AppliedEnginePatches {
  readonly kernels: AppliedKernelPatch[];
  readonly tfjs: AppliedTfjsPatch[];
}

/**
 * Applies the engine's patches for `backendName` (idempotent); returns the ones this call
 * applied. For wasm, @tensorflow/tfjs-backend-wasm must be imported first: its import registers
 * the package's own kernels, which would overwrite a replacement applied before it.
 */
export function applyEngine(backendName: string): AppliedEnginePatches {
  if (backendName === 'wasm' && tf.getKernel('Transpose', 'wasm') === undefined) {
    throw new BackendError(
      "the engine's wasm patches need @tensorflow/tfjs-backend-wasm imported first; " +
        "select the backend with selectBackend('wasm'), which imports it.",
    );
  }
  const patches = PATCHES_BY_BACKEND[backendName] ?? OTHER_BACKENDS;
  return {
    kernels: applyKernelPatches(patches.kernels()),
    tfjs: applyTfjsPatches(patches.tfjs),
  };
}
