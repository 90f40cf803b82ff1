/**
 * Which kernels a computation needs, and which of those a backend lacks. The step runs once on
 * the cpu backend (the reference: it has every kernel tfjs ops use), under tf.profile, to learn
 * the kernel names; each name is then looked up in the kernel registry of the target backend.
 * Running on cpu means a backend that lacks a kernel is diagnosed without failing halfway.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../errors/errors.js';
import { silenceCpuGreeting } from '../engine/index.js';

/** A step to inspect: it may return tensors (they are disposed) and may train variables. */
export type KernelProbeStep = () => void | tf.Tensor | tf.Tensor[];

const REFERENCE_BACKEND = 'cpu';

/** Kernel names from `names` that are not registered for `backendName`. */
export function kernelsMissingOn(names: Iterable<string>, backendName: string): string[] {
  return [...new Set(names)].filter((name) => tf.getKernel(name, backendName) === undefined).sort();
}

/** The kernel names `step` runs, including gradient kernels when it trains. */
export async function kernelsUsedBy(step: KernelProbeStep): Promise<string[]> {
  const active = tf.getBackend();
  if (!(await tf.setBackend(REFERENCE_BACKEND))) {
    throw new BackendError("cannot list kernels: the reference 'cpu' backend failed to start.");
  }
  silenceCpuGreeting();
  try {
    const info = await tf.profile(() => {
      tf.tidy(() => {
        step();
      });
    });
    // Profiles also name custom-gradient scopes (e.g. 'fusedMatMul__op'); keep real kernels only.
    return info.kernelNames
      .filter((name) => tf.getKernel(name, REFERENCE_BACKEND) !== undefined)
      .sort();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new BackendError(`cannot list the kernels of this step: it failed on cpu: ${detail}`, {
      cause: error,
    });
  } finally {
    if (active !== REFERENCE_BACKEND) await tf.setBackend(active);
  }
}

/**
 * Kernels that `step` needs and `backendName` (default: the active backend) lacks. The step
 * runs once on cpu; pass a step on throwaway variables if its side effects matter.
 */
export async function missingKernels(
  step: KernelProbeStep,
  backendName: string = tf.getBackend(),
): Promise<string[]> {
  return kernelsMissingOn(await kernelsUsedBy(step), backendName);
}
