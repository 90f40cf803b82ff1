/**
 * The words a user may give for `backend` (config field, `--backend` flag, API option). 'auto'
 * takes the fastest backend this machine can run; the others name one backend exactly.
 */
import { ConfigError } from '../errors/errors.js';

export const BACKEND_REQUESTS = ['auto', 'tensorflow', 'wasm', 'cpu', 'webgl'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

/** A backend mmae can run on in Node (webgl needs a browser). */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export function isBackendRequest(value: unknown): value is BackendRequest {
  return typeof value === 'string' && (BACKEND_REQUESTS as readonly string[]).includes(value);
}

/** Reads a user's backend word; `field` names where it came from, for the error message. */
export function parseBackendRequest(value: unknown, field = 'backend'): BackendRequest {
  if (value === undefined || value === null || value === '') return 'auto';
  const word = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (isBackendRequest(word)) return word;
  throw new ConfigError(
    `${field}: unknown backend ${JSON.stringify(value)}; use one of ${BACKEND_REQUESTS.join(', ')}.`,
    field,
  );
}
