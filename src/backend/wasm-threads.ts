/**
 * Threads and SIMD of the wasm backend. tfjs-backend-wasm 4.22 turns multithreading off in Node
 * (its WASM_HAS_MULTITHREAD_SUPPORT flag returns false when IS_NODE, tfjs issue #3830), so in Node
 * the thread request below is recorded but the backend runs on one thread; SIMD does work.
 */
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';

/** The parts of @tensorflow/tfjs-backend-wasm this module uses. */
export interface WasmThreadControls {
  setThreadsCount(count: number): void;
  getThreadsCount(): number;
}

export interface WasmThreading {
  /** Threads XNNPACK actually uses (1 when multithreading is unavailable). */
  readonly threads: number;
  /** Threads mmae asked for before the backend started. */
  readonly requestedThreads: number;
  readonly multithreadSupported: boolean;
  readonly simd: boolean;
  /** Why the thread count is what it is, for `mmae doctor`. */
  readonly note: string;
}

let requestedThreads = 1;

/** Asks for one thread per core; only effective before the wasm backend initialises. */
export function requestWasmThreads(
  controls: WasmThreadControls,
  count = availableParallelism(),
): void {
  if (tf.engine().registry['wasm'] !== undefined) return;
  requestedThreads = Math.max(1, Math.floor(count));
  controls.setThreadsCount(requestedThreads);
}

async function flag(name: string): Promise<boolean> {
  try {
    return Boolean(await tf.env().getAsync(name));
  } catch {
    return false; // the flag is registered only once tfjs-backend-wasm is imported
  }
}

/** Threading facts of the running wasm backend, or undefined when it has not started. */
export async function wasmThreading(
  controls: WasmThreadControls,
): Promise<WasmThreading | undefined> {
  let threads: number;
  try {
    threads = controls.getThreadsCount();
  } catch {
    return undefined;
  }
  const multithreadSupported = await flag('WASM_HAS_MULTITHREAD_SUPPORT');
  const simd = await flag('WASM_HAS_SIMD_SUPPORT');
  const note = multithreadSupported
    ? `${threads} of ${requestedThreads} requested threads`
    : tf.env().getBool('IS_NODE')
      ? 'single-threaded: tfjs-backend-wasm disables wasm threads in Node (tfjs issue #3830)'
      : 'single-threaded: this runtime lacks SharedArrayBuffer or wasm threads';
  return { threads, requestedThreads, multithreadSupported, simd, note };
}
