/**
 * Which web pages may call the API. Without --cors no cross-origin page may: no
 * Access-Control-Allow-Origin header is ever sent, so a browser keeps the replies from it, and a
 * request that carries another page's Origin is refused (403) before it costs any work. That
 * second check matters because a page can send a form POST (multipart/form-data) to any
 * address without asking first; the browser only hides the reply. With --cors ORIGIN, that one
 * origin gets the CORS headers and its preflight (OPTIONS) is answered.
 *
 * A server on the loopback address also checks the Host header against its own names: a page
 * whose domain an attacker re-points at 127.0.0.1 (DNS rebinding) is same-origin to the browser,
 * but its requests still name the attacker's host.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServeError } from './serve-errors.js';

/** How long a browser may cache a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/** The names a loopback server answers to. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export interface OriginPolicy {
  /** The one origin allowed cross-origin, or none. */
  readonly allowedOrigin?: string;
  /** Host names requests may address; undefined: any (a server bound to a public address). */
  readonly allowedHosts?: readonly string[];
}

export function installOriginPolicy(app: FastifyInstance, policy: OriginPolicy): void {
  const { allowedOrigin, allowedHosts } = policy;
  app.addHook('onRequest', async (request, reply) => {
    if (allowedHosts && !allowedHosts.includes(hostnameOf(request.headers.host))) {
      throw new ServeError(
        'FORBIDDEN',
        `requests for the host ${JSON.stringify(String(request.headers.host).slice(0, 100))} are ` +
          `refused: this server answers to ${allowedHosts.join(', ')} only.`,
      );
    }
    const origin = request.headers.origin;
    if (origin === undefined || isSameOrigin(origin, request)) return;
    if (origin !== allowedOrigin) {
      throw new ServeError(
        'FORBIDDEN',
        `requests from the web page at ${origin.slice(0, 200)} are refused: this server takes ` +
          'cross-origin requests only from the origin its --cors names.',
      );
    }
    reply.header('access-control-allow-origin', allowedOrigin);
    reply.header('vary', 'Origin');
    if (request.method === 'OPTIONS') {
      return reply
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', String(PREFLIGHT_MAX_AGE))
        .code(204)
        .send();
    }
  });
}

/** 'localhost:8080' → 'localhost', '[::1]:8080' → '[::1]'; '' when absent or malformed. */
function hostnameOf(host: string | undefined): string {
  if (host === undefined) return '';
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return '';
  }
}

/** The page was served by this very server (a future explorer at `/`). */
function isSameOrigin(origin: string, request: FastifyRequest): boolean {
  const host = request.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}
