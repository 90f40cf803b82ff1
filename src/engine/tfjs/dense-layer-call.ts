/**
 * tf.layers.dense layers train through mmae's dense op (src/ops/dense.ts) where it has a
 * one-kernel gradient (wasm with the native kernels): every dense layer of every mmae model —
 * encoders, decoders, fusion MLPs — without changing what the models are made of, so their saved
 * topology stays plain Keras `Dense` that any tfjs loads. Anything else runs Dense's own call:
 * inference (nothing records gradients, and the fused kernel is already one call), inputs of rank
 * above 2, activations the kernel lacks, backends without the kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { DENSE_KERNEL } from '../../ops/kernels.js';
import { dense, type DenseActivation } from '../../ops/dense.js';
import type { TfjsPatch } from '../patch.js';

/** Keras activation class names the dense op takes, by the op's names. */
const ACTIVATIONS: Readonly<Record<string, DenseActivation>> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  elu: 'elu',
};

/** The parts of tfjs-layers' Dense the patch reads (not in its public typings). */
interface DenseInternals {
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): void;
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string } | null;
  [PATCHED]?: true;
}

const PATCHED = Symbol('mmae dense op');

interface EngineState {
  readonly state: { readonly gradientDepth: number };
}

function fastActivation(layer: DenseInternals, input: tf.Tensor): DenseActivation | undefined {
  if (tf.getKernel(DENSE_KERNEL, tf.getBackend()) === undefined) return undefined;
  if ((tf.engine() as unknown as EngineState).state.gradientDepth === 0) return undefined;
  if (input.rank !== 2 || input.dtype !== 'float32' || !layer.kernel) return undefined;
  return ACTIVATIONS[layer.activation?.getClassName() ?? 'linear'];
}

/** Idempotent: patches the Dense prototype once. */
function patchDenseLayer(): void {
  const prototype = Object.getPrototypeOf(tf.layers.dense({ units: 1 })) as DenseInternals;
  if (prototype[PATCHED]) return;
  const original = prototype.call;
  prototype.call = function (this: DenseInternals, inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const activation = input ? fastActivation(this, input) : undefined;
    if (!input || activation === undefined) return original.call(this, inputs, kwargs);
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      return dense(
        input as tf.Tensor2D,
        this.kernel!.read() as tf.Tensor2D,
        this.bias?.read() as tf.Tensor1D | undefined,
        { activation },
      );
    });
  };
  prototype[PATCHED] = true;
}

export const denseLayerCallPatch: TfjsPatch = {
  name: 'Dense.prototype.call',
  kind: 'faster',
  why:
    'dense layers train through mmae’s dense op where the backend has its kernels (one kernel ' +
    'forward, and backward one for the weights and one for the input only when asked for).',
  upstream: 'tfjs-layers/src/layers/core.ts, Dense.call',
  apply: patchDenseLayer,
};
