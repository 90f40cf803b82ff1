import { parseArgs } from 'node:util';
import { UsageError } from '../errors/errors.js';
import { buildServer, DEFAULT_SERVE_LIMITS, runIdsOf, SERVE_LIMIT_RANGES } from '../serve/index.js';
import type { Command } from './command.js';
import { openRunFlagOptions, openRunOptionsOf, OPEN_RUN_FLAGS_HELP } from './open-run-flags.js';
import { optionalWholeNumberFlag, wholeNumberFlag } from './whole-number-flag.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const serveCommand: Command = {
  name: 'serve',
  summary: 'answer encode, retrieve, generate and decode requests over HTTP (JSON)',
  help: `usage: mmae serve RUN [RUN…] [--host 127.0.0.1] [--port 8080] [--body-limit BYTES]
                  [--request-timeout MS] [--max-concurrent N] [--cors ORIGIN] [--backend B] [--plugin P…]

Opens each RUN once and serves it under its directory's name (GET /api/runs lists them; the
routes and their schemas are at /openapi.json; docs/serving.md has examples).
  --host H             the address to listen on (default 127.0.0.1, this machine only; any
                       other address is reachable from the network, and a warning says so)
  --port P             the port (default 8080; 0 picks a free one)
  --body-limit B       largest request body in bytes, JSON or multipart (default ${DEFAULT_SERVE_LIMITS.bodyLimitBytes})
  --request-timeout MS longest a request may take, receiving and answering (default ${DEFAULT_SERVE_LIMITS.requestTimeoutMs})
  --max-concurrent N   requests in flight at once; more are answered 503 (default ${DEFAULT_SERVE_LIMITS.maxConcurrent})
  --cors ORIGIN        let the web page of this one origin (https://example.org) call the API
                       from a browser; without it, no cross-origin page can
${OPEN_RUN_FLAGS_HELP}

A request never names a file: inputs come in the request itself, and runs by the names above.
See docs/security.md, "Serving over HTTP".`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8080' },
        'body-limit': { type: 'string' },
        'request-timeout': { type: 'string' },
        'max-concurrent': { type: 'string' },
        cors: { type: 'string' },
        ...openRunFlagOptions,
      },
    });
    if (positionals.length === 0) throw new UsageError('give at least one RUN directory to serve');
    const port = wholeNumberFlag(values.port, '--port', { min: 0, max: 65_535 });
    const limit = (flag: keyof typeof SERVE_LIMIT_RANGES, value: string | undefined) =>
      optionalWholeNumberFlag(value, SERVE_LIMIT_RANGES[flag].flag, SERVE_LIMIT_RANGES[flag]);
    const limits = {
      bodyLimitBytes: limit('bodyLimitBytes', values['body-limit']),
      requestTimeoutMs: limit('requestTimeoutMs', values['request-timeout']),
      maxConcurrent: limit('maxConcurrent', values['max-concurrent']),
    };
    const cors = values.cors === undefined ? undefined : checkOrigin(values.cors);
    const host = values.host;
    if (!LOOPBACK.has(host)) {
      process.stderr.write(
        `mmae serve: warning: listening on ${host}, not 127.0.0.1: anyone who can reach this ` +
          'machine on the network can use the API (there is no authentication); see docs/security.md.\n',
      );
    }
    const app = await buildServer({
      runs: positionals,
      limits,
      ...(cors === undefined ? {} : { cors }),
      // On a public address the names it is reached by are the user's; on loopback, its own.
      ...(LOOPBACK.has(host) ? {} : { allowedHosts: 'any' as const }),
      ...openRunOptionsOf(values),
    });
    const address = await app.listen({ host, port });
    // The ids buildServer gave the runs: the same function, over the same list.
    const ids = runIdsOf(positionals).join(', ');
    process.stdout.write(`mmae serve: listening on ${address}; runs: ${ids} (GET /api/runs)\n`);
    await stopped();
    await app.close();
    return 0;
  },
};

/** One origin, scheme://host[:port], as a browser sends it in the Origin header. */
function checkOrigin(value: string): string {
  let origin: string | undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
  } catch {
    origin = undefined;
  }
  if (origin === undefined || origin !== value) {
    throw new UsageError(
      `--cors: "${value}" is not one web origin; give scheme://host[:port] with no path, e.g. ` +
        'https://example.org or http://localhost:5173 (a wildcard is not taken).',
    );
  }
  return origin;
}

/** Resolves on Ctrl-C or a termination signal, so the server closes cleanly. */
function stopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
