/**
 * Backend selection: 'auto' prefers tfjs-node-gpu, then tfjs-node, then wasm, then cpu, and says
 * why; explicit requests that cannot be met fail with a BackendError saying how to install; and
 * calling again returns the cached record. tfjs-node cannot be installed on the test machine, so
 * an installed one is played by a fake probe and a 'tensorflow' backend made from the cpu one.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  parseBackendRequest,
  probePackage,
  selectBackend,
  type PackageProbe,
} from '../../src/backend/index.js';
import { BackendError, ConfigError } from '../../src/errors/errors.js';

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

describe('selectBackend', () => {
  beforeAll(async () => {
    await selectBackend('auto');
  });

  afterEach(async () => {
    if (tf.findBackendFactory('tensorflow') != null) tf.removeBackend('tensorflow');
    await selectBackend('auto');
  });

  it("picks wasm under 'auto' here and names each node package it passed over", async () => {
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
  });

  it('returns the same record when called again, re-activating it if the backend was switched', async () => {
    const first = await selectBackend('auto');
    // Behind selection's back on purpose: the record must re-activate its own backend.
    await tf.setBackend('cpu');
    const again = await selectBackend('auto');
    expect(again).toBe(first);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('switches to cpu on an explicit request and says it was requested', async () => {
    const selection = await selectBackend('cpu');
    expect(selection.name).toBe('cpu');
    expect(selection.reason).toMatch(
      /^requested cpu: cpu available \(@tensorflow\/tfjs-backend-cpu /,
    );
    expect(tf.getBackend()).toBe('cpu');
  });

  it("rejects an explicit 'tensorflow' request with a BackendError that says how to install it", async () => {
    const error = await rejection(selectBackend('tensorflow'));
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('BACKEND');
    expect(error.message).toContain("Backend 'tensorflow' is not available");
    expect(error.message).toContain('@tensorflow/tfjs-node-gpu not installed');
    expect(error.message).toContain('npm install @tensorflow/tfjs-node ');
    expect(tf.getBackend()).toBe('wasm');
  });

  it("rejects 'webgl' in Node with a BackendError that names the alternatives", async () => {
    const error = await rejection(selectBackend('webgl'));
    expect(error).toBeInstanceOf(BackendError);
    expect(error.message).toMatch(/needs a browser.*'wasm'/);
  });

  it('passes over a node package that loads but registers no backend, and says so', async () => {
    const probe = fakeProbe({ '@tensorflow/tfjs-node': { status: 'loaded', version: '4.22.0' } });
    const selection = await selectBackend('auto', { probePackage: probe });
    expect(selection.name).toBe('wasm');
    expect(selection.reason).toContain(
      "@tensorflow/tfjs-node 4.22.0 loaded but registered no 'tensorflow' backend",
    );
  });

  it('prefers tfjs-node over wasm when it is installed, naming why tfjs-node-gpu was passed over', async () => {
    // Plays an installed tfjs-node: the package would register a 'tensorflow' backend on import.
    tf.registerBackend('tensorflow', tf.findBackendFactory('cpu'));
    const probe = fakeProbe({
      '@tensorflow/tfjs-node-gpu': { status: 'failed', detail: 'libcudart.so.11.0: cannot open' },
      '@tensorflow/tfjs-node': { status: 'loaded', version: '4.22.0' },
    });
    const selection = await selectBackend('auto', { probePackage: probe });
    expect(selection).toMatchObject({ name: 'tensorflow', package: '@tensorflow/tfjs-node' });
    expect(selection.reason).toBe(
      'auto: @tensorflow/tfjs-node-gpu failed to load (libcudart.so.11.0: cannot open); ' +
        'tensorflow available (@tensorflow/tfjs-node 4.22.0)',
    );
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('prefers tfjs-node-gpu over everything when it is installed', async () => {
    tf.registerBackend('tensorflow', tf.findBackendFactory('cpu'));
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
