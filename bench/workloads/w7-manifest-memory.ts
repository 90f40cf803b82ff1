/**
 * W7 (manifest): the resident memory of `mmae index --manifest …` over a gallery of N generated
 * 28×28 PNGs, sampled from /proc every 250 ms while it runs, against the rows stored so far.
 * Flat means the RSS late in the load is what it was early on. Trains the tests' tiny image+text
 * run first. `--into postgres` (default): `--store` the tests' PGlite server in this process, rows
 * counted in its table; `--into run`: the run's own index, rows read from the partial gallery's
 * state.json. Linux only.
 *
 *   tsx bench/workloads/w7-manifest-memory.ts [--rows 20000] [--batch-size 256] [--into postgres|run]
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { trainTinyRun } from '../../test/crossmodal/tiny-run.js';
import { startPgliteServer } from '../../test/support/pglite-server.js';
import { intArg, isMain, parseArgs } from './cli-args.js';

async function rssMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = /VmRSS:\s+(\d+) kB/.exec(status ?? '')?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rows = intArg(args, 'rows', 20_000);
  const batch = intArg(args, 'batch-size', 256);
  const into = args.get('into') ?? 'postgres';
  if (into !== 'postgres' && into !== 'run') throw new Error(`--into ${into}: postgres or run`);
  const dir = await mkdtemp(join(tmpdir(), 'mmae-w7-manifest-'));
  const server = await startPgliteServer();
  const client = new pg.Client({ connectionString: server.url });
  try {
    const runDir = await trainTinyRun(dir);
    const files = join(dir, 'photos');
    await mkdir(files);
    const lines = ['id,image,label'];
    for (let i = 0; i < rows; i++) {
      const pixels = Buffer.alloc(28 * 28);
      for (let p = 0; p < pixels.length; p++) pixels[p] = (i * 31 + p * 7) % 256;
      await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
        .png()
        .toFile(join(files, `p${i}.png`));
      lines.push(`p-${i},p${i}.png,${i % 10}`);
    }
    const manifest = join(files, 'photos.csv');
    await writeFile(manifest, `${lines.join('\n')}\n`);
    await client.connect();
    const partialState = join(runDir, 'index', 'image-photos.partial', 'state.json');
    const committed = async () => {
      const text = await readFile(partialState, 'utf8').catch(() => undefined);
      try {
        return text === undefined ? 0 : (JSON.parse(text) as { rows: number }).rows;
      } catch {
        return 0; // read while being replaced
      }
    };
    const inTable = async () =>
      Number(
        (
          await client
            .query('SELECT count(*) AS n FROM "mmae_image_photos_run"')
            .catch(() => ({ rows: [{ n: 0 }] }))
        ).rows[0].n,
      );
    const stored = into === 'run' ? committed : inTable;
    const child = spawn(
      'node',
      [
        'bin/mmae.js',
        'index',
        runDir,
        '--modality',
        'image',
        '--manifest',
        manifest,
        ...(into === 'postgres' ? ['--store', server.url] : []),
        '--batch-size',
        String(batch),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', () => undefined);
    const exit = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    const samples: { rows: number; rssMb: number }[] = [];
    let running = true;
    void exit.then(() => (running = false));
    const started = Date.now();
    while (running) {
      const rss = await rssMb(child.pid as number);
      if (rss !== undefined) samples.push({ rows: await stored(), rssMb: rss });
      await new Promise((r) => setTimeout(r, 250));
    }
    const code = await exit;
    const loading = samples.filter((s) => s.rows > 0 && s.rows < rows);
    const at = (share: number) =>
      loading.find((s) => s.rows >= share * rows)?.rssMb.toFixed(0) ?? 'n/a';
    console.log(
      JSON.stringify({
        workload: 'W7-manifest-memory',
        into,
        rows,
        batch,
        exitCode: code,
        seconds: Math.round((Date.now() - started) / 1000),
        output: out.trim(),
        rssMbAt10pct: at(0.1),
        rssMbAt50pct: at(0.5),
        rssMbAt90pct: at(0.9),
        rssMbMaxWhileLoading: Math.max(...loading.map((s) => s.rssMb)).toFixed(0),
        // After the last row: the HNSW build in the store, or the exact index read back in the run.
        rssMbMaxOverall: Math.max(...samples.map((s) => s.rssMb)).toFixed(0),
        samples: loading.length,
      }),
    );
  } finally {
    await client.end().catch(() => undefined);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
