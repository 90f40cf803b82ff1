/**
 * What one request may cost, and the bounds of those limits. Every route reads its input within
 * them before a byte reaches a plugin or tfjs: the body limit bounds what is buffered (JSON and
 * multipart alike), the timeout what one request may hold the process for, and the concurrency
 * limit how many requests wait on the one JavaScript thread that runs the model.
 */
import { UsageError } from '../errors/errors.js';

export interface ServeLimits {
  /** Largest request body, JSON or multipart, in bytes (--body-limit). */
  readonly bodyLimitBytes: number;
  /** Longest a request may take, receiving it and answering it, in ms (--request-timeout). */
  readonly requestTimeoutMs: number;
  /** Requests in flight at once; one more is answered 503 with Retry-After (--max-concurrent). */
  readonly maxConcurrent: number;
}

/**
 * A 28×28 PNG is under 1 KiB and a second of 16 kHz WAV 32 KiB: 8 MiB takes a long recording or
 * a photo and still bounds what a client can make the server hold. 30 s covers building a
 * 10,000-item gallery index on first use. 64 in flight is more than the 50 concurrent clients
 * the load benchmark runs; beyond that, a request would only queue behind the others.
 */
export const DEFAULT_SERVE_LIMITS: ServeLimits = {
  bodyLimitBytes: 8 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  maxConcurrent: 64,
};

/** The range each limit may be set within: a typo's guard, not a tuning advice. */
export const SERVE_LIMIT_RANGES = {
  bodyLimitBytes: { min: 1024, max: 1024 * 1024 * 1024, flag: '--body-limit' },
  requestTimeoutMs: { min: 1, max: 3_600_000, flag: '--request-timeout' },
  maxConcurrent: { min: 1, max: 10_000, flag: '--max-concurrent' },
} as const;

/** `limits` over the defaults, each a whole number within its range, else a UsageError. */
export function resolveServeLimits(limits: Partial<ServeLimits> = {}): ServeLimits {
  // An entry given as undefined keeps its default, as a flag left out does.
  const given = Object.entries(limits).filter(([, value]) => value !== undefined);
  const resolved: ServeLimits = { ...DEFAULT_SERVE_LIMITS, ...Object.fromEntries(given) };
  for (const key of Object.keys(SERVE_LIMIT_RANGES) as (keyof ServeLimits)[]) {
    const { min, max, flag } = SERVE_LIMIT_RANGES[key];
    const value = resolved[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(
        `${flag} (limits.${key}): ${String(value)} is not a whole number from ${min} to ${max}.`,
      );
    }
  }
  return resolved;
}
