/**
 * How many threads mmae's native kernels use, and why: `training.threads` in the run's config,
 * else the environment variable MMAE_THREADS, else every core the process may run on. Applied with
 * the backend for a run (trainJob, loadRun) and reported by `mmae doctor`. Without the native
 * addon there is nothing to set: the setting is still resolved (so a bad value fails the same
 * way everywhere), and reported as unused.
 */
import { ConfigError } from '../errors/errors.js';
import { nativeKernels } from '../engine/index.js';

export const THREADS_ENV = 'MMAE_THREADS';

export interface NativeThreads {
  readonly count: number;
  readonly source: 'config' | 'env' | 'default';
  /** "2 (MMAE_THREADS=2)", "3 (training.threads in the config)", "2 (default: all 2 cores)". */
  readonly note: string;
}

/** Resolves the setting; a bad MMAE_THREADS or `threads` is a ConfigError naming where it came from. */
export function resolveNativeThreads(
  configThreads: number | undefined,
  env: string | undefined = process.env[THREADS_ENV],
  cores: number = nativeKernels()?.defaultThreads() ?? 1,
): NativeThreads {
  if (configThreads !== undefined) {
    if (!Number.isInteger(configThreads) || configThreads < 1) {
      throw new ConfigError(
        `training.threads must be an integer ≥ 1, got ${configThreads}; remove it to use every core.`,
        'training.threads',
      );
    }
    return { count: configThreads, source: 'config', note: 'training.threads in the config' };
  }
  if (env !== undefined && env.trim() !== '') {
    const count = Number(env.trim());
    if (!/^\d+$/.test(env.trim()) || count < 1) {
      throw new ConfigError(
        `${THREADS_ENV} must be an integer ≥ 1 (how many threads mmae's native kernels use), ` +
          `got '${env}'; unset it to use every core.`,
        THREADS_ENV,
      );
    }
    return { count, source: 'env', note: `${THREADS_ENV}=${env.trim()}` };
  }
  return { count: cores, source: 'default', note: `default: all ${cores} cores` };
}

let applied: NativeThreads | undefined;

/** Resolves the setting and gives it to the native kernels; returns it. */
export function applyNativeThreads(configThreads?: number): NativeThreads {
  const setting = resolveNativeThreads(configThreads);
  nativeKernels()?.setThreads(setting.count);
  applied = setting;
  return setting;
}

/** "2 threads (default: all 2 cores)" for a run's log, or undefined when the native kernels are off. */
export function describeNativeThreads(): string | undefined {
  if (nativeKernels() === undefined) return undefined;
  const { count, note } = currentNativeThreads();
  return `${count} thread${count === 1 ? '' : 's'} (${note})`;
}

/** What the native kernels run on now, for `mmae doctor`: what was applied, else what would be. */
export function currentNativeThreads(): NativeThreads {
  return applied ?? resolveNativeThreads(undefined);
}
