/**
 * A kernel patch: a declarative record that adds a kernel a backend lacks, or replaces one whose
 * results are wrong, with the reason in words. Patches are applied idempotently: a 'missing'
 * patch never overrides a kernel the backend has (so a tfjs upgrade that adds it wins), and a
 * 'replace' patch is applied once, so repeated calls change nothing and log nothing.
 */
import * as tf from '@tensorflow/tfjs';

export interface KernelPatch {
  readonly config: tf.KernelConfig;
  /**
   * 'missing': the backend has no such kernel; 'replace': its own kernel computes wrong values;
   * 'faster': its own kernel is right but needlessly slow.
   */
  readonly kind: 'missing' | 'replace' | 'faster';
  /** What was wrong or absent, and what needs the kernel; shown by `mmae doctor`. */
  readonly why: string;
}

/** A patch that is in effect, as `mmae doctor` reports it. */
export interface AppliedKernelPatch {
  readonly kernelName: string;
  readonly backendName: string;
  readonly kind: KernelPatch['kind'];
  readonly why: string;
}

const applied = new Map<string, AppliedKernelPatch>();

function key(config: tf.KernelConfig): string {
  return `${config.backendName}/${config.kernelName}`;
}

/** Applies the patches not yet in effect; returns the ones this call applied. */
export function applyKernelPatches(patches: readonly KernelPatch[]): AppliedKernelPatch[] {
  const added: AppliedKernelPatch[] = [];
  for (const { config, kind, why } of patches) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined && kind === 'missing') continue;
    if (current !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
    const record = { kernelName: config.kernelName, backendName: config.backendName, kind, why };
    applied.set(key(config), record);
    added.push(record);
  }
  return added;
}

/** Patches in effect for `backendName` (all backends when omitted), sorted by kernel name. */
export function appliedKernelPatches(backendName?: string): AppliedKernelPatch[] {
  return [...applied.values()]
    .filter((patch) => backendName === undefined || patch.backendName === backendName)
    .filter((patch) => tf.getKernel(patch.kernelName, patch.backendName) !== undefined)
    .sort((a, b) => a.kernelName.localeCompare(b.kernelName));
}
