/**
 * `mmae doctor`: what backend runs, why, with what versions, threads and SIMD, and whether a
 * training step of every built-in layer kind has all its kernels on it. The record is for tools
 * and tests; formatDoctorReport turns it into the text the CLI prints.
 */
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import type { BackendRequest } from '../config/backend-request.js';
import { tensorflowCpuVerdict, type ModelKind } from './auto-rule.js';
import {
  appliedKernelPatches,
  appliedTfjsPatches,
  nativeFallbacks,
  nativeKernelStatus,
  type AppliedKernelPatch,
  type AppliedTfjsPatch,
  type NativeFallback,
  type NativeKernelStatus,
} from '../engine/index.js';
import { kernelsMissingOn, missingKernels } from './missing-kernels.js';
import { currentNativeThreads, type NativeThreads } from './native-threads.js';
import { currentBackendSelection, selectBackend, type BackendSelection } from './select-backend.js';
import { buildTrainingProbe } from './training-probe.js';
import { wasmThreading } from './wasm-threads.js';

export interface DoctorOptions {
  /** Backend to diagnose; default: the one already selected, else 'auto'. */
  readonly request?: BackendRequest;
  /** Run the probe training step to find missing kernels (default true; ~1 s). */
  readonly probeTraining?: boolean;
  /** A config's `training.threads` (`mmae doctor --config`), applied as training would. */
  readonly threads?: number;
  /** What a config's model runs (`mmae doctor --config`), as training hands it to selection. */
  readonly model?: ModelKind;
}

export interface DoctorReport {
  readonly backend: BackendSelection;
  readonly versions: {
    readonly tfjs: string;
    readonly tfjsCore: string;
    readonly tfjsLayers: string;
    readonly backendPackage: string;
    readonly node: string;
  };
  readonly platform: { readonly os: string; readonly arch: string; readonly cores: number };
  readonly threads: { readonly count: number; readonly note: string };
  /** Whether wasm runs its SIMD build; null for backends where SIMD is not a wasm question. */
  readonly simd: boolean | null;
  /**
   * mmae's native kernels (matMul, dense gradient, Adam with AVX-512/AVX2 on the wasm heap):
   * whether they are built and loaded, and what they run on or why not.
   */
  readonly nativeKernels: NativeKernelStatus;
  /** How many threads the native kernels use and why (config, MMAE_THREADS or every core). */
  readonly nativeThreads: NativeThreads;
  /**
   * Inputs the native kernels did not take in this process and gave to the kernel they replace
   * (each also said once on stderr); what they take is in each kernel patch's `why`.
   */
  readonly nativeFallbacks: NativeFallback[];
  /**
   * Kernels mmae adds to this backend (missing), swaps in for wrong ones (replace) or for slow
   * ones (faster), each naming the tfjs code it stands in for.
   */
  readonly kernelPatches: AppliedKernelPatch[];
  /** Patches of tfjs code other than kernels (a layer's call, a gradient), for every backend. */
  readonly tfjsPatches: AppliedTfjsPatch[];
  /** Kernels the probe training step needs that this backend lacks; null if not probed. */
  readonly missingTrainingKernels: string[] | null;
  /** Kernels the cpu backend has and this one lacks (ops that use them will fail here). */
  readonly unavailableKernels: string[];
  readonly advice: string[];
}

async function threadsOf(
  name: string,
): Promise<{ count: number; note: string; simd: boolean | null }> {
  if (name === 'wasm') {
    const facts = await wasmThreading(await import('@tensorflow/tfjs-backend-wasm'));
    if (facts !== undefined) return { count: facts.threads, note: facts.note, simd: facts.simd };
    return { count: 1, note: 'wasm backend not started', simd: null };
  }
  if (name === 'tensorflow') {
    const cores = availableParallelism();
    return { count: cores, note: 'native TensorFlow thread pool, one thread per core', simd: null };
  }
  return { count: 1, note: 'pure JavaScript on the main thread', simd: null };
}

async function probeTrainingKernels(backendName: string): Promise<string[]> {
  const probe = buildTrainingProbe();
  try {
    return await missingKernels(probe.step, backendName);
  } finally {
    probe.dispose();
  }
}

