/**
 * `mmae index --store` and `mmae retrieve --store` in child processes, against a real PostgreSQL
 * wire server (PGlite + pgvector) in this process, on a small trained run: the same top-k as the
 * run's own exact index, the URL recorded without its password, a stale gallery refused after
 * `train --resume`, and one line for each bad database.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun, openPostgresGallery } from '../../src/index.js';
import { parseDatabaseUrl, PostgresVectorStore } from '../../src/search/postgres/index.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { tinyImageTextConfig, trainTinyRun } from '../crossmodal/tiny-run.js';
import { startPgliteServer, type PgliteServer } from '../support/pglite-server.js';
import { runCli } from '../support/run-cli.js';

let dir: string;
let runDir: string;
let server: PgliteServer;
/** With a password, which must never reach the run or a message (PGlite does not ask for it). */
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-cli-store-'));
  runDir = await trainTinyRun(dir);
  server = await startPgliteServer();
  url = server.url.replace('postgres@', 'postgres:hunter2@');
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const mmae = runCli;

/** rank, id, label, score of each result line. */
function results(stdout: string): { id: string; label: string; score: number }[] {
  return stdout
    .split('\n')
    .filter((l) => /^\d+\t/.test(l))
    .map((l) => {
      const [, id, label, score] = l.split('\t');
      return { id: id!, label: label!, score: Number(score) };
    });
}

