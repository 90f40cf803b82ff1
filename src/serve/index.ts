/** The HTTP way in: `mmae serve` and buildServer for tests and embedding. */
export { buildServer, type BuildServerOptions } from './build-server.js';
export { DEFAULT_SERVE_LIMITS, SERVE_LIMIT_RANGES, type ServeLimits } from './serve-limits.js';
export { ServeError, type ServeErrorCode } from './serve-errors.js';
export { runIdsOf } from './run-ids.js';
