/**
 * The native kernels' thread count: `training.threads` in the config wins over MMAE_THREADS,
 * which wins over every core; a bad value of either is a ConfigError naming it; selecting the
 * backend applies it and `mmae doctor` prints it with its reason.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  currentNativeThreads,
  doctorReport,
  formatDoctorReport,
  resolveNativeThreads,
  selectBackend,
} from '../../src/backend/index.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { nativeKernels } from '../../src/engine/index.js';
import { ConfigError } from '../../src/errors/errors.js';

const minimalConfig = { name: 'threads', dataset: { id: 'mnist' }, modalities: [{ id: 'image' }] };

afterEach(async () => {
  vi.unstubAllEnvs();
  await selectBackend('wasm'); // back to the default count for later tests
});

/** The error `run` throws (the test fails when it throws none). */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('the native thread count', () => {
  it('is every core by default, MMAE_THREADS when set, and training.threads over both', () => {
    expect(resolveNativeThreads(undefined, undefined, 8)).toEqual({
      count: 8,
      source: 'default',
      note: 'default: all 8 cores',
    });
    expect(resolveNativeThreads(undefined, '3', 8)).toMatchObject({ count: 3, source: 'env' });
    expect(resolveNativeThreads(2, '3', 8)).toMatchObject({ count: 2, source: 'config' });
  });

  it.each(['0', '-2', '1.5', 'two', '4x'])(
    'rejects MMAE_THREADS=%s with an error naming it',
    (env) => {
      const error = thrownBy(() => resolveNativeThreads(undefined, env, 8));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ field: 'MMAE_THREADS' });
      expect((error as Error).message).toContain(`MMAE_THREADS must be an integer ≥ 1`);
    },
  );

  it.each([0, -1, 1.5])(
    'rejects training.threads: %s in a config as a ConfigError naming it',
    (threads) => {
      const error = thrownBy(() => parseConfig({ ...minimalConfig, training: { threads } }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ field: 'training.threads' });
      expect((error as Error).message).toContain('training.threads');
      expect(() => resolveNativeThreads(threads, undefined, 8)).toThrow(/training\.threads/);
    },
  );

  it('accepts training.threads: 2 in a config', () => {
    expect(parseConfig({ ...minimalConfig, training: { threads: 2 } }).training.threads).toBe(2);
  });

  it.skipIf(nativeKernels() === undefined)(
    'is applied to the native kernels when the backend is selected for a run',
    async () => {
      await selectBackend('wasm', { threads: 3 });
      expect(nativeKernels()!.threads()).toBe(3);
      vi.stubEnv('MMAE_THREADS', '2');
      await selectBackend('wasm');
      expect(nativeKernels()!.threads()).toBe(2);
      expect(currentNativeThreads()).toMatchObject({ count: 2, source: 'env' });
    },
  );

  it('is printed by mmae doctor with its reason', async () => {
    vi.stubEnv('MMAE_THREADS', '2');
    const fromEnv = formatDoctorReport(
      await doctorReport({ request: 'wasm', probeTraining: false }),
    );
    const fromConfig = formatDoctorReport(
      await doctorReport({ request: 'wasm', probeTraining: false, threads: 3 }),
    );
    vi.unstubAllEnvs();
    const byDefault = await doctorReport({ request: 'wasm', probeTraining: false });
    if (nativeKernels() === undefined) {
      expect(fromEnv).toMatch(/^native pool  unused \(native kernels off\); would be 2 threads/m);
      return;
    }
    expect(fromEnv).toMatch(/^native pool  2 threads \(MMAE_THREADS=2\)$/m);
    expect(fromConfig).toMatch(/^native pool  3 threads \(training\.threads in the config\)$/m);
    const cores = nativeKernels()!.defaultThreads();
    expect(formatDoctorReport(byDefault)).toMatch(
      new RegExp(`^native pool  ${cores} threads? \\(default: all ${cores} cores\\)$`, 'm'),
    );
  });
});
