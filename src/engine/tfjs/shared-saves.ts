/**
 * tfjs keeps every tensor a gradient will need by cloning it (`Engine.clone`, used only by the
 * two save-for-backward paths): one Identity kernel and one tape node per saved tensor, ~10–15 µs
 * of engine work each, 29 per W1 step. On wasm, Identity already shares the buffer
 * (src/engine/wasm/shared-identity.ts); this makes the same reference-counted share directly. The
 * tape node is dropped too: a saved copy is never an input of a later op, so no gradient flows
 * through it. Other backends keep tfjs's clone.
 */
import * as tf from '@tensorflow/tfjs';
import type { TfjsPatch } from '../patch.js';

interface EngineInternals {
  clone(x: tf.Tensor): tf.Tensor;
  readonly backendName: string;
  readonly backend: { incRef(dataId: tf.DataId): void };
  makeTensorFromDataId(
    dataId: tf.DataId,
    shape: number[],
    dtype: tf.DataType,
    backend: unknown,
  ): tf.Tensor;
  [PATCHED]?: true;
}

const PATCHED = Symbol('mmae shared saves');

/** Idempotent. */
function shareSavedTensors(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (engine[PATCHED]) return;
  const clone = engine.clone.bind(engine);
  engine.clone = (x: tf.Tensor): tf.Tensor => {
    if (engine.backendName !== 'wasm' || x.dtype === 'string') return clone(x);
    const backend = engine.backend;
    backend.incRef(x.dataId);
    return engine.makeTensorFromDataId(x.dataId, [...x.shape], x.dtype, backend);
  };
  engine[PATCHED] = true;
}

export const sharedSavesPatch: TfjsPatch = {
  name: 'Engine.clone',
  kind: 'faster',
  why:
    'on wasm a tensor saved for the backward pass shares its buffer (reference counted) instead ' +
    'of running an Identity kernel and recording a tape node for each.',
  upstream:
    "tfjs-core/src/engine.ts, Engine.clone (called by saveTensorsForBackwardMode and runKernelFunc's saveFunc)",
  apply: shareSavedTensors,
};
