import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun, type LoadedModel } from '../../src/index.js';
import { generate, loadGalleryIndex } from '../../src/crossmodal/index.js';
import { openRun, type OpenedRun } from '../../src/open/open-run.js';
import { readMetrics } from '../../src/runs/index.js';
import { buildServer } from '../../src/serve/index.js';
import { digitPng, multipartBody, trainTinyRun } from './serve-fixture.js';

let dir: string;
let runDir: string;
let app: FastifyInstance;
let model: LoadedModel;
let opened: OpenedRun;
let png: Buffer;
const caption = 'a handwritten seven';
const report = { crossmodal: { coherence: { 'text→image': 0.5 } }, note: 'written by the test' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-serve-routes-'));
  runDir = await trainTinyRun(dir);
  await mkdir(join(runDir, 'eval'));
  await writeFile(join(runDir, 'eval', 'report.json'), JSON.stringify(report));
  app = await buildServer({ runs: [runDir], log: () => {} });
  // The answers the routes must give, from the library's own entry points.
  model = await loadRun(runDir);
  opened = await openRun(runDir);
  png = await digitPng();
});

afterAll(async () => {
  await app?.close();
  model?.dispose();
  opened?.model.dispose();
  await rm(dir, { recursive: true, force: true });
});

const post = (route: string, payload: object) =>
  app.inject({ method: 'POST', url: `/api/runs/run/${route}`, payload });

describe('the read-only routes', () => {
  it('lists the run under its directory name with its modalities and how each is sent', async () => {
    const response = await app.inject('/api/runs');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      runs: [
        {
          id: 'run',
          variant: 'poe',
          latentSize: 8,
          probabilistic: true,
          modalities: [
            {
              name: 'image',
              plugin: 'image',
              input: 'base64',
              files: expect.stringMatching(/PNG/),
            },
            { name: 'text', plugin: 'text', input: 'text' },
          ],
          epochs: 2,
          report: true,
        },
      ],
    });
  });

  it("serves the run's config, its metrics.jsonl and its eval report as read from the run", async () => {
    const [config, metrics, served] = await Promise.all(
      ['config', 'metrics', 'report'].map((r) => app.inject(`/api/runs/run/${r}`)),
    );
    expect(config!.json().config).toEqual(JSON.parse(JSON.stringify(opened.config)));
    expect(metrics!.json()).toEqual({ run: 'run', epochs: await readMetrics(runDir) });
    expect(served!.json()).toEqual({ run: 'run', report });
  });
});

