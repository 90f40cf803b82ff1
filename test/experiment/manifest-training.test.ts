/**
 * A user's own data: a manifest of PNGs, WAVs and captions (some rows missing modalities) trains
 * from a YAML config through the CLI, with no code. Bad manifests fail before training.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = resolve('bin/mmae.js');
const words = ['low', 'middle', 'high'];
let dir: string;

async function png(label: number): Promise<Buffer> {
  // A horizontal bar whose height in the image encodes the class.
  const pixels = Buffer.alloc(16 * 16);
  const row = 3 + label * 5;
  for (let y = row; y < row + 3; y++) for (let x = 2; x < 14; x++) pixels[y * 16 + x] = 255;
  return sharp(pixels, { raw: { width: 16, height: 16, channels: 1 } })
    .png()
    .toBuffer();
}

function wav(label: number, i: number): Buffer {
  const rate = 8000;
  const samples = Int16Array.from({ length: rate / 4 }, (_, t) =>
    Math.round(8000 * Math.sin((2 * Math.PI * (300 + 400 * label) * t) / rate + i)),
  );
  const file = new wavefile.WaveFile();
  file.fromScratch(1, rate, '16', samples);
  return Buffer.from(file.toBuffer());
}

function yaml(manifest: string, modalities: string): string {
  return `name: manifest-run
seed: 5
backend: wasm
dataset:
  id: manifest
  options: { path: ${manifest}, validationSize: 0.1, testSize: 0.1 }
modalities:
${modalities}
model: { variant: poe, latentSize: 4 }
training: { epochs: 4, batchSize: 16, optimizer: { name: adam, learningRate: 0.003 } }
`;
}

const threeModalities = `  - id: image
    options: { width: 16, height: 16, hiddenSizes: [32, 16] }
  - id: audio
    options: { durationSeconds: 0.25, melBands: 16, hiddenSizes: [32], embeddingSize: 16 }
  - id: text
    options: { maxLength: 4, embeddingSize: 16, hiddenSize: 32 }`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-manifest-'));
  await mkdir(join(dir, 'images'));
  await mkdir(join(dir, 'sounds'));
  const rows = ['id,image,audio,text,label'];
  for (let i = 0; i < 90; i++) {
    const label = i % 3;
    await writeFile(join(dir, 'images', `${i}.png`), await png(label));
    await writeFile(join(dir, 'sounds', `${i}.wav`), wav(label, i));
    // Every fifth row lacks its audio, every seventh its image: genuinely missing fields.
    const image = i % 7 === 3 ? '' : `images/${i}.png`;
    const audio = i % 5 === 1 ? '' : `sounds/${i}.wav`;
    rows.push(`s${i},${image},${audio},"a ${words[label]} one",${words[label]}`);
  }
  await writeFile(join(dir, 'data.csv'), `${rows.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('training on a user manifest', () => {
  it('trains PNGs, WAVs and captions from a YAML config, with falling loss', async () => {
    await writeFile(join(dir, 'run.yaml'), yaml('data.csv', threeModalities));
    const out = join(dir, 'run');
    const { stdout } = await run('node', [
      cli,
      'train',
      join(dir, 'run.yaml'),
      '--out',
      out,
      '--quiet',
    ]);
    expect(stdout).toMatch(/epochs: 4/);
    const metrics = (await readFile(join(out, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { train: { total: number } });
    expect(metrics).toHaveLength(4);
    expect(metrics[3]!.train.total).toBeLessThan(metrics[0]!.train.total);
  });

  it('stops before training on a row whose file is missing, naming the row', async () => {
    await writeFile(
      join(dir, 'broken.csv'),
      'id,image,text\nok,images/0.png,a low one\nbad,images/nope.png,a high one\n',
    );
    await writeFile(join(dir, 'broken.yaml'), yaml('broken.csv', threeModalities));
    const failure = await run('node', [
      cli,
      'train',
      join(dir, 'broken.yaml'),
      '--out',
      join(dir, 'x'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((failure as { code: number }).code).not.toBe(0);
    expect((failure as { stderr: string }).stderr).toMatch(/broken\.csv:3/);
    expect((failure as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a config that names a modality the dataset does not provide', async () => {
    const timeseries = `  - id: image\n    options: { width: 16, height: 16 }\n  - id: image\n    name: depth`;
    await writeFile(join(dir, 'unknown.yaml'), yaml('data.csv', timeseries));
    const failure = await run('node', [
      cli,
      'train',
      join(dir, 'unknown.yaml'),
      '--out',
      join(dir, 'y'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((failure as { code: number }).code).toBe(2);
    expect((failure as { stderr: string }).stderr).toMatch(/modalities\[1\].*"depth"/);
  });
});
