/**
 * The engine's two kinds of patch, as declarative records with the reason in words and the
 * upstream code they stand in for (a file and function of tfjs 4.22, so a tfjs upgrade can be
 * checked against it):
 *
 * - a kernel patch adds a kernel a backend lacks, replaces one whose results are wrong, or swaps
 *   in a faster one. A 'missing' patch never overrides a kernel the backend has (so a tfjs upgrade
 *   that adds it wins), and a 'replace' or 'faster' patch is applied once.
 * - a tfjs patch changes tfjs code that is not a kernel (a layer's call, the engine's clone, a
 *   registered gradient), process-wide; it is applied once.
 *
 * Applying is idempotent: repeated calls change nothing. What is in effect is recorded here and
 * reported by `mmae doctor`.
 */
import * as tf from '@tensorflow/tfjs';

export type PatchKind = 'missing' | 'replace' | 'faster';

export interface KernelPatch {
  readonly config: tf.KernelConfig;
  /**
   * 'missing': the backend has no such kernel; 'replace': its own kernel computes wrong values;
   * 'faster': its own kernel is right but needlessly slow.
   */
  readonly kind: PatchKind;
  /** What was wrong or absent, and what needs the kernel; shown by `mmae doctor`. */
  readonly why: string;
  /**
   * The tfjs 4.22 source this stands in for: the file and function it corrects or speeds up, or
   * for a missing kernel the registry that lacks it (and mmae's own kernels say so).
   */
  readonly upstream: string;
}

export interface TfjsPatch {
  /** What it patches, e.g. 'Dense.prototype.call'. */
  readonly name: string;
  readonly kind: Exclude<PatchKind, 'missing'>;
  readonly why: string;
  readonly upstream: string;
  /** Idempotent. */
  readonly apply: () => void;
}

/** A kernel patch in effect, as `mmae doctor` reports it. */
export interface AppliedKernelPatch {
  readonly kernelName: string;
  readonly backendName: string;
  readonly kind: PatchKind;
  readonly why: string;
  readonly upstream: string;
}

/** A tfjs patch in effect (for every backend). */
export type AppliedTfjsPatch = Omit<TfjsPatch, 'apply'>;

const appliedKernels = new Map<string, AppliedKernelPatch>();
const appliedTfjs = new Map<string, AppliedTfjsPatch>();

function key(config: tf.KernelConfig): string {
  return `${config.backendName}/${config.kernelName}`;
}

/** Applies the kernel patches not yet in effect; returns the ones this call applied. */
export function applyKernelPatches(patches: readonly KernelPatch[]): AppliedKernelPatch[] {
  const added: AppliedKernelPatch[] = [];
  for (const { config, kind, why, upstream } of patches) {
    const current = tf.getKernel(config.kernelName, config.backendName);
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined && kind === 'missing') continue;
    if (current !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
    const { kernelName, backendName } = config;
    const record = { kernelName, backendName, kind, why, upstream };
    appliedKernels.set(key(config), record);
    added.push(record);
  }
  return added;
}

/** Applies the tfjs patches not yet in effect; returns the ones this call applied. */
export function applyTfjsPatches(patches: readonly TfjsPatch[]): AppliedTfjsPatch[] {
  const added: AppliedTfjsPatch[] = [];
  for (const { apply, ...record } of patches) {
    if (appliedTfjs.has(record.name)) continue;
    apply();
    appliedTfjs.set(record.name, record);
    added.push(record);
  }
  return added;
}

/** Kernel patches in effect for `backendName` (all backends when omitted), by kernel name. */
export function appliedKernelPatches(backendName?: string): AppliedKernelPatch[] {
  return [...appliedKernels.values()]
    .filter((patch) => backendName === undefined || patch.backendName === backendName)
    .filter((patch) => tf.getKernel(patch.kernelName, patch.backendName) !== undefined)
    .sort((a, b) => a.kernelName.localeCompare(b.kernelName));
}

/** The tfjs patches in effect, in the order they were applied. */
export function appliedTfjsPatches(): AppliedTfjsPatch[] {
  return [...appliedTfjs.values()];
}
