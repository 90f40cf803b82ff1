/**
 * `mmae index --manifest` without a store, in child processes on a small trained run: the file
 * list grows into the run's own exact index a batch at a time, resumes after a kill with no
 * duplicate and no gap, and `mmae retrieve --gallery` returns the top-k of an exact index built
 * here from the same files' codes.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/index.js';
import { ExactIndex, loadExactIndex } from '../../src/search/index.js';
import { trainTinyRun } from '../crossmodal/tiny-run.js';
import { runCli } from '../support/run-cli.js';

const ROWS = 120;
let dir: string;
let runDir: string;
let manifest: string;
let files: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-cli-manifest-'));
  runDir = await trainTinyRun(dir);
  const folder = join(dir, 'mine');
  await mkdir(folder);
  const lines = ['id,image,label'];
  files = [];
  for (let i = 0; i < ROWS; i++) {
    // A bar at a different place and width per file, so codes differ and the ranking means something.
    const pixels = Buffer.alloc(28 * 28);
    for (let y = 0; y < 28; y++) {
      for (let x = (i * 7) % 24; x < ((i * 7) % 24) + 2 + (i % 4); x++) pixels[y * 28 + x] = 255;
    }
    const file = join(folder, `d${i}.png`);
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(file);
    files.push(file);
    lines.push(`m-${i},d${i}.png,${i % 10}`);
  }
  manifest = join(folder, 'mine.csv');
  await writeFile(manifest, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mmae = runCli;

async function committedRows(partial: string): Promise<number> {
  const text = await readFile(join(partial, 'state.json'), 'utf8').catch(() => '{"rows":0}');
  try {
    return (JSON.parse(text) as { rows: number }).rows;
  } catch {
    return 0; // caught mid-rename
  }
}

describe('mmae index --manifest into the run’s own index', () => {
  it('resumes after a kill with no duplicate and no gap, and retrieve --gallery ranks as exact search does', async () => {
    const args = [
      'index',
      runDir,
      '--modality',
      'image',
      '--manifest',
      manifest,
      '--batch-size',
      '4',
    ];
    const partial = join(runDir, 'index', 'image-mine.partial');
    const child = spawn('node', ['bin/mmae.js', ...args], { cwd: process.cwd(), stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    while ((await committedRows(partial)) < 20) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    const partialRows = await committedRows(partial);
    expect(partialRows).toBeGreaterThanOrEqual(20);
    expect(partialRows).toBeLessThan(ROWS);
    expect(partialRows % 4).toBe(0);
    // Killed mid-way: nothing searchable yet, and retrieve says how to finish it.
    const early = await mmae([
      'retrieve',
      runDir,
      '--text',
      'a one',
      '--to',
      'image',
      '--gallery',
      'mine',
    ]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(
      /no image gallery "mine" in this run .*--manifest FILE --gallery mine/,
    );

    const resumed = await mmae([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`exact, ${ROWS} items (${partialRows} found stored and kept)`);
    expect(resumed.stderr).toMatch(/\[=+\] 120\/120 rows {2}\d+ rows\/s/);

    const model = await loadRun(runDir);
    try {
      const expectation = { dims: model.latentSize, metric: 'cosine' as const };
      const saved = await loadExactIndex(join(runDir, 'index', 'image-mine'), expectation);
      expect([...saved!.ids].sort()).toEqual(
        Array.from({ length: ROWS }, (_, i) => `m-${i}`).sort(),
      );
      saved!.dispose();

      const codes = new Float32Array(ROWS * model.latentSize);
      for (const [i, file] of files.entries()) {
        codes.set(await model.encode({ image: file }), i * model.latentSize);
      }
      const ids = files.map((_, i) => `m-${i}`);
      const exact = ExactIndex.build(codes, { ...expectation, ids });
      const [want = []] = exact.search(await model.encode({ text: 'a one' }), 10);
      exact.dispose();
      const found = await mmae([
        'retrieve',
        runDir,
        '--text',
        'a one',
        '--to',
        'image',
        '--gallery',
        'mine',
      ]);
      expect(found.code, found.stderr).toBe(0);
      const rows = found.stdout
        .split('\n')
        .filter((l) => /^\d+\t/.test(l))
        .map((l) => l.split('\t'));
      expect(rows.map((r) => r[1])).toEqual(want.map((h) => h.id));
      for (const [i, r] of rows.entries()) {
        expect(Number(r[3])).toBeCloseTo(1 - want[i]!.distance, 3);
        expect(r[2]).toBe(String(Number(r[1]!.slice(2)) % 10));
      }
    } finally {
      model.dispose();
    }
  });

  it('refuses a gallery named like a split, and --out with --gallery', async () => {
    const named = await mmae([
      'index',
      runDir,
      '--modality',
      'image',
      '--manifest',
      manifest,
      '--gallery',
      'test',
    ]);
    expect(named.code).toBe(2); // a usage error
    expect(named.stderr).toMatch(/--gallery: "test" cannot name a gallery; .*not a split's name/);
    const out = await mmae([
      'retrieve',
      runDir,
      '--text',
      'a one',
      '--to',
      'image',
      '--gallery',
      'mine',
      '--out',
      join(dir, 'x.png'),
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--out renders items of the run's dataset/);
  });
});
