import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/serve/index.js';
import { digitPng, errorOf, multipartBody, trainTinyRun } from './serve-fixture.js';

let dir: string;
let runDir: string;
let app: FastifyInstance;
let png: Buffer;
const servers: FastifyInstance[] = [];

/** A server of the tiny run with some limits of its own. */
async function serverWith(options: Omit<Parameters<typeof buildServer>[0], 'runs'>) {
  const server = await buildServer({ runs: [runDir], log: () => {}, ...options });
  servers.push(server);
  await server.ready();
  return server;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-serve-refusals-'));
  runDir = await trainTinyRun(dir);
  app = await serverWith({ limits: { bodyLimitBytes: 4096 } });
  png = await digitPng();
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('requests the server refuses, each with a typed { error: { code, message } }', () => {
  it('malformed JSON, wrong types and unknown fields are 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      ['{"query": {"text": "a seven"', /not valid JSON/],
      ['', /body is empty/],
      [{ query: { text: 'a seven' }, to: 'image', k: '10' }, /^body\.k: must be integer/],
      [{ query: { text: 'a seven' }, to: 'image', k: 0 }, /^body\.k: must be >= 1/],
      [{ query: { text: 7 }, to: 'image' }, /^body\.query\.text: must be string/],
      [
        { query: { text: 'a seven' }, to: 'image', kk: 3 },
        /must NOT have additional properties \("kk"\)/,
      ],
      [{ query: { text: 'a seven' } }, /needs the field "to"/],
      [
        { query: { text: 'a seven' }, to: 'image', split: 'dev' },
        /^body\.split: must be equal to one of/,
      ],
      ['{"__proto__": {"x": 1}, "to": "image"}', /refused|not valid JSON/],
      ['[1, 2]', /^body: must be object/],
    ];
    for (const [payload, message] of cases) {
      const response = await post('/api/runs/run/retrieve', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const error = errorOf(response);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message, JSON.stringify(payload)).toMatch(message);
    }
  });

  it("usage errors are 400 with the CLI's message: empty text, k over the gallery, a latent of the wrong size", async () => {
    const cases: [string, object, RegExp][] = [
      ['retrieve', { query: { text: '  ' }, to: 'image' }, /query\.text: the text is empty/],
      [
        'retrieve',
        { query: {}, to: 'image' },
        /query: give at least one of this run's modalities \(image, text\)/,
      ],
      [
        'retrieve',
        { query: { text: 'a seven' }, to: 'image', k: 500 },
        /k: 500 is larger than the image gallery of the test split \(200 items\)/,
      ],
      ['decode', { latent: [1, 2, 3] }, /latent: a latent must have 8 values, got 3/],
      ['decode', { latent: [1e39, 0, 0, 0, 0, 0, 0, 0] }, /latent value 0 is 1e\+39/],
      ['encode', { inputs: { image: 'not base64!' } }, /inputs\.image: not base64/],
      [
        'encode',
        { inputs: { image: png.subarray(0, 40).toString('base64') } },
        /inputs: the input cannot be read/,
      ],
    ];
    for (const [route, payload, message] of cases) {
      const response = await post(`/api/runs/run/${route}`, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(response)).toEqual({ code: 'USAGE', message: expect.stringMatching(message) });
    }
  });

  it('an unknown run or modality is 404, with the message the CLI gives for a modality', async () => {
    const cases: [string, object, RegExp][] = [
      [
        '/api/runs/other/encode',
        { inputs: { text: 'a seven' } },
        /no run "other" is served here; this server has: run/,
      ],
      [
        '/api/runs/run/encode',
        { inputs: { audio: 'UklGRg==' } },
        /^inputs\.audio: this run has no modality "audio"; it was trained on: image, text\.$/,
      ],
      [
        '/api/runs/run/retrieve',
        { query: { text: 'a seven' }, to: 'audio' },
        /^to: this run has no modality "audio"/,
      ],
      ['/api/runs/run/generate', { to: 'audio' }, /^to: this run has no modality "audio"/],
      [
        '/api/runs/run/decode',
        { latent: [0, 0, 0, 0, 0, 0, 0, 0], modalities: ['audio'] },
        /^modalities\.0: this run has no modality/,
      ],
    ];
    for (const [url, payload, message] of cases) {
      const response = await post(url, payload);
      expect(response.statusCode, url).toBe(404);
      expect(errorOf(response)).toEqual({
        code: 'NOT_FOUND',
        message: expect.stringMatching(message),
      });
    }
    const report = await app.inject('/api/runs/run/report');
    expect(report.statusCode).toBe(404);
    expect(errorOf(report).message).toMatch(/run "run" has no evaluation report; run `mmae eval`/);
    expect(errorOf(await app.inject('/nowhere')).code).toBe('NOT_FOUND');
  });

  it("a damaged index of the run is the server's fault (500), named without the server's path", async () => {
    await mkdir(join(runDir, 'index', 'image-validation'), { recursive: true });
    await writeFile(join(runDir, 'index', 'image-validation', 'index.json'), '{"damaged": ');
    const response = await post('/api/runs/run/retrieve', {
      query: { text: 'a seven' },
      to: 'image',
      split: 'validation',
    });
    expect(response.statusCode).toBe(500);
    const error = errorOf(response);
    expect(error.code).toBe('RUN');
    expect(error.message).toMatch(/^run\/index\/image-validation\/index\.json/);
    expect(error.message).not.toContain(dir);
    // Not cached: once repaired, the next request opens it (here, builds it anew).
    await rm(join(runDir, 'index', 'image-validation'), { recursive: true });
    const repaired = await post('/api/runs/run/retrieve', {
      query: { text: 'a seven' },
      to: 'image',
      split: 'validation',
    });
    expect(repaired.statusCode, repaired.body).toBe(200);
  });

  it('path-like run ids name no run and reach no file', async () => {
    const urls = [
      '/api/runs/..%2F..%2Fetc/config',
      '/api/runs/%2e%2e/config',
      '/api/runs/%2E%2E%2Frun/metrics',
      '/api/runs/..%5Crun/config',
      `/api/runs/${encodeURIComponent(runDir)}/config`,
      '/api/runs/../runs/run/../../config',
    ];
    for (const url of urls) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(errorOf(response).code).toBe('NOT_FOUND');
    }
    const posted = await post('/api/runs/..%2Frun/encode', { inputs: { text: 'a seven' } });
    expect(posted.statusCode).toBe(404);
    expect(errorOf(posted).message).toMatch(/^no run "\.\.\/run" is served here/);
  });

  it('a body over the limit is 413, as JSON and as a multipart upload', async () => {
    const big = Buffer.alloc(6000, 1);
    const json = await post('/api/runs/run/encode', { inputs: { image: big.toString('base64') } });
    expect(json.statusCode).toBe(413);
    expect(errorOf(json)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(/larger than 4096 bytes \(the server's --body-limit\)/),
    });
    const form = multipartBody([{ name: 'inputs.image', value: big, filename: 'big.png' }]);
    const upload = await app.inject({ method: 'POST', url: '/api/runs/run/encode', ...form });
    expect(upload.statusCode).toBe(413);
    expect(errorOf(upload).code).toBe('PAYLOAD_TOO_LARGE');
    // Two files each under the limit, over it together.
    const two = multipartBody([
      { name: 'inputs.image', value: Buffer.alloc(3000, 1), filename: 'a.png' },
      { name: 'inputs.text', value: Buffer.alloc(3000, 97), filename: 'b.txt' },
    ]);
    const both = await app.inject({ method: 'POST', url: '/api/runs/run/encode', ...two });
    expect(both.statusCode).toBe(413);
  });

  it('an upload that is not an image is 415, whatever Content-Type the client claims', async () => {
    const form = multipartBody([
      {
        name: 'query.image',
        value: 'just some words',
        filename: 'digit.png',
        contentType: 'image/png',
      },
      { name: 'to', value: 'text' },
    ]);
    const upload = await app.inject({ method: 'POST', url: '/api/runs/run/retrieve', ...form });
    expect(upload.statusCode).toBe(415);
    expect(errorOf(upload)).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringMatching(
        /^query\.image: the upload "digit\.png" is not an image \(PNG, JPEG/,
      ),
    });
    const base64 = await post('/api/runs/run/encode', {
      inputs: { image: Buffer.from('words').toString('base64') },
    });
    expect(base64.statusCode).toBe(415);
    // A body that is neither JSON nor multipart.
    const plain = await post('/api/runs/run/encode', 'inputs', { 'content-type': 'text/plain' });
    expect(plain.statusCode).toBe(415);
    expect(errorOf(plain).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('multipart parts are held to the route: a file outside the inputs, a repeated part, a number field', async () => {
    const cases: [Parameters<typeof multipartBody>[0], number, RegExp][] = [
      [
        [{ name: 'to', value: png, filename: 'x.png' }],
        400,
        /"to" is a file; files go in parts named query\.MODALITY/,
      ],
      [
        [
          { name: 'query.text', value: 'a' },
          { name: 'query.text', value: 'b' },
          { name: 'to', value: 'image' },
        ],
        400,
        /given twice/,
      ],
      [
        [
          { name: 'query.text', value: 'a seven' },
          { name: 'to', value: 'image' },
          { name: 'k', value: '1e3' },
        ],
        400,
        /^body\.k: must be integer/,
      ],
      [
        [
          { name: 'query.text', value: 'a seven' },
          { name: 'to', value: 'image' },
          { name: 'kk', value: '3' },
        ],
        400,
        /additional properties \("kk"\)/,
      ],
    ];
    for (const [parts, status, message] of cases) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/runs/run/retrieve',
        ...multipartBody(parts),
      });
      expect(response.statusCode, JSON.stringify(parts.map((p) => p.name))).toBe(status);
      expect(errorOf(response).message).toMatch(message);
    }
  });
});

