/**
 * Backend selection: 'auto' prefers tfjs-node-gpu, then tfjs-node where the measured rule takes
 * it for the model (auto-rule.ts), then wasm, then cpu, and says why; explicit requests that
 * cannot be met fail with a BackendError saying how to install; and calling again returns the
 * cached record. The suite runs with and without tfjs-node installed (scripts/stage-tfjs-node.sh):
 * the choice logic is tested with injected availability (a fake probe, the native kernels' state,
 * and a 'tensorflow' backend played by the cpu one where the real one is absent), and what this
 * machine has is tested on whichever it is.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKEND_ENV,
  TENSORFLOW_CPU_RULE,
  parseBackendRequest,
  probePackage,
  selectBackend,
  tensorflowCpuVerdict,
  type PackageProbe,
} from '../../src/backend/index.js';
import { nativeKernelStatus } from '../../src/engine/index.js';
import { BackendError, ConfigError } from '../../src/errors/errors.js';

/** Whether tfjs-node is installed and loads here (known before any test runs). */
const tfjsNodeHere = (await probePackage('@tensorflow/tfjs-node')).status === 'loaded';
const nativeHere = nativeKernelStatus().loaded;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function fakeProbe(answers: Record<string, PackageProbe>) {
  return async (name: string): Promise<PackageProbe> =>
    answers[name] ?? { status: 'not installed' };
}

/** A 'tensorflow' backend for the fake probes: the real one where installed, else the cpu one. */
let playedTensorflow = false;
function ensureTensorflowBackend(): void {
  if (tf.findBackendFactory('tensorflow') != null) return;
  tf.registerBackend('tensorflow', tf.findBackendFactory('cpu'));
  playedTensorflow = true;
}