describe('mmae index and retrieve with --store', () => {
  it('indexes a gallery into PostgreSQL and retrieves the top-k of the exact index', async () => {
    const indexed = await mmae([
      'index',
      runDir,
      '--modality',
      'image',
      '--store',
      url,
      '--m',
      '8',
      '--ef-construction',
      '32',
    ]);
    expect(indexed.code, indexed.stderr).toBe(0);
    expect(indexed.stdout).toMatch(
      /^gallery: postgres:\/\/127\.0\.0\.1:\d+\/postgres table "mmae_image_test_run"\nHNSW \(m 8, ef_construction 32\), 200 items\n$/,
    );
    const query = [
      '--text',
      'a handwritten seven',
      '--to',
      'image',
      '--k',
      '8',
      '--out',
      join(dir, 'g.png'),
    ];
    const [local, stored] = [
      await mmae(['retrieve', runDir, ...query]),
      await mmae(['retrieve', runDir, ...query, '--store', url, '--ef-search', '200']),
    ];
    expect(local.code, local.stderr).toBe(0);
    expect(stored.code, stored.stderr).toBe(0);
    const want = results(local.stdout);
    const got = results(stored.stdout);
    expect(want).toHaveLength(8);
    expect(got.map((r) => [r.id, r.label])).toEqual(want.map((r) => [r.id, r.label]));
    got.forEach((r, i) => expect(Math.abs(r.score - want[i]!.score)).toBeLessThanOrEqual(1e-4));
  });

  it('records which store holds the gallery, without user or password', async () => {
    const text = await readFile(join(runDir, 'index', 'stores.json'), 'utf8');
    expect(text).not.toContain('hunter2');
    const record = JSON.parse(text) as { galleries: Record<string, unknown>[] };
    expect(record.galleries).toEqual([
      expect.objectContaining({
        modality: 'image',
        split: 'test',
        store: 'postgres',
        url: `postgres://127.0.0.1:${server.port}/postgres`,
        table: 'mmae_image_test_run',
        rows: 200,
        hnsw: { m: 8, efConstruction: 32 },
      }),
    ]);
  });

  it('takes the URL from MMAE_DATABASE_URL for --store postgres, and serves loadRun().retrieve', async () => {
    const stored = await mmae(
      [
        'retrieve',
        runDir,
        '--text',
        'a handwritten seven',
        '--to',
        'image',
        '--k',
        '3',
        '--store',
        'postgres',
        '--out',
        join(dir, 'g.png'),
        '--ef-search',
        '200',
      ],
      { MMAE_DATABASE_URL: url },
    );
    expect(stored.code, stored.stderr).toBe(0);
    const model = await loadRun(runDir);
    const store = await openPostgresGallery(model, { url, modality: 'image', max: 1 });
    try {
      const hits = await model.retrieve(
        { text: 'a handwritten seven' },
        { store, k: 3, efSearch: 200 },
      );
      expect(hits.map((h) => h.id)).toEqual(results(stored.stdout).map((r) => r.id));
      const sevens = await model.retrieve(
        { text: 'a handwritten seven' },
        { store, k: 3, filter: { labels: [7] } },
      );
      for (const h of sevens) expect(h.label).toBe(7);
      // Encoding a query for the store leaves no tensor behind.
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) await model.retrieve({ text: 'a three' }, { store, k: 2 });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await store.close();
      model.dispose();
    }
  });

  it('refuses bad database URLs and a database that is down with one line each', async () => {
    const bad = await mmae([
      'retrieve',
      runDir,
      '--text',
      'seven',
      '--to',
      'image',
      '--store',
      'mysql://h/db',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'mmae: --store: the URL\'s scheme is "mysql"; a store URL starts with postgres:// or postgresql://.\n',
    );
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = await mmae([
      'index',
      runDir,
      '--modality',
      'image',
      '--store',
      `postgres://u:hunter2@127.0.0.1:${port}/db`,
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^mmae: cannot reach the database at postgres:\/\/127\.0\.0\.1:\d+\/db after 3 tries \(connect ECONNREFUSED [^)]+\); check that PostgreSQL is running there and accepts connections\.\n$/,
    );
    expect(down.stderr).not.toContain('hunter2');
  });

  it('streams a manifest into the store, and resumes after a kill with no duplicate and no gap', async () => {
    const files = join(dir, 'mine');
    await mkdir(files);
    const ROWS = 400;
    const lines = ['id,image,label'];
    for (let i = 0; i < ROWS; i++) {
      const pixels = Buffer.alloc(28 * 28, (i * 37) % 256);
      await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
        .png()
        .toFile(join(files, `d${i}.png`));
      lines.push(`m-${i},d${i}.png,${i % 10}`);
    }
    const manifest = join(files, 'mine.csv');
    await writeFile(manifest, `${lines.join('\n')}\n`);
    const args = [
      'bin/mmae.js',
      'index',
      runDir,
      '--modality',
      'image',
      '--manifest',
      manifest,
      '--store',
      url,
      '--batch-size',
      '4',
    ];
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const table = '"mmae_image_mine_run"';
    const count = async () =>
      Number(
        (
          await client
            .query(`SELECT count(*) AS n FROM ${table}`)
            .catch(() => ({ rows: [{ n: 0 }] }))
        ).rows[0].n,
      );
    try {
      const child = spawn('node', args, { cwd: process.cwd(), stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      while ((await count()) < 40) await new Promise((r) => setTimeout(r, 10));
      child.kill('SIGKILL');
      await exited;
      const partial = await count();
      // Killed mid-way: some batches in, not all, and the gallery not presented as complete.
      expect(partial).toBeGreaterThanOrEqual(40);
      expect(partial).toBeLessThan(ROWS);
      expect(partial % 4).toBe(0);
      const opening = PostgresVectorStore.open(
        { url: parseDatabaseUrl(url, 'test'), max: 1 },
        { runId: 'run', modality: 'image', split: 'mine' },
      );
      await expect(opening).rejects.toThrow(/incomplete/);
      const resumed = await mmae(args.slice(1).concat('--resume'));
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain(`${ROWS} items (${partial} found stored and kept)`);
      expect(resumed.stderr).toMatch(/\[=+\] 400\/400 rows {2}\d+ rows\/s/);
      const ids = await client.query<{ id: string; label: number }>(
        `SELECT id, label FROM ${table}`,
      );
      const byId = (a: { id: string }, b: { id: string }) =>
        a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      const want = Array.from({ length: ROWS }, (_, i) => ({ id: `m-${i}`, label: i % 10 }));
      expect([...ids.rows].sort(byId)).toEqual(want.sort(byId));
      const done = await client.query(
        `SELECT complete, row_count FROM mmae_galleries WHERE table_name = 'mmae_image_mine_run'`,
      );
      expect(done.rows[0]).toEqual({ complete: true, row_count: String(ROWS) });
      // retrieve --gallery searches the manifest gallery, and answers with the manifest's ids.
      const found = await mmae([
        'retrieve',
        runDir,
        '--text',
        'a one',
        '--to',
        'image',
        '--gallery',
        'mine',
        '--store',
        url,
        '--k',
        '5',
      ]);
      expect(found.code, found.stderr).toBe(0);
      const hits = results(found.stdout);
      expect(hits).toHaveLength(5);
      for (const h of hits) expect(h.id).toMatch(/^m-\d+$/);
    } finally {
      await client.end();
    }
  });

  it('refuses a manifest naming a missing file before anything is written', async () => {
    const files = join(dir, 'broken');
    await mkdir(files);
    await writeFile(join(files, 'broken.csv'), 'id,image\nb-0,gone.png\n');
    const result = await mmae([
      'index',
      runDir,
      '--modality',
      'image',
      '--manifest',
      join(files, 'broken.csv'),
      '--store',
      url,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mmae: Manifest .*broken\.csv has 1 problem\(s\)/);
    expect(result.stderr).toContain('gone.png');
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const rows = await client.query(
      `SELECT count(*)::int AS n FROM mmae_galleries WHERE split = 'broken'`,
    );
    await client.end();
    expect(rows.rows[0].n).toBe(0);
  });

  it('refuses a stale gallery once training has moved the run on', async () => {
    const more = await trainJob({
      config: { config: tinyImageTextConfig(), baseDir: dir },
      out: runDir,
      resume: true,
      epochs: 3,
      quiet: true,
      log: () => {},
    });
    more.model.dispose();
    const stale = await mmae([
      'retrieve',
      runDir,
      '--text',
      'seven',
      '--to',
      'image',
      '--store',
      url,
    ]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      /^mmae: postgres:\/\/127\.0\.0\.1:\d+\/postgres table "mmae_image_test_run": the gallery is stale: built from checkpoint generation \d+ .*, the run is now at generation \d+ .*Build it again: mmae index RUN --modality image --split test --store URL\.\n$/,
    );
    // Indexing again replaces it, and retrieval works once more.
    expect((await mmae(['index', runDir, '--modality', 'image', '--store', url])).code).toBe(0);
    expect(
      (
        await mmae([
          'retrieve',
          runDir,
          '--text',
          'seven',
          '--to',
          'image',
          '--store',
          url,
          '--out',
          join(dir, 'g.png'),
        ])
      ).code,
    ).toBe(0);
  });
});
