/**
 * A static file server for the browser build and one run, for tests and for trying the page:
 * it serves an allowlist fixed when it starts (the files web-build.json lists, and the five
 * files of a run directory a tab needs to open the run), each under one exact URL path, and
 * answers 404 to everything else. No path from a request is ever joined to a folder: a request
 * is looked up in the allowlist as it came, so `../`, `%2e%2e`, absolute paths and a run's other
 * files (optimizer state, metrics, eval reports) never reach the file system.
 *
 *   npx tsx web/static-server.ts RUN [--port 8080] [--build web/dist]   # then open /inference.html
 */
import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_FILES } from 'mmae/portable';
import { BUILD_LIST, DEFAULT_OUT_DIR, readBuildList } from './build.js';

/** The URL folder a run is served under; the page opens `/run/` by default. */
export const RUN_URL_PATH = '/run/';

/** What a tab fetches to open a run (web/fetch-run.ts): nothing the run holds besides. */
export const SERVED_RUN_FILES = [
  RUN_FILES.manifest,
  RUN_FILES.config,
  RUN_FILES.model,
  RUN_FILES.pluginState,
  RUN_FILES.weights,
] as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', // WebAssembly.instantiateStreaming requires it
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/**
 * The page runs only its own scripts; 'wasm-unsafe-eval' lets it compile tfjs's WebAssembly,
 * blob: shows decoded PNGs. No connection leaves the origin.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:; " +
  "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface StaticServerOptions {
  /** A folder web/build.ts wrote (default web/dist). */
  readonly buildDir?: string;
  /** The run directory served under /run/; none, no run is served. */
  readonly runDir?: string;
  /** Default 127.0.0.1: the page and the run stay on this machine unless asked otherwise. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
}

export interface StaticServer {
  /** The server's origin, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The URL paths it serves, and nothing else. */
  readonly paths: readonly string[];
  close(): Promise<void>;
}

export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const allowed = await allowlist(options);
  const server = createServer((request, response) => answer(allowed, request, response));
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => done());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    paths: [...allowed.keys()],
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** URL path → file, fixed at start: only regular files (no links) that exist now. */
async function allowlist(options: StaticServerOptions): Promise<Map<string, string>> {
  const buildDir = resolve(options.buildDir ?? DEFAULT_OUT_DIR);
  const built = await readBuildList(buildDir);
  if (built === undefined) {
    throw new Error(
      `${join(buildDir, BUILD_LIST)} is missing or unreadable: build the browser files first ` +
        '(npm run build:web).',
    );
  }
  const entries: [string, string][] = built
    .filter((file) => file !== BUILD_LIST)
    .map((file) => [`/${file}`, join(buildDir, ...file.split('/'))]);
  entries.push(['/', join(buildDir, 'inference.html')]);
  if (options.runDir !== undefined) {
    const runDir = resolve(options.runDir);
    for (const file of SERVED_RUN_FILES) {
      entries.push([`${RUN_URL_PATH}${file}`, join(runDir, file)]);
    }
  }
  const allowed = new Map<string, string>();
  for (const [path, file] of entries) {
    const stat = await lstat(file).catch(() => undefined);
    if (stat?.isFile()) allowed.set(path, file);
  }
  return allowed;
}

function answer(allowed: Map<string, string>, request: IncomingMessage, response: ServerResponse) {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Cache-Control', 'no-store');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
    response.end('only GET and HEAD\n');
    return;
  }
  // The path as sent, up to any query: never decoded, normalised or joined to a folder.
  const raw = request.url ?? '';
  const path = raw.split('?', 1)[0]!;
  const file = allowed.get(path);
  if (file === undefined) {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('not found\n');
    return;
  }
  lstat(file).then(
    (stat) => {
      if (!stat.isFile()) throw new Error(`${file} is no longer a regular file`);
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, {
        'Content-Type': type,
        'Content-Length': stat.size,
        ...(type.startsWith('text/html')
          ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY }
          : {}),
      });
      if (request.method === 'HEAD') response.end();
      else
        createReadStream(file)
          .on('error', () => response.destroy())
          .pipe(response);
    },
    () => {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found\n');
    },
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : undefined;
  };
  const port = Number(flag('--port') ?? 8080);
  const buildDir = flag('--build');
  const runDir = args[0];
  const server = await startStaticServer({
    port,
    ...(buildDir ? { buildDir } : {}),
    ...(runDir ? { runDir } : {}),
  });
  console.log(`serving ${server.paths.length} files at ${server.url}/inference.html`);
}
