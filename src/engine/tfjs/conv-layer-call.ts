/**
 * tf.layers.conv2d layers train through mmae's conv2d op (src/ops/conv2d.ts) where it has its
 * kernels (wasm with the native kernels): one kernel forward with the bias and activation fused,
 * and backward one for the filter and bias and one for the input (only when asked for), instead
 * of tfjs's unfused training path (conv, bias add, activation; backward step, cast, multiply and
 * a sum, each a pass over the output on the JS thread). The saved topology stays plain Keras
 * `Conv2D`. Anything else runs Conv2D's own call: inference (nothing records gradients, and the
 * fused kernel is already one call), channelsFirst, causal padding, activations the kernel lacks,
 * other dtypes, backends without the kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { CONV2D_KERNEL } from '../../ops/kernels.js';
import { conv2d } from '../../ops/conv2d.js';
import type { DenseActivation } from '../../ops/dense.js';
import type { TfjsPatch } from '../patch.js';

/** Keras activation class names the op takes, by the op's names. */
const ACTIVATIONS: Readonly<Record<string, DenseActivation>> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  elu: 'elu',
};

/** The parts of tfjs-layers' Conv2D the patch reads (not in its public typings). */
interface Conv2DInternals {
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string } | null;
  rank: number;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  [PATCHED]?: true;
}

const PATCHED = Symbol('mmae conv2d op');

interface EngineState {
  readonly state: { readonly gradientDepth: number };
}

function fastActivation(layer: Conv2DInternals, input: tf.Tensor): DenseActivation | undefined {
  if (tf.getKernel(CONV2D_KERNEL, tf.getBackend()) === undefined) return undefined;
  if ((tf.engine() as unknown as EngineState).state.gradientDepth === 0) return undefined;
  if (input.rank !== 4 || input.dtype !== 'float32' || !layer.kernel) return undefined;
  if (layer.rank !== 2 || layer.dataFormat !== 'channelsLast') return undefined;
  if (layer.padding !== 'same' && layer.padding !== 'valid') return undefined;
  return ACTIVATIONS[layer.activation?.getClassName() ?? 'linear'];
}

const pair = (v: number | number[]): [number, number] =>
  typeof v === 'number' ? [v, v] : [v[0]!, v[1] ?? v[0]!];

/** Idempotent: patches the Conv2D prototype once (Conv1D, Conv3D and the rest keep theirs). */
function patchConv2DLayer(): void {
  const prototype = Object.getPrototypeOf(
    tf.layers.conv2d({ filters: 1, kernelSize: 1 }),
  ) as Conv2DInternals;
  if (prototype[PATCHED]) return;
  const original = prototype.call;
  prototype.call = function (this: Conv2DInternals, inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const activation = input ? fastActivation(this, input) : undefined;
    if (!input || activation === undefined) return original.call(this, inputs, kwargs);
    return tf.tidy(() =>
      conv2d(
        input as tf.Tensor4D,
        this.kernel!.read() as tf.Tensor4D,
        this.bias?.read() as tf.Tensor1D | undefined,
        {
          strides: pair(this.strides),
          pad: this.padding as 'same' | 'valid',
          dilations: pair(this.dilationRate),
          activation,
        },
      ),
    );
  };
  prototype[PATCHED] = true;
}

export const convLayerCallPatch: TfjsPatch = {
  name: 'Conv2D.prototype.call',
  kind: 'faster',
  why:
    'conv2d layers train through mmae’s conv2d op where the backend has its kernels (one kernel ' +
    'forward with bias and activation, and backward one for the filter and bias and one for the ' +
    'input only when asked for), instead of six elementwise passes on the JS thread.',
  upstream:
    'tfjs-layers/src/layers/convolutional.ts, Conv.call (tfjs-core fused conv2d does not fuse under gradients)',
  apply: patchConv2DLayer,
};
