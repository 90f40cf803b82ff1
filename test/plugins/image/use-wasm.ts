/** Test helper: run on mmae's default backend, wasm, with the kernel patches of src/backend. */
import * as tf from '@tensorflow/tfjs';
import '../../../src/backend/index.js';

export async function useWasmBackend(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
}
