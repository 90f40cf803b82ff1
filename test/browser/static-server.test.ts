/**
 * The browser tests' static server serves its allowlist and nothing else, and a tab's fetch of
 * a run (web/fetch-run.ts) reads each file only up to the size the manifest lists. No browser is
 * needed: requests go out from Node, raw where a browser would normalise the path first.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_LIST } from '../../web/build.js';
import { fetchRunFiles, runDirectoryUrl } from '../../web/fetch-run.js';
import { startStaticServer, type StaticServer } from '../../web/static-server.js';

let dir: string;
let server: StaticServer;

/** A request sent as written: no URL normalisation of `..` or `%2e` on the way. */
function raw(path: string, method = 'GET') {
  const { hostname, port } = new URL(server.url);
  return new Promise<{ status: number; type: string | undefined; body: string }>((done, fail) => {
    const req = request({ host: hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () =>
        done({ status: res.statusCode!, type: res.headers['content-type'], body }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-static-'));
  const build = join(dir, 'build');
  const run = join(dir, 'run');
  await mkdir(join(build, 'wasm'), { recursive: true });
  await mkdir(run);
  const built = ['inference.html', 'mmae-web.js', 'wasm/tfjs-backend-wasm.wasm'];
  for (const file of built) await writeFile(join(build, file), `contents of ${file}`);
  await writeFile(join(build, BUILD_LIST), JSON.stringify({ files: [...built, BUILD_LIST] }));
  await writeFile(join(build, 'secret.txt'), 'not in the build list');
  for (const file of ['manifest.json', 'config.json', 'model.json', 'weights.bin']) {
    await writeFile(join(run, file), `run file ${file}`);
  }
  for (const file of ['optimizer.json', 'metrics.jsonl']) await writeFile(join(run, file), 'x');
  await writeFile(join(dir, 'outside.json'), 'outside the run');
  // A run's state.json that is a link out of the run is not served, even though it is listed.
  await symlink(join(dir, 'outside.json'), join(run, 'state.json'));
  server = await startStaticServer({ buildDir: build, runDir: run });
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the static server for the browser build', () => {
  it('binds to 127.0.0.1 and serves the build and the run files a tab needs, typed', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await raw('/inference.html');
    expect(page).toMatchObject({ status: 200, body: 'contents of inference.html' });
    expect(page.type).toMatch(/^text\/html/);
    expect((await raw('/')).body).toBe('contents of inference.html');
    expect((await raw('/wasm/tfjs-backend-wasm.wasm')).type).toBe('application/wasm');
    expect((await raw('/mmae-web.js')).type).toMatch(/^text\/javascript/);
    expect(await raw('/run/model.json')).toMatchObject({
      status: 200,
      body: 'run file model.json',
    });
    expect((await raw('/run/weights.bin?v=2')).body).toBe('run file weights.bin');
    expect(server.paths).toEqual(
      expect.arrayContaining(['/run/manifest.json', '/run/config.json', '/run/weights.bin']),
    );
  });

  it("answers 404 to a path outside the allowlist: another of the run's files, ../, %2e%2e, a link", async () => {
    for (const path of [
      '/run/optimizer.json',
      '/run/metrics.jsonl',
      '/run/state.json', // a symbolic link
      '/run/../outside.json',
      '/run/%2e%2e/outside.json',
      '/run/..%2foutside.json',
      '//run/model.json',
      '/run/model.json/',
      '/secret.txt',
      `/${BUILD_LIST}`,
      '/etc/passwd',
      '/wasm/',
      'http://127.0.0.1/run/model.json',
    ]) {
      expect({ path, status: (await raw(path)).status }).toEqual({ path, status: 404 });
    }
  });

  it('refuses every method but GET and HEAD', async () => {
    expect((await raw('/run/model.json', 'POST')).status).toBe(405);
    expect((await raw('/run/model.json', 'PUT')).status).toBe(405);
    expect(await raw('/run/model.json', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });
});

describe("a tab's fetch of a run", () => {
  const manifest = (files: Record<string, number>) =>
    new TextEncoder().encode(
      JSON.stringify({
        files: Object.fromEntries(Object.entries(files).map(([n, bytes]) => [n, { bytes }])),
      }),
    );
  const model = new TextEncoder().encode(
    JSON.stringify({ weightsManifest: [{ paths: ['weights.bin'], weights: [] }] }),
  );
  const served = (files: Record<string, Uint8Array>) => async (url: string) => {
    const name = new URL(url).pathname.split('/').pop()!;
    const body = files[name];
    return body ? new Response(body) : new Response('no', { status: 404 });
  };

  it('fetches the files the manifest lists, state.json only when listed', async () => {
    const files = {
      'manifest.json': manifest({ 'config.json': 2, 'model.json': model.length, 'weights.bin': 3 }),
      'config.json': new Uint8Array(2),
      'model.json': model,
      'weights.bin': Uint8Array.of(1, 2, 3),
    };
    const fetched = await fetchRunFiles(runDirectoryUrl('http://x/run'), served(files));
    expect(fetched.pluginState).toBeUndefined();
    expect(Array.from(fetched.weights['weights.bin']!)).toEqual([1, 2, 3]);
    expect(fetched.model).toEqual(model);
  });

  it('stops reading a file past the size the manifest lists for it', async () => {
    const files = {
      'manifest.json': manifest({ 'config.json': 2, 'model.json': model.length, 'weights.bin': 3 }),
      'config.json': new Uint8Array(2),
      'model.json': model,
      'weights.bin': new Uint8Array(4096),
    };
    await expect(fetchRunFiles(runDirectoryUrl('http://x/run/'), served(files))).rejects.toThrow(
      /http:\/\/x\/run\/weights\.bin is larger than the 3 bytes the run lists for it/,
    );
  });

  it('names an unlisted file and a file name with a path in it', async () => {
    await expect(
      fetchRunFiles(
        runDirectoryUrl('http://x/run/'),
        served({ 'manifest.json': manifest({ 'model.json': model.length }) }),
      ),
    ).rejects.toThrow(/manifest\.json does not list config\.json; this is not a complete mmae run/);
    const escaping = new TextEncoder().encode(
      JSON.stringify({ weightsManifest: [{ paths: ['../weights.bin'], weights: [] }] }),
    );
    await expect(
      fetchRunFiles(
        runDirectoryUrl('http://x/run/'),
        served({
          'manifest.json': manifest({
            'config.json': 2,
            'model.json': escaping.length,
            '../weights.bin': 3,
          }),
          'config.json': new Uint8Array(2),
          'model.json': escaping,
        }),
      ),
    ).rejects.toThrow(/'\.\.\/weights\.bin' is not a file name of a run directory/);
  });
});