describe('selectBackend', () => {
  beforeAll(async () => {
    await selectBackend('auto');
  });

  afterEach(async () => {
    // Only the played backend is removed: a real tfjs-node's stays for later tests.
    if (playedTensorflow) tf.removeBackend('tensorflow');
    playedTensorflow = false;
    delete process.env[BACKEND_ENV];
    await selectBackend('auto');
  });

  it.runIf(!tfjsNodeHere)(
    "picks wasm under 'auto' here and names each node package it passed over",
    async () => {
      const selection = await selectBackend('auto');
      expect(selection).toMatchObject({
        name: 'wasm',
        package: '@tensorflow/tfjs-backend-wasm',
        version: tf.version.tfjs,
        request: 'auto',
      });
      expect(selection.reason).toBe(
        'auto: @tensorflow/tfjs-node-gpu not installed, @tensorflow/tfjs-node not installed; ' +
          `wasm available (@tensorflow/tfjs-backend-wasm ${tf.version.tfjs})`,
      );
      expect(tf.getBackend()).toBe('wasm');
    },
  );

  it.runIf(tfjsNodeHere)(
    "with tfjs-node installed, 'auto' applies the rule to it and says so",
    async () => {
      const selection = await selectBackend('auto');
      const takesTensorflow = tensorflowCpuVerdict(undefined, nativeHere).tensorflow;
      expect(selection.name).toBe(takesTensorflow ? 'tensorflow' : 'wasm');
      expect(selection.reason).toContain(
        `@tensorflow/tfjs-node ${tf.version.tfjs} ` +
          (takesTensorflow ? '' : 'passed over for a model not described to selection'),
      );
    },
  );

  it.runIf(tfjsNodeHere)(
    "starts the real 'tensorflow' backend on request; a matMul equals wasm's",
    async () => {
      const a = [0.5, -1.25, 2, 3.5, 0.75, -2];
      const product = () => {
        const x = tf.tensor2d(a, [2, 3]);
        const y = tf.matMul(x, x, false, true);
        const values = Array.from(y.dataSync());
        tf.dispose([x, y]);
        return values;
      };
      const onWasm = product();
      const selection = await selectBackend('tensorflow');
      expect(selection).toMatchObject({ name: 'tensorflow', package: '@tensorflow/tfjs-node' });
      expect(tf.getBackend()).toBe('tensorflow');
      const onTensorflow = product();
      onTensorflow.forEach((v, i) => expect(v).toBeCloseTo(onWasm[i] as number, 5));
    },
  );

  it('returns the same record when called again, re-activating it if the backend was switched', async () => {
    const first = await selectBackend('auto');
    // Behind selection's back on purpose: the record must re-activate its own backend.
    await tf.setBackend('cpu');
    const again = await selectBackend('auto');
    expect(again).toBe(first);
    expect(tf.getBackend()).toBe(first.name);
  });

  it('switches to cpu on an explicit request and says it was requested', async () => {
    const selection = await selectBackend('cpu');
    expect(selection.name).toBe('cpu');
    expect(selection.reason).toMatch(
      /^requested cpu: cpu available \(@tensorflow\/tfjs-backend-cpu /,
    );
    expect(tf.getBackend()).toBe('cpu');
  });

  it.runIf(!tfjsNodeHere)(
    "rejects an explicit 'tensorflow' request with a BackendError that says how to install it",
    async () => {
      const error = await rejection(selectBackend('tensorflow'));
      expect(error).toBeInstanceOf(BackendError);
      expect((error as BackendError).code).toBe('BACKEND');
      expect(error.message).toContain("Backend 'tensorflow' is not available");
      expect(error.message).toContain('@tensorflow/tfjs-node-gpu not installed');
      expect(error.message).toContain('npm install @tensorflow/tfjs-node ');
      expect(tf.getBackend()).toBe('wasm');
    },
  );

  it("rejects 'webgl' in Node with a BackendError that names the alternatives", async () => {
    const error = await rejection(selectBackend('webgl'));
    expect(error).toBeInstanceOf(BackendError);
    expect(error.message).toMatch(/needs a browser.*'wasm'/);
  });

  it.runIf(!tfjsNodeHere)(
    'passes over a node package that loads but registers no backend, and says so',
    async () => {
      const probe = fakeProbe({ '@tensorflow/tfjs-node': { status: 'loaded', version: '4.22.0' } });
      const selection = await selectBackend('auto', { probePackage: probe, nativeKernels: false });
      expect(selection.name).toBe('wasm');
      expect(selection.reason).toContain(
        "@tensorflow/tfjs-node 4.22.0 loaded but registered no 'tensorflow' backend",
      );
    },
  );

  it('takes tfjs-node over wasm where the rule says so (a conv model, native kernels off), naming why tfjs-node-gpu was passed over', async () => {
    // Plays an installed tfjs-node: the package would register a 'tensorflow' backend on import.
    ensureTensorflowBackend();
    const probe = fakeProbe({
      '@tensorflow/tfjs-node-gpu': { status: 'failed', detail: 'libcudart.so.11.0: cannot open' },
      '@tensorflow/tfjs-node': { status: 'loaded', version: '4.22.0' },
    });
    const selection = await selectBackend('auto', {
      probePackage: probe,
      model: 'conv',
      nativeKernels: false,
    });
    expect(selection).toMatchObject({ name: 'tensorflow', package: '@tensorflow/tfjs-node' });
    expect(selection.reason).toBe(
      'auto: @tensorflow/tfjs-node-gpu failed to load (libcudart.so.11.0: cannot open); ' +
        'tensorflow available (@tensorflow/tfjs-node 4.22.0), taken ' +
        tensorflowCpuVerdict('conv', false).why,
    );
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('passes tfjs-node over for wasm where the rule says so (native kernels loaded), and says why', async () => {
    ensureTensorflowBackend();
    const probe = fakeProbe({ '@tensorflow/tfjs-node': { status: 'loaded', version: '4.22.0' } });
    for (const model of ['dense', 'conv'] as const) {
      const selection = await selectBackend('auto', {
        probePackage: probe,
        model,
        nativeKernels: true,
      });
      expect(selection.name).toBe('wasm');
      expect(selection.reason).toBe(
        'auto: @tensorflow/tfjs-node-gpu not installed, ' +
          `@tensorflow/tfjs-node 4.22.0 passed over for a ${model} model with native kernels ` +
          `loaded: ${TENSORFLOW_CPU_RULE.find((r) => r.model === model && r.nativeKernels)?.measured}; ` +
          `wasm available (@tensorflow/tfjs-backend-wasm ${tf.version.tfjs})`,
      );
      expect(tf.getBackend()).toBe('wasm');
    }
  });

  it('lets an explicit request, and MMAE_BACKEND in place of auto, override the rule', async () => {
    ensureTensorflowBackend();
    const probe = fakeProbe({ '@tensorflow/tfjs-node': { status: 'loaded', version: '4.22.0' } });
    const explicit = await selectBackend('tensorflow', {
      probePackage: probe,
      nativeKernels: true,
    });
    expect(explicit.reason).toBe(
      'requested tensorflow: @tensorflow/tfjs-node-gpu not installed; ' +
        'tensorflow available (@tensorflow/tfjs-node 4.22.0)',
    );
    process.env[BACKEND_ENV] = 'tensorflow';
    const fromEnv = await selectBackend('auto', { probePackage: probe, nativeKernels: true });
    expect(fromEnv.name).toBe('tensorflow');
    expect(fromEnv.reason).toMatch(/^requested tensorflow by MMAE_BACKEND: /);
    // A config's or the CLI's explicit word wins over the environment.
    expect((await selectBackend('cpu', { probePackage: probe })).name).toBe('cpu');
    process.env[BACKEND_ENV] = 'gpu';
    const error = await rejection(selectBackend('auto'));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(BACKEND_ENV);
  });

  it('prefers tfjs-node-gpu over everything when it is installed', async () => {
    ensureTensorflowBackend();
    const probe = fakeProbe({
      '@tensorflow/tfjs-node-gpu': { status: 'loaded', version: '4.22.0' },
      '@tensorflow/tfjs-node': { status: 'loaded', version: '4.22.0' },
    });
    const selection = await selectBackend('tensorflow', { probePackage: probe });
    expect(selection.package).toBe('@tensorflow/tfjs-node-gpu');
    expect(selection.reason).toBe(
      'requested tensorflow: tensorflow available (@tensorflow/tfjs-node-gpu 4.22.0)',
    );
  });
});

describe('the auto rule', () => {
  it('has one measured row per model kind and native-kernel state', () => {
    for (const model of ['dense', 'conv'] as const) {
      for (const native of [true, false]) {
        const rows = TENSORFLOW_CPU_RULE.filter(
          (r) => r.model === model && r.nativeKernels === native,
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]?.measured).toMatch(/\d s/);
      }
    }
  });

  it('takes wasm with native kernels and tensorflow without them, for both kinds, as measured', () => {
    expect(tensorflowCpuVerdict('dense', true).tensorflow).toBe(false);
    expect(tensorflowCpuVerdict('conv', true).tensorflow).toBe(false);
    expect(tensorflowCpuVerdict('dense', false).tensorflow).toBe(true);
    expect(tensorflowCpuVerdict('conv', false).tensorflow).toBe(true);
    expect(tensorflowCpuVerdict(undefined, true).why).toMatch(
      /^for a model not described to selection \(taken as dense\) with native kernels loaded: /,
    );
  });
});

describe('probePackage', () => {
  it('reports a missing optional package as not installed rather than throwing', async () => {
    expect(await probePackage('@tensorflow/tfjs-node-gpu')).toEqual({ status: 'not installed' });
  });

  it('reports an installed package with its version', async () => {
    expect(await probePackage('yaml')).toEqual({
      status: 'loaded',
      version: expect.stringMatching(/^\d+\.\d+/),
    });
  });
});

describe('parseBackendRequest', () => {
  it('reads backend words case-insensitively and defaults to auto', () => {
    expect(parseBackendRequest(' WASM ')).toBe('wasm');
    expect(parseBackendRequest(undefined)).toBe('auto');
  });

  it('rejects an unknown backend with a ConfigError naming the field and the choices', () => {
    let error: unknown;
    try {
      parseBackendRequest('gpu', '--backend');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('--backend');
    expect((error as Error).message).toBe(
      '--backend: unknown backend "gpu"; use one of auto, tensorflow, wasm, cpu, webgl.',
    );
  });
});
