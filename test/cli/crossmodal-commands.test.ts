import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainTinyRun } from '../crossmodal/tiny-run.js';
import { runCli } from '../support/run-cli.js';

let dir: string;
let runDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-cli-crossmodal-'));
  runDir = await trainTinyRun(dir);
  await writeFile(join(dir, 'notes.png'), 'not an image at all');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mmae = (...args: string[]) => runCli(args);

describe('mmae index, retrieve and generate in a child process', () => {
  it('retrieves images for a caption into a PNG grid and generates an image from text', async () => {
    const grid = join(dir, 'grid.png');
    const [retrieved, generated] = await Promise.all([
      mmae('retrieve', runDir, '--text', 'a handwritten seven', '--k', '4', '--out', grid),
      mmae(
        'generate',
        runDir,
        '--from',
        'text',
        'three',
        '--to',
        'image',
        '--out',
        join(dir, 'three.png'),
      ),
    ]);
    expect(retrieved.code, retrieved.stderr).toBe(0);
    const rows = retrieved.stdout
      .trim()
      .split('\n')
      .filter((l) => /^\d+\t/.test(l));
    expect(rows).toHaveLength(4);
    expect((await sharp(await readFile(grid)).metadata()).format).toBe('png');
    expect(generated.code, generated.stderr).toBe(0);
    expect((await sharp(join(dir, 'three.png')).metadata()).width).toBe(28);
  });

  it('exits with code 2 and a one-line message for each bad query', async () => {
    const cases = await Promise.all([
      mmae('retrieve', runDir, '--image', join(dir, 'notes.png'), '--to', 'text'),
      mmae('retrieve', runDir, '--text', '', '--to', 'image'),
      mmae('retrieve', runDir, '--audio', join(dir, 'notes.png'), '--to', 'image'),
      mmae('retrieve', runDir, '--text', 'a seven', '--to', 'image', '--k', '5000'),
    ]);
    const expected = [
      /--image: .*notes\.png is not an image/,
      /--text: the query is empty/,
      /--audio: this run has no modality "audio"; it was trained on: image, text/,
      /--k: 5000 is larger than the image gallery of the test split \(200 items\)/,
    ];
    cases.forEach((result, i) => {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(expected[i]!);
    });
  });
});
