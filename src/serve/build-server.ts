/**
 * buildServer: the JSON HTTP API over trained runs, as a fastify instance (listen on it, or
 * `inject` requests in tests). The runs are opened once here and disposed when the server
 * closes; each route is one file of routes/, its schema beside its handler.
 */
import multipart from '@fastify/multipart';
import fastify, { type FastifyInstance } from 'fastify';
import type { OpenRunOptions } from '../open/open-run.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { errorReply } from './error-reply.js';
import { OpenApiCollector } from './openapi.js';
import { installOriginPolicy, LOOPBACK_HOSTS, type OriginPolicy } from './origin-policy.js';
import type { RouteContext } from './route-context.js';
import { decodeRoute } from './routes/decode.js';
import { encodeRoute } from './routes/encode.js';
import { generateRoutes } from './routes/generate.js';
import { retrieveRoute } from './routes/retrieve.js';
import { runInfoRoutes } from './routes/run-info.js';
import { disposeServedRun, openServedRuns, type ServedRun } from './served-run.js';
import { resolveServeLimits, type ServeLimits } from './serve-limits.js';

export interface BuildServerOptions extends OpenRunOptions {
  /** Run directories (or run names under runs/); each is served under its base name. */
  readonly runs: readonly string[];
  readonly limits?: Partial<ServeLimits>;
  /** The one web origin allowed to call the API from a browser; none unless given. */
  readonly cors?: string;
  /**
   * The host names a request may address (its Host header): default the loopback names, as the
   * server binds 127.0.0.1 by default; 'any' for a server listening on a public address.
   */
  readonly allowedHosts?: readonly string[] | 'any';
  /** Where notes and the server's own faults go; default stderr. */
  readonly log?: (line: string) => void;
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const limits = resolveServeLimits(options.limits);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { runs: dirs, limits: _limits, cors, allowedHosts, log: _log, ...openOptions } = options;
  const policy: OriginPolicy = {
    ...(cors === undefined ? {} : { allowedOrigin: cors }),
    ...(allowedHosts === 'any' ? {} : { allowedHosts: allowedHosts ?? LOOPBACK_HOSTS }),
  };
  const runs = await openServedRuns(dirs, { ...openOptions, log });
  try {
    return await assemble(runs, limits, policy, log);
  } catch (error) {
    for (const run of runs) disposeServedRun(run);
    throw error;
  }
}

async function assemble(
  runs: readonly ServedRun[],
  limits: ServeLimits,
  policy: OriginPolicy,
  log: (line: string) => void,
): Promise<FastifyInstance> {
  const app = fastify({
    logger: false,
    bodyLimit: limits.bodyLimitBytes,
    // Receiving the request (a slow sender) and answering it are each held to the timeout.
    requestTimeout: limits.requestTimeoutMs,
    handlerTimeout: limits.requestTimeoutMs,
    // Node looks for requests past requestTimeout every 30 s by default; look as often as the
    // timeout is short, so a slow sender is cut near its deadline.
    http: { connectionsCheckingInterval: Math.min(1000, limits.requestTimeoutMs) },
    routerOptions: { maxParamLength: 200 },
    ajv: {
      // A wrong type is refused, never coerced ("10" is not a k), and an unknown field is an
      // error, never dropped: a typo such as `sample` must not pass as the default.
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true },
    },
  });
  const context: RouteContext = {
    runs: new Map(runs.map((run) => [run.id, run])),
    limits,
    gate: new ConcurrencyGate(limits.maxConcurrent),
  };
  const replyContext = {
    bodyLimitBytes: limits.bodyLimitBytes,
    requestTimeoutMs: limits.requestTimeoutMs,
    scrub: (message: string) =>
      runs.reduce((text, run) => text.replaceAll(run.opened.runDir, run.id), message),
  };
  // First of all hooks, so they run for every request, the 404 handler's included.
  installOriginPolicy(app, policy);
  context.gate.install(app);
  app.setErrorHandler((error, request, reply) => {
    const answer = errorReply(error, replyContext);
    if (answer.serverFault) {
      log(
        `mmae serve: ${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`,
      );
    }
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `no route ${request.method} ${request.url.slice(0, 200)}; /openapi.json lists the routes.`,
      },
    }),
  );
  // Only JSON and multipart bodies: anything else is a 415, not a string handed to a route.
  app.removeContentTypeParser('text/plain');
  await app.register(multipart, { throwFileSizeLimit: true });

  const openapi = new OpenApiCollector();
  openapi.install(app);
  runInfoRoutes(app, context);
  encodeRoute(app, context);
  retrieveRoute(app, context);
  generateRoutes(app, context);
  decodeRoute(app, context);
  app.get('/openapi.json', async () => openapi.document());

  app.addHook('onClose', async () => {
    for (const run of runs) disposeServedRun(run);
  });
  return app;
}
