/**
 * The errors only a server has: a request for something that is not there, a body too large,
 * content of the wrong kind, a server at its limit. Each carries its HTTP status beside the
 * stable `code` every MmaeError has, so the error reply (error-reply.ts) never guesses.
 */
import { MmaeError } from '../errors/errors.js';

export type ServeErrorCode =
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'FORBIDDEN'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BUSY'
  | 'TIMEOUT';

const STATUS: Readonly<Record<ServeErrorCode, number>> = {
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BUSY: 503,
  // fastify's own answer to a handler timeout; the code tells it from BUSY.
  TIMEOUT: 503,
};

export class ServeError extends MmaeError {
  readonly status: number;
  constructor(
    code: ServeErrorCode,
    message: string,
    /** Seconds a client should wait before trying again (503): sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
    this.status = STATUS[code];
  }
}
