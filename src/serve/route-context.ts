/** What every route reads: the runs by id, the limits, and the helpers all handlers share. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConcurrencyGate } from './concurrency-gate.js';
import { uploadsOf } from './multipart-body.js';
import type { GivenInput, GivenInputs } from './request-inputs.js';
import type { ServedRun } from './served-run.js';
import { ServeError } from './serve-errors.js';
import type { ServeLimits } from './serve-limits.js';

export interface RouteContext {
  readonly runs: ReadonlyMap<string, ServedRun>;
  readonly limits: ServeLimits;
  readonly gate: ConcurrencyGate;
}

/** The run a request names by id; a path-like id (`../x`) is just an id no run has. */
export function servedRun(context: RouteContext, id: string): ServedRun {
  const run = context.runs.get(id);
  if (run) return run;
  throw new ServeError(
    'NOT_FOUND',
    `no run ${JSON.stringify(id.slice(0, 100))} is served here; this server has: ` +
      `${[...context.runs.keys()].join(', ')} (GET /api/runs lists them).`,
  );
}

/** Whether the reply is gone: sent already (by the timeout), or its client has hung up. */
export function answered(reply: FastifyReply): boolean {
  return reply.sent || reply.raw.destroyed;
}

/**
 * Ends a handler's work once its reply is gone: answered by the timeout, or its client has
 * closed the connection. Called between stages, so an abandoned request stops costing time.
 */
export function stopIfAnswered(reply: FastifyReply): void {
  if (answered(reply)) {
    throw new ServeError('TIMEOUT', 'the request was answered or abandoned before its work ended.');
  }
}

/** A body field of inputs by modality, with the files a multipart request uploaded for it. */
export function givenInputs(request: FastifyRequest, field: string): GivenInputs {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const json = (body[field] ?? {}) as Record<string, string>;
  const values = new Map<string, GivenInput>();
  for (const [name, value] of Object.entries(json)) values.set(name, { from: 'json', value });
  // Part names are unique (multipart-body.ts), so an upload never shadows a text field.
  for (const [name, upload] of uploadsOf(request)) values.set(name, upload);
  return { field, values };
}