function adviceFor(report: Omit<DoctorReport, 'advice'>): string[] {
  const advice: string[] = [];
  const missing = report.missingTrainingKernels ?? [];
  if (missing.length > 0) {
    advice.push(
      `training on '${report.backend.name}' will fail in kernels ${missing.join(', ')}; ` +
        'use --backend cpu, or report this as an mmae bug.',
    );
  }
  if (report.backend.name === 'wasm' && !report.nativeKernels.loaded) {
    advice.push(
      `native kernels ${report.nativeKernels.note}; with them wasm training runs ~2–3.5× faster ` +
        '(BENCHMARKS.md).',
    );
  }
  if (report.backend.name === 'cpu') {
    advice.push(
      "cpu is pure JavaScript, the slowest backend: 'auto' takes wasm with mmae's native kernels, " +
        'or @tensorflow/tfjs-node (npm install @tensorflow/tfjs-node) where the measured rule ' +
        'finds it faster for the model (src/backend/auto-rule.ts).',
    );
  } else if (report.backend.name === 'wasm' && !report.nativeKernels.loaded) {
    advice.push(
      `conv models: ${tensorflowCpuVerdict('conv', false).why}; 'auto' takes ` +
        '@tensorflow/tfjs-node for them once installed (npm install @tensorflow/tfjs-node).',
    );
  }
  return advice;
}

/** Selects (or reuses) the backend and describes it. */
export async function doctorReport(options: DoctorOptions = {}): Promise<DoctorReport> {
  const request = options.request ?? currentBackendSelection()?.request ?? 'auto';
  const backend = await selectBackend(request, { threads: options.threads, model: options.model });
  const { count, note, simd } = await threadsOf(backend.name);
  const cpuKernels = tf.getKernelsForBackend('cpu').map((k) => k.kernelName);
  const partial: Omit<DoctorReport, 'advice'> = {
    backend,
    versions: {
      tfjs: tf.version.tfjs,
      tfjsCore: tf.version_core,
      tfjsLayers: tf.version_layers,
      backendPackage: `${backend.package} ${backend.version}`,
      node: process.versions.node,
    },
    platform: { os: process.platform, arch: process.arch, cores: availableParallelism() },
    threads: { count, note },
    simd,
    nativeKernels: nativeKernelStatus(),
    nativeThreads: currentNativeThreads(),
    nativeFallbacks: nativeFallbacks(),
    kernelPatches: appliedKernelPatches(backend.name),
    tfjsPatches: appliedTfjsPatches(),
    missingTrainingKernels:
      options.probeTraining === false ? null : await probeTrainingKernels(backend.name),
    unavailableKernels: backend.name === 'cpu' ? [] : kernelsMissingOn(cpuKernels, backend.name),
  };
  return { ...partial, advice: adviceFor(partial) };
}

function row(label: string, value: string): string {
  return `${label.padEnd(12)} ${value}`;
}

function patchRows(
  name: string,
  patch: { readonly kind: string; readonly why: string; readonly upstream: string },
): string[] {
  return [
    row('', `${name} (${patch.kind}): ${patch.why}`),
    row('', `  upstream: ${patch.upstream}`),
  ];
}

function nativeThreadsLine({ nativeKernels, nativeThreads }: DoctorReport): string {
  const { count, note } = nativeThreads;
  const threads = `${count} thread${count === 1 ? '' : 's'} (${note})`;
  return nativeKernels.loaded ? threads : `unused (native kernels off); would be ${threads}`;
}

/** The report as aligned text lines, as `mmae doctor` prints it. */
export function formatDoctorReport(report: DoctorReport): string {
  const { backend, versions, platform, threads } = report;
  const training =
    report.missingTrainingKernels === null
      ? 'not probed'
      : report.missingTrainingKernels.length === 0
        ? 'ok: every kernel of the probe training step is available'
        : `MISSING ${report.missingTrainingKernels.join(', ')}`;
  const lines = [
    row('backend', `${backend.name} (${backend.package} ${backend.version})`),
    row('reason', backend.reason),
    row(
      'versions',
      `tfjs ${versions.tfjs}, tfjs-core ${versions.tfjsCore}, tfjs-layers ${versions.tfjsLayers}, ` +
        `node ${versions.node}`,
    ),
    row('platform', `${platform.os} ${platform.arch}, ${platform.cores} cores`),
    row('threads', `${threads.count} (${threads.note})`),
    row('simd', report.simd === null ? 'n/a' : report.simd ? 'yes' : 'no'),
    row('native', `${report.nativeKernels.loaded ? 'yes' : 'no'}: ${report.nativeKernels.note}`),
    row('native pool', nativeThreadsLine(report)),
    ...report.nativeFallbacks.map((f) =>
      row('fallback', `native ${f.kernelName} did not take ${f.reason}`),
    ),
    row('patches', report.kernelPatches.length === 0 ? 'none' : `${report.kernelPatches.length}`),
    ...report.kernelPatches.flatMap((p) => patchRows(p.kernelName, p)),
    row('tfjs', report.tfjsPatches.length === 0 ? 'unpatched' : `${report.tfjsPatches.length}`),
    ...report.tfjsPatches.flatMap((p) => patchRows(p.name, p)),
    row('training', training),
    row(
      'unavailable',
      report.unavailableKernels.length === 0 ? 'none' : report.unavailableKernels.join(', '),
    ),
    ...report.advice.map((line) => row('advice', line)),
  ];
  return lines.join('\n');
}
