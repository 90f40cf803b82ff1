/**
 * Chooses and starts the compute backend. 'auto' walks BACKEND_CANDIDATES in order and takes the
 * first that loads and initialises and, for tfjs-node (CPU), that auto-rule.ts's measured table
 * takes for the model at hand (dense or conv, native kernels on or off); an explicit request
 * (or MMAE_BACKEND, which stands in for 'auto') considers only that backend and fails
 * with a BackendError that says how to install it. The backend chosen gets the speed engine's
 * patches for it (src/engine), applied here and only here, and the record lists them. Package
 * probes and selections are cached, so calling again is cheap and returns the same record
 * (re-activating it if something switched).
 */
import * as tf from '@tensorflow/tfjs';
import {
  applyEngine,
  appliedKernelPatches,
  appliedTfjsPatches,
  nativeKernelStatus,
} from '../engine/index.js';
import type { AppliedEnginePatches } from '../engine/index.js';
import { BackendError } from '../errors/errors.js';
import { tensorflowCpuVerdict, type ModelKind } from './auto-rule.js';
import { BACKEND_CANDIDATES, type BackendCandidate } from './backend-candidates.js';
import { applyNativeThreads } from './native-threads.js';
import {
  parseBackendRequest,
  type BackendName,
  type BackendRequest,
} from '../config/backend-request.js';
import {
  describeProbe,
  probeInstalled,
  probePackage,
  type PackageProbe,
  type ProbePackage,
} from './probe-package.js';

export interface BackendSelection {
  /** The tfjs backend name now active. */
  readonly name: BackendName;
  /** Why it was chosen, naming every candidate passed over and why. */
  readonly reason: string;
  /** The npm package that provides it. */
  readonly package: string;
  readonly version: string;
  readonly request: BackendRequest;
  /** The engine's patches in effect for it once selected (what `mmae doctor` lists). */
  readonly patches: AppliedEnginePatches;
}

export interface SelectBackendOptions {
  /** Replaces package loading (tests play an installed tfjs-node with it); disables caching. */
  readonly probePackage?: ProbePackage;
  /** Replaces the candidate list; disables caching. */
  readonly candidates?: readonly BackendCandidate[];
  /**
   * The run's `training.threads` for the native kernels; unset: MMAE_THREADS, else every core.
   * Applied on every call, cached selection or not (native-threads.ts).
   */
  readonly threads?: number;
  /**
   * What the model to be trained or run needs (auto-rule.ts): under 'auto' it decides whether
   * tfjs-node is taken over wasm. Unset: taken as dense, as mmae's default models are.
   */
  readonly model?: ModelKind;
  /** Replaces whether mmae's native kernels are loaded, as the rule reads it; disables caching. */
  readonly nativeKernels?: boolean;
}

/** Stands in for an 'auto' request (a config's default): `MMAE_BACKEND=tensorflow`. */
export const BACKEND_ENV = 'MMAE_BACKEND';

const probeCache = new Map<BackendCandidate, Promise<PackageProbe>>();
const selectionCache = new Map<string, BackendSelection>();
let lastSelection: BackendSelection | undefined;

/** The selection most recently made active, if any. */
export function currentBackendSelection(): BackendSelection | undefined {
  return lastSelection !== undefined && tf.getBackend() === lastSelection.name
    ? lastSelection
    : undefined;
}

function candidatesFor(
  request: BackendRequest,
  all: readonly BackendCandidate[],
): readonly BackendCandidate[] {
  if (request === 'webgl') {
    throw new BackendError(
      "backend 'webgl' needs a browser with WebGL; mmae runs in Node, so use 'auto', " +
        "'tensorflow' (after npm install @tensorflow/tfjs-node-gpu for a GPU), 'wasm' or 'cpu'.",
    );
  }
  return request === 'auto' ? all : all.filter((c) => c.backendName === request);
}

