/**
 * Every failure as one reply shape, `{ error: { code, message } }`, with the status that says
 * whose fault it is. mmae's typed errors keep the message the CLI prints (a UsageError is the
 * client's: 400); fastify's own (a body over the limit, malformed JSON, a schema mismatch) get a
 * message in the same voice, naming the field or the limit and what to do.
 */
import type { FastifyError } from 'fastify';
import { MmaeError } from '../errors/errors.js';
import { ServeError } from './serve-errors.js';

export interface ErrorReply {
  readonly status: number;
  readonly body: { readonly error: { readonly code: string; readonly message: string } };
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the server should log it: a fault of the server, not of the request. */
  readonly serverFault: boolean;
}

export interface ReplyContext {
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  /** Replaces server paths (a run's directory) in a message by the names clients know. */
  readonly scrub: (message: string) => string;
}

/** mmae error codes that are the request's fault; the others are the server's (or the run's). */
const CLIENT_CODES: ReadonlySet<string> = new Set(['USAGE', 'CONFIG']);

export function errorReply(error: unknown, context: ReplyContext): ErrorReply {
  if (error instanceof ServeError) {
    const headers: Record<string, string> =
      error.retryAfterSeconds === undefined
        ? {}
        : { 'retry-after': String(error.retryAfterSeconds) };
    return reply(error.status, error.code, context.scrub(error.message), headers);
  }
  if (error instanceof MmaeError) {
    const client = CLIENT_CODES.has(error.code);
    return reply(client ? 400 : 500, error.code, context.scrub(error.message), {}, !client);
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) return reply(400, 'BAD_REQUEST', validationMessage(fastifyError));
  const known = fastifyMessage(fastifyError, context);
  if (known) return known;
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply(status, codeOfStatus(status), String(fastifyError.message));
  }
  return reply(
    500,
    'INTERNAL',
    'unexpected error while answering; the server log has the details.',
    {},
    true,
  );
}

/**
 * Replies sent before the request's body was read to its end (a refusal at the door, a body cut
 * at the limit, a timeout while the client still sends) close the connection: Node would
 * otherwise keep it open for the rest of a body nobody reads, as a slow sender wants.
 */
const CLOSES: ReadonlySet<string> = new Set(['BUSY', 'TIMEOUT', 'PAYLOAD_TOO_LARGE', 'FORBIDDEN']);

function reply(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  serverFault = false,
): ErrorReply {
  const all = CLOSES.has(code) ? { ...headers, connection: 'close' } : headers;
  return { status, body: { error: { code, message } }, headers: all, serverFault };
}

function codeOfStatus(status: number): string {
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  return 'BAD_REQUEST';
}

/** Fastify's and @fastify/multipart's errors that a client meets, in mmae's words. */
function fastifyMessage(
  error: Partial<FastifyError>,
  context: ReplyContext,
): ErrorReply | undefined {
  const status = error.statusCode;
  const limit = `${context.bodyLimitBytes} bytes (the server's --body-limit)`;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return reply(
        413,
        'PAYLOAD_TOO_LARGE',
        `the request body is larger than ${limit}; send less.`,
      );
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return reply(
        413,
        'PAYLOAD_TOO_LARGE',
        'the multipart body has more parts than a request takes (one per modality and option).',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'this route takes a body of Content-Type application/json or multipart/form-data.',
      );
    case 'FST_ERR_HANDLER_TIMEOUT':
      return reply(
        503,
        'TIMEOUT',
        `the request took longer than ${context.requestTimeoutMs} ms (the server's ` +
          '--request-timeout); try again, or ask for less (fewer samples, a smaller k).',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return reply(400, 'BAD_REQUEST', 'the request body is not valid JSON; send a JSON object.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply(400, 'BAD_REQUEST', 'the request body is empty; send a JSON object.');
    default:
      // secure-json-parse refuses a __proto__ or constructor.prototype key as a SyntaxError.
      if (error instanceof SyntaxError && status === 400) {
        return reply(400, 'BAD_REQUEST', `the request body is refused: ${error.message}.`);
      }
      return undefined;
  }
}

/** "body.k: must be <= 1000", naming the field as the JSON body spells it. */
function validationMessage(error: Partial<FastifyError>): string {
  const [first] = error.validation ?? [];
  const where = error.validationContext ?? 'body';
  if (!first) return `${where}: does not match the route's schema (see /openapi.json).`;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const field = path ? `${where}.${path}` : where;
  const params = first.params as Record<string, unknown>;
  const detail =
    typeof params.additionalProperty === 'string'
      ? `${first.message} ("${params.additionalProperty}")`
      : typeof params.missingProperty === 'string'
        ? `needs the field "${params.missingProperty}"`
        : Array.isArray(params.allowedValues)
          ? `${first.message}: ${params.allowedValues.join(', ')}`
          : first.message;
  return `${field}: ${detail}; see /openapi.json for this route's schema.`;
}