describe('load limits', () => {
  it('answers 503 with Retry-After to a request beyond --max-concurrent, and takes the next one', async () => {
    const server = await serverWith({ limits: { maxConcurrent: 1 } });
    const slow = server.inject({
      method: 'POST',
      url: '/api/runs/run/generate',
      payload: { from: { text: 'a seven' }, to: 'image', samples: 100 },
    });
    await new Promise((resolve) => setImmediate(resolve));
    const refused = await server.inject('/api/runs');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(errorOf(refused)).toEqual({
      code: 'BUSY',
      message: expect.stringMatching(/answering 1 requests already \(its --max-concurrent\)/),
    });
    expect((await slow).statusCode).toBe(200);
    expect((await server.inject('/api/runs')).statusCode).toBe(200);
  });

  it('answers 503 TIMEOUT past --request-timeout and frees the slot and the tensors once the work ends', async () => {
    const server = await serverWith({ limits: { requestTimeoutMs: 1, maxConcurrent: 1 } });
    const warm = await server.inject('/api/runs');
    expect(warm.statusCode).toBe(200);
    const before = tf.memory().numTensors;
    const response = await server.inject({
      method: 'POST',
      url: '/api/runs/run/generate',
      payload: { from: { text: 'a seven' }, to: 'image', samples: 100 },
    });
    expect(response.statusCode).toBe(503);
    expect(errorOf(response)).toEqual({
      code: 'TIMEOUT',
      message: expect.stringMatching(/longer than 1 ms \(the server's --request-timeout\)/),
    });
    // The abandoned work (100 PNGs to render) still holds the one slot; once it stops, the
    // server answers again.
    const meanwhile = await server.inject('/api/runs');
    expect(errorOf(meanwhile).code).toBe('BUSY');
    let status = 503;
    for (let i = 0; i < 200 && status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = (await server.inject('/api/runs')).statusCode;
    }
    expect(status).toBe(200);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a slow sender', () => {
  it('is answered 503 TIMEOUT at --request-timeout and its connection closed', async () => {
    const server = await serverWith({ limits: { requestTimeoutMs: 300 } });
    const address = new URL(await server.listen({ host: '127.0.0.1', port: 0 }));
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(address.port), '127.0.0.1', () => {
        // Headers that promise 100 bytes of body, then 5 of them, then nothing.
        socket.write(
          'POST /api/runs/run/encode HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
            'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"inp',
        );
      });
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    const elapsed = Date.now() - started;
    expect(reply).toMatch(/^HTTP\/1\.1 503 /);
    expect(reply).toMatch(/"code":"TIMEOUT"/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('origins', () => {
  it('without --cors, sends no CORS header and refuses a request from another page with 403', async () => {
    const fromPage = await app.inject({
      url: '/api/runs',
      headers: { origin: 'https://evil.example' },
    });
    expect(fromPage.statusCode).toBe(403);
    expect(fromPage.headers['access-control-allow-origin']).toBeUndefined();
    expect(errorOf(fromPage).code).toBe('FORBIDDEN');
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/runs/run/encode',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(403);
    // A request without an Origin (curl, a script) or from the server's own origin is answered.
    const plain = await app.inject('/api/runs');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a request addressed to another host name, as a re-pointed (rebound) domain sends it', async () => {
    const rebound = await app.inject({
      url: '/api/runs/run/config',
      headers: { host: 'evil.example:8080', origin: 'http://evil.example:8080' },
    });
    expect(rebound.statusCode).toBe(403);
    expect(errorOf(rebound).message).toMatch(/answers to localhost, 127\.0\.0\.1, \[::1\] only/);
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:9']) {
      expect((await app.inject({ url: '/api/runs', headers: { host } })).statusCode, host).toBe(
        200,
      );
    }
    const anyHost = await serverWith({ allowedHosts: 'any' });
    expect(
      (await anyHost.inject({ url: '/api/runs', headers: { host: 'mmae.lan:8080' } })).statusCode,
    ).toBe(200);
  });

  it('with --cors ORIGIN, answers that origin with CORS headers and its preflight, and no other', async () => {
    const server = await serverWith({ cors: 'http://localhost:5173' });
    const allowed = await server.inject({
      url: '/api/runs',
      headers: { origin: 'http://localhost:5173' },
    });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const preflight = await server.inject({
      method: 'OPTIONS',
      url: '/api/runs/run/encode',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST');
    const other = await server.inject({
      url: '/api/runs',
      headers: { origin: 'http://localhost:5174' },
    });
    expect(other.statusCode).toBe(403);
  });
});
