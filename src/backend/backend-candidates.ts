/**
 * The backends mmae can run on, as declarative records in order of preference. Each says which
 * npm package provides it, how a user installs it, and how to load it (loading registers the
 * backend with tfjs). Selection walks these records, and applies the engine's patches for the
 * one it starts; adding a backend adds a record here.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../config/backend-request.js';
import type { PackageProbe, ProbePackage } from './probe-package.js';
import { requestWasmThreads } from './wasm-threads.js';

export interface BackendCandidate {
  readonly backendName: BackendName;
  readonly packageName: string;
  readonly installHint: string;
  /** 'auto' takes it only where auto-rule.ts's measured table says so for the model at hand. */
  readonly ruledByAuto?: boolean;
  readonly load: (probe: ProbePackage) => Promise<PackageProbe>;
}

/**
 * TensorFlow's C library logs INFO lines on load (oneDNN, CPU features) to stderr; unless the
 * user set TF_CPP_MIN_LOG_LEVEL, mmae keeps warnings and errors only.
 */
function quietTensorflow(): void {
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
}

const tfjsNodeGpu: BackendCandidate = {
  backendName: 'tensorflow',
  packageName: '@tensorflow/tfjs-node-gpu',
  installHint: 'npm install @tensorflow/tfjs-node-gpu (Linux x64 with CUDA 11.2 and cuDNN 8.1)',
  load: (probe) => {
    quietTensorflow();
    return probe('@tensorflow/tfjs-node-gpu');
  },
};

const tfjsNode: BackendCandidate = {
  backendName: 'tensorflow',
  packageName: '@tensorflow/tfjs-node',
  installHint: 'npm install @tensorflow/tfjs-node (prebuilt for Linux, macOS and Windows x64)',
  ruledByAuto: true,
  load: (probe) => {
    quietTensorflow();
    return probe('@tensorflow/tfjs-node');
  },
};

const wasm: BackendCandidate = {
  backendName: 'wasm',
  packageName: '@tensorflow/tfjs-backend-wasm',
  installHint: 'npm install @tensorflow/tfjs-backend-wasm',
  load: async () => {
    try {
      const wasmPackage = await import('@tensorflow/tfjs-backend-wasm');
      requestWasmThreads(wasmPackage);
      return { status: 'loaded', version: wasmPackage.version_wasm };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { status: 'failed', detail };
    }
  },
};

const cpu: BackendCandidate = {
  backendName: 'cpu',
  packageName: '@tensorflow/tfjs-backend-cpu',
  installHint: 'npm install @tensorflow/tfjs (the cpu backend is bundled with it)',
  load: async () => ({ status: 'loaded', version: tf.version['tfjs-backend-cpu'] ?? 'unknown' }),
};

/**
 * Preference order for 'auto': native TensorFlow on a GPU, TensorFlow on the CPU where the
 * measured rule takes it for the model (auto-rule.ts), wasm (with mmae's native kernels), pure JS.
 */
export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [tfjsNodeGpu, tfjsNode, wasm, cpu];