async function activate(name: BackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function load(candidate: BackendCandidate, probe: ProbePackage, useCache: boolean) {
  if (!useCache) return candidate.load(probe);
  let pending = probeCache.get(candidate);
  if (pending === undefined) {
    pending = candidate.load(probe);
    probeCache.set(candidate, pending);
  }
  return pending;
}

/** Loads and starts one candidate; returns why it was passed over, or undefined on success. */
async function tryCandidate(candidate: BackendCandidate, probe: PackageProbe) {
  const { backendName, packageName } = candidate;
  if (probe.status !== 'loaded') return describeProbe(packageName, probe);
  if (tf.findBackendFactory(backendName) == null) {
    return (
      `${packageName} ${probe.version} loaded but registered no '${backendName}' backend with ` +
      `@tensorflow/tfjs ${tf.version.tfjs} (install a version matching @tensorflow/tfjs)`
    );
  }
  if (!(await activate(backendName))) {
    return `${packageName} ${probe.version} failed to initialise '${backendName}'`;
  }
  return undefined;
}

function unavailable(
  request: BackendRequest,
  tried: readonly BackendCandidate[],
  skipped: string[],
) {
  const install = [...new Set(tried.map((c) => c.installHint))].join(', or ');
  const what =
    request === 'auto' ? 'No compute backend could start' : `Backend '${request}' is not available`;
  return new BackendError(
    `${what}: ${skipped.join(', ')}. To use it: ${install}; or set backend to 'auto' ` +
      '(which falls back to wasm, then cpu).',
  );
}

async function select(
  request: BackendRequest,
  options: SelectBackendOptions,
  useCache: boolean,
  fromEnv: boolean,
): Promise<BackendSelection> {
  const tried = candidatesFor(request, options.candidates ?? BACKEND_CANDIDATES);
  const probe = options.probePackage ?? probePackage;
  const skipped: string[] = [];
  // The measured rule, for the candidates it governs, under 'auto' only.
  const verdict =
    request === 'auto'
      ? tensorflowCpuVerdict(options.model, options.nativeKernels ?? nativeKernelStatus().loaded)
      : undefined;
  for (const candidate of tried) {
    if (candidate.ruledByAuto && verdict?.tensorflow === false) {
      // Passed over unloaded: only whether it is installed is looked up (a fake probe answers).
      const found = await (options.probePackage ?? probeInstalled)(candidate.packageName);
      skipped.push(
        found.status === 'loaded'
          ? `${candidate.packageName} ${found.version} passed over ${verdict.why}`
          : describeProbe(candidate.packageName, found),
      );
      continue;
    }
    const probed = await load(candidate, probe, useCache);
    const passedOver = await tryCandidate(candidate, probed);
    if (passedOver !== undefined) {
      skipped.push(passedOver);
      continue;
    }
    const version = probed.status === 'loaded' ? probed.version : 'unknown';
    applyEngine(candidate.backendName);
    const lead =
      request === 'auto' ? 'auto' : `requested ${request}${fromEnv ? ` by ${BACKEND_ENV}` : ''}`;
    const passed = skipped.length > 0 ? `${skipped.join(', ')}; ` : '';
    const chosenBy = candidate.ruledByAuto && verdict?.tensorflow ? `, taken ${verdict.why}` : '';
    return {
      name: candidate.backendName,
      reason:
        `${lead}: ${passed}${candidate.backendName} available ` +
        `(${candidate.packageName} ${version})${chosenBy}`,
      package: candidate.packageName,
      version,
      request,
      patches: {
        kernels: appliedKernelPatches(candidate.backendName),
        tfjs: appliedTfjsPatches(),
      },
    };
  }
  throw unavailable(request, tried, skipped);
}

/**
 * Makes the requested backend active (after `tf.ready()`) and returns what was chosen and why.
 * Throws BackendError when an explicit request cannot be met.
 */
export async function selectBackend(
  request: BackendRequest = 'auto',
  options: SelectBackendOptions = {},
): Promise<BackendSelection> {
  const useCache =
    options.probePackage === undefined &&
    options.candidates === undefined &&
    options.nativeKernels === undefined;
  applyNativeThreads(options.threads);
  const env = request === 'auto' ? process.env[BACKEND_ENV]?.trim() : undefined;
  const fromEnv = env !== undefined && env !== '' && env.toLowerCase() !== 'auto';
  const effective = fromEnv ? parseBackendRequest(env, BACKEND_ENV) : request;
  const key = `${effective}${fromEnv ? ' (env)' : ''}:${options.model ?? ''}`;
  const cached = useCache ? selectionCache.get(key) : undefined;
  if (cached !== undefined) {
    if (tf.getBackend() !== cached.name && !(await activate(cached.name))) {
      throw new BackendError(
        `backend '${cached.name}' started before but now fails to initialise.`,
      );
    }
    lastSelection = cached;
    return cached;
  }
  const selection = await select(effective, options, useCache, fromEnv);
  await tf.ready();
  if (useCache) selectionCache.set(key, selection);
  lastSelection = selection;
  return selection;
}