describe('the model routes answer as LoadedModel does', () => {
  it('encodes text, a base64 PNG and both together into the codes LoadedModel.encode gives', async () => {
    const inputs = [
      [{ text: caption }, { text: caption }],
      [{ image: png.toString('base64') }, { image: png }],
      [
        { image: `data:image/png;base64,${png.toString('base64')}`, text: caption },
        { image: png, text: caption },
      ],
    ] as const;
    for (const [json, library] of inputs) {
      const response = await post('encode', { inputs: json });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().latent).toEqual(Array.from(await model.encode(library)));
    }
  });

  it('takes the same inputs as multipart uploads, with the same answer', async () => {
    const form = multipartBody([
      { name: 'inputs.image', value: png, filename: 'digit.png', contentType: 'image/png' },
      { name: 'inputs.text', value: caption },
    ]);
    const response = await app.inject({ method: 'POST', url: '/api/runs/run/encode', ...form });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().latent).toEqual(
      Array.from(await model.encode({ image: png, text: caption })),
    );
  });

  it("retrieves the ids and scores that the run's own index gives for LoadedModel's code", async () => {
    const response = await post('retrieve', { query: { text: caption }, to: 'image', k: 5 });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const index = (await loadGalleryIndex(opened, 'image', 'test'))!;
    const [expected = []] = index.search(await model.encode({ text: caption }), 5);
    index.dispose?.();
    expect(body.gallerySize).toBe(200);
    expect(body.hits.map((h: { id: string }) => h.id)).toEqual(expected.map((h) => h.id));
    expect(body.hits.map((h: { score: number }) => h.score)).toEqual(
      expected.map((h) => 1 - h.distance),
    );
    expect(body.hits.map((h: { rank: number }) => h.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(body.hits.every((h: { label?: number }) => Number.isInteger(h.label))).toBe(true);

    const form = multipartBody([
      { name: 'query.text', value: caption },
      { name: 'to', value: 'image' },
      { name: 'k', value: '5' },
    ]);
    const uploaded = await app.inject({ method: 'POST', url: '/api/runs/run/retrieve', ...form });
    expect(uploaded.json().hits).toEqual(body.hits);
  });

  it('answers queries that arrive together (encoded and searched as one batch) as it answers each alone', async () => {
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const bodies = [
      ...words.map((w) => ({ query: { text: `a handwritten ${w}` }, to: 'image', k: 5 })),
      ...words.map((w, i) => ({ query: { text: `the digit ${w}` }, to: 'image', k: 1 + i })),
      { query: { image: png.toString('base64') }, to: 'text', k: 3 },
      { query: { image: png.toString('base64'), text: caption }, to: 'image', k: 4 },
    ];
    const together = await Promise.all(bodies.map((b) => post('retrieve', b)));
    const alone: Awaited<ReturnType<typeof post>>[] = [];
    for (const b of bodies) alone.push(await post('retrieve', b));
    type Hit = { id: string; rank: number; score: number; label?: number };
    together.forEach((response, i) => {
      expect(response.statusCode, response.body).toBe(200);
      const [batched, single] = [response.json().hits as Hit[], alone[i]!.json().hits as Hit[]];
      const at = JSON.stringify(bodies[i]);
      expect(
        batched.map(({ score: _, ...rest }) => rest),
        at,
      ).toEqual(single.map(({ score: _, ...rest }) => rest));
      // A product over a batch rounds in float32 as it will: the 7th digit may differ.
      batched.forEach((hit, r) =>
        expect(Math.abs(hit.score - single[r]!.score), at).toBeLessThan(1e-6),
      );
    });
  });

  it('translates as LoadedModel.translate: the same features and the same PNG or caption', async () => {
    const toImage = await post('translate', { from: { text: caption }, to: 'image' });
    expect(toImage.statusCode, toImage.body).toBe(200);
    const image = await model.translate({ text: caption }, 'image');
    expect(toImage.json().decoded.features).toEqual(Array.from(image.features));
    expect(toImage.json().decoded.artefact).toEqual({
      kind: 'png',
      mediaType: 'image/png',
      base64: Buffer.from((image.artefact as { data: Uint8Array }).data).toString('base64'),
    });
    const toText = await post('translate', { from: { image: png.toString('base64') }, to: 'text' });
    const text = await model.translate({ image: png }, 'text');
    expect(toText.json().decoded.artefact.text).toBe((text.artefact as { text: string }).text);
    expect(toText.json().decoded.features).toEqual(Array.from(text.features));
  });

  it('translates and generates from multipart forms as from JSON, a form without inputs drawing from the prior', async () => {
    const form = (parts: Parameters<typeof multipartBody>[0], route: string) =>
      app.inject({ method: 'POST', url: `/api/runs/run/${route}`, ...multipartBody(parts) });
    const uploaded = await form(
      [
        { name: 'from.image', value: png, filename: 'digit.png' },
        { name: 'to', value: 'text' },
      ],
      'translate',
    );
    const json = await post('translate', { from: { image: png.toString('base64') }, to: 'text' });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    expect(uploaded.json()).toEqual(json.json());
    const prior = await form(
      [
        { name: 'to', value: 'text' },
        { name: 'samples', value: '3' },
        { name: 'seed', value: '9' },
      ],
      'generate',
    );
    expect(prior.json()).toEqual(
      (await post('generate', { to: 'text', samples: 3, seed: 9 })).json(),
    );
    expect(prior.json().source).toBe('prior');
  });

  it('generates the seeded draws `mmae generate` makes, from a query and from the prior', async () => {
    const response = await post('generate', {
      from: { text: caption },
      to: 'image',
      samples: 3,
      seed: 5,
    });
    expect(response.statusCode, response.body).toBe(200);
    const query = { modality: 'text', input: caption, source: JSON.stringify(caption) };
    const expected = await generate(opened, { source: 'query', query, to: 'image', samples: 3 }, 5);
    const b64 = (a: { kind: string; data?: Uint8Array }) => Buffer.from(a.data!).toString('base64');
    expect(response.json()).toMatchObject({
      run: 'run',
      to: 'image',
      seed: 5,
      source: 'posterior',
    });
    expect(response.json().samples.map((s: { base64: string }) => s.base64)).toEqual(
      expected.map(b64),
    );
    // Another seed draws other images; the same seed the same ones.
    const other = await post('generate', {
      from: { text: caption },
      to: 'image',
      samples: 3,
      seed: 6,
    });
    expect(other.json().samples).not.toEqual(response.json().samples);

    const prior = await post('generate', { to: 'text', samples: 4, seed: 9 });
    const fromPrior = await generate(opened, { source: 'prior', to: 'text', samples: 4 }, 9);
    expect(prior.json().source).toBe('prior');
    expect(prior.json().samples.map((s: { text: string }) => s.text)).toEqual(
      fromPrior.map((a) => (a as { text: string }).text),
    );
    // Without a seed, the run's own.
    const unseeded = await post('generate', { to: 'text', samples: 4 });
    expect(unseeded.json().seed).toBe(opened.config.seed);
  });

  it('decodes a latent into every modality as LoadedModel.decode does', async () => {
    const z = await model.encode({ text: caption });
    const response = await post('decode', { latent: Array.from(z) });
    expect(response.statusCode, response.body).toBe(200);
    const { decoded } = response.json();
    expect(Object.keys(decoded)).toEqual(['image', 'text']);
    for (const name of ['image', 'text']) {
      const expected = await model.decode(z, name);
      expect(decoded[name].features).toEqual(Array.from(expected.features));
    }
    const only = await post('decode', { latent: Array.from(z), modalities: ['text'] });
    expect(Object.keys(only.json().decoded)).toEqual(['text']);
  });

  it('holds the number of tensors flat over repeated requests of every route', async () => {
    const round = () =>
      Promise.all([
        post('encode', { inputs: { image: png.toString('base64'), text: caption } }),
        post('retrieve', { query: { image: png.toString('base64') }, to: 'text', k: 3 }),
        post('translate', { from: { text: caption }, to: 'image' }),
        post('generate', { from: { text: caption }, to: 'image', samples: 4 }),
        post('generate', { to: 'text', samples: 2 }),
        post('decode', { latent: new Array(8).fill(0.5) }),
        post('encode', { inputs: { image: 'bm90IGFuIGltYWdl' } }), // refused: not a PNG
      ]);
    await round(); // first use opens the text gallery and the index's tensors
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      const statuses = (await round()).map((r) => r.statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 415]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the OpenAPI document', () => {
  it('lists every route with the schemas the server validates with', async () => {
    const doc = (await app.inject('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/runs',
        '/api/runs/{run}/config',
        '/api/runs/{run}/decode',
        '/api/runs/{run}/encode',
        '/api/runs/{run}/generate',
        '/api/runs/{run}/metrics',
        '/api/runs/{run}/report',
        '/api/runs/{run}/retrieve',
        '/api/runs/{run}/translate',
      ].sort(),
    );
    const retrieve = doc.paths['/api/runs/{run}/retrieve'].post;
    expect(retrieve.requestBody.content['application/json'].schema.properties.k).toMatchObject({
      type: 'integer',
      maximum: 1000,
    });
    expect(retrieve.requestBody.content['multipart/form-data']).toBeDefined();
    expect(retrieve.parameters).toEqual([expect.objectContaining({ name: 'run', in: 'path' })]);
    // The limit it documents is the one enforced.
    const tooMany = await post('retrieve', { query: { text: caption }, to: 'image', k: 1001 });
    expect(tooMany.statusCode).toBe(400);
  });
});

describe('a listening server', () => {
  it('answers fetch on 127.0.0.1 at the port the system gave it', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const runs = await fetch(`${address}/api/runs`);
    expect(runs.status).toBe(200);
    expect(runs.headers.get('access-control-allow-origin')).toBeNull();
    const retrieved = await fetch(`${address}/api/runs/run/retrieve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: { text: caption }, to: 'image', k: 5 }),
    });
    expect(retrieved.status).toBe(200);
    const injected = await post('retrieve', { query: { text: caption }, to: 'image', k: 5 });
    expect(await retrieved.json()).toEqual(injected.json());
  });
});
