/**
 * Every file input from outside is a regular file read within a size limit: a device
 * (/dev/zero) or a FIFO given as a query, an API input or a dataset file is refused at once
 * instead of filling memory or hanging; a file over its limit is refused naming its size, the
 * limit and the variable that raises it; text is strict UTF-8 (a BOM is fine); a manifest's
 * symlink out of its folder is refused; a long WAV costs only the clip it is used for.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audioPlugin } from '../../plugins/audio/index.js';
import { imagePlugin } from '../../plugins/image/index.js';
import { textPlugin } from '../../plugins/text/index.js';
import { manifestAdapter } from '../../datasets/manifest/index.js';
import { loadRun } from '../../src/api/load-run.js';
import type { LoadedModel } from '../../src/api/loaded-model.js';
import { loadConfigFile } from '../../src/config/load-config.js';
import { readInputFile } from '../../src/data/input-file.js';
import { TEXT_FILE_LIMIT } from '../../src/data/input-limits.js';
import { readIdxImages } from '../../datasets/mnist/idx.js';
import { ConfigError, DataError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { REPO_ROOT } from './cli.js';
import {
  expectMmaeError,
  idxBytes,
  makeTempDir,
  sine,
  validPng,
  wavBytes,
  type TempDir,
} from './corpus.js';

const BIN = join(REPO_ROOT, 'bin/mmae.js');
const LIMIT_VARIABLES = [
  'MMAE_MAX_IMAGE_MB',
  'MMAE_MAX_AUDIO_MB',
  'MMAE_MAX_TEXT_MB',
  'MMAE_MAX_IDX_MB',
  'MMAE_MAX_CONFIG_MB',
  'MMAE_MAX_IMAGE_MEGAPIXELS',
];
/** A refused input is refused at once; a hang on a FIFO fails the test instead of the suite. */
const QUICK = 5_000;

let temp: TempDir;
let fifo: string;
let runDir: string;
let model: LoadedModel;

/** 24 rows of a PNG and a 0.3 s WAV, two classes, for a tiny image+audio run. */
async function writeDataset(dir: TempDir): Promise<void> {
  const png = await validPng();
  const rows = ['image,audio,label'];
  for (let i = 0; i < 24; i++) {
    await dir.write(`${i}.png`, png);
    await dir.write(`${i}.wav`, wavBytes([sine(8000, 0.3, 200 + 40 * i)], 8000, '16'));
    rows.push(`${i}.png,${i}.wav,${i % 2}`);
  }
  await dir.write('data.csv', `${rows.join('\n')}\n`);
  await dir.write(
    'run.yaml',
    `name: bounded-inputs
seed: 7
backend: wasm
dataset: { id: manifest, options: { path: ${join(dir.dir, 'data.csv')}, validationSize: 4, testSize: 4 } }
modalities:
  - id: image
    options: { hiddenSizes: [16], likelihood: gaussian }
  - id: audio
    options: { durationSeconds: 0.25, melBands: 16, hiddenSizes: [16] }
model: { latentSize: 4 }
training: { epochs: 1, batchSize: 8 }
`,
  );
}

beforeAll(async () => {
  temp = await makeTempDir('mmae-bounded-');
  fifo = join(temp.dir, 'query.fifo');
  execFileSync('mkfifo', [fifo]);
  await writeDataset(temp);
  const trained = await trainJob({
    config: join(temp.dir, 'run.yaml'),
    out: join(temp.dir, 'run'),
    quiet: true,
    log: () => undefined,
  });
  trained.model.dispose();
  runDir = trained.runDir;
  model = await loadRun(runDir, { backend: 'cpu' });
}, 120_000);
afterAll(async () => {
  model?.dispose();
  await temp?.remove();
});
afterEach(() => {
  for (const name of LIMIT_VARIABLES) delete process.env[name];
});

interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `mmae ...args` in a child process with extra environment variables; killed after 60 s. */
function mmae(args: readonly string[], env: Record<string, string> = {}): Promise<CliOutcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : ((error as { code?: number }).code ?? -1);
        resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
      },
    );
  });
}

describe('the CLI given a query that is a device, a FIFO or over its limit', () => {
  it('refuses /dev/zero and a FIFO as --image and --audio at once, naming the file', async () => {
    const cases = [
      ['--image', '/dev/zero', 'character device'],
      ['--image', fifo, 'FIFO'],
      ['--audio', '/dev/zero', 'character device'],
      ['--audio', fifo, 'FIFO'],
    ] as const;
    const outcomes = await Promise.all(
      cases.map(([flag, path]) => mmae(['retrieve', runDir, flag, path])),
    );
    outcomes.forEach((outcome, i) => {
      const [flag, path, type] = cases[i]!;
      expect(outcome.code, outcome.stderr).toBe(2);
      expect(outcome.stderr).toContain(`mmae: ${flag}: Cannot read query file ${path}`);
      expect(outcome.stderr).toContain(`${type}`);
      expect(outcome.stderr).toContain('not a regular file');
    });
  }, 90_000);

  it('refuses an image query over MMAE_MAX_IMAGE_MB naming its size and the limit, and reads it once the variable raises the limit', async () => {
    const png = await temp.write('query.png', await validPng());
    const args = ['retrieve', runDir, '--image', png, '--k', '2'];
    const out = join(temp.dir, 'retrieved-wavs');
    const [refused, read] = await Promise.all([
      mmae(args, { MMAE_MAX_IMAGE_MB: '0.0001' }),
      mmae([...args, '--out', out], { MMAE_MAX_IMAGE_MB: '1' }),
    ]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/query\.png: it is \d+ bytes, over the 0\.0001 MiB limit/);
    expect(refused.stderr).toContain('set MMAE_MAX_IMAGE_MB (in MiB) to raise it');
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.split('\n').filter((l) => /^\d+\t/.test(l))).toHaveLength(2);
  }, 90_000);

  it('refuses an audio query whose clip is over MMAE_MAX_AUDIO_MB, and reads it once the variable raises the limit', async () => {
    const wav = await temp.write('query.wav', wavBytes([sine(8000, 0.3)], 8000, '16'));
    // The 0.25 s clip at 8 kHz is 4,000 bytes of 16-bit samples; 0.001 MiB is 1,048 bytes.
    const args = ['retrieve', runDir, '--audio', wav, '--k', '2'];
    const grid = join(temp.dir, 'retrieved.png');
    const [refused, read] = await Promise.all([
      mmae(args, { MMAE_MAX_AUDIO_MB: '0.001' }),
      mmae([...args, '--out', grid], { MMAE_MAX_AUDIO_MB: '1' }),
    ]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('query.wav');
    expect(refused.stderr).toContain('its clip needs 4000 bytes of samples, over the 0.001 MiB');
    expect(refused.stderr).toContain('MMAE_MAX_AUDIO_MB');
    expect(read.code, read.stderr).toBe(0);
  }, 90_000);
});

describe('the API given a file input that is a device, a FIFO or over its limit', () => {
  it(
    'refuses /dev/zero and a FIFO as image and audio inputs at once with a DataError',
    async () => {
      for (const modality of ['image', 'audio']) {
        for (const path of ['/dev/zero', fifo]) {
          for (const input of [path, { kind: 'file' as const, path }]) {
            await expectMmaeError(() => model.encode({ [modality]: input }), DataError, [
              path,
              'not a regular file',
            ]);
          }
        }
      }
    },
    QUICK,
  );

  it('refuses an image file over the limit, and encodes it once MMAE_MAX_IMAGE_MB raises it', async () => {
    const png = await temp.write('api.png', await validPng());
    process.env.MMAE_MAX_IMAGE_MB = '0.0001';
    await expectMmaeError(() => model.encode({ image: png }), DataError, [
      'api.png',
      'over the 0.0001 MiB limit for image files',
      'MMAE_MAX_IMAGE_MB',
    ]);
    process.env.MMAE_MAX_IMAGE_MB = '1';
    expect((await model.encode({ image: png })).length).toBe(model.latentSize);
  });

  it('refuses a small PNG that claims more pixels than MMAE_MAX_IMAGE_MEGAPIXELS, before decoding it', async () => {
    // 8,000 × 8,000 of one grey compresses to a few KiB and would decode to 192 MB.
    const bomb = await sharp({
      create: { width: 8000, height: 8000, channels: 3, background: { r: 9, g: 9, b: 9 } },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const path = await temp.write('bomb.png', bomb);
    process.env.MMAE_MAX_IMAGE_MEGAPIXELS = '10';
    await expectMmaeError(() => model.encode({ image: path }), DataError, [
      'bomb.png',
      '8000 × 8000 pixels',
      'MMAE_MAX_IMAGE_MEGAPIXELS',
    ]);
    process.env.MMAE_MAX_IMAGE_MEGAPIXELS = 'many';
    await expectMmaeError(() => model.encode({ image: path }), ConfigError, [
      'MMAE_MAX_IMAGE_MEGAPIXELS',
    ]);
  });

  it('keeps tf.memory().numTensors flat through refused inputs', async () => {
    await model.encode({ image: await validPng() });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      await model.encode({ image: fifo }).catch(() => undefined);
      await model.encode({ audio: '/dev/zero' }).catch(() => undefined);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a bad value of a limit variable with a ConfigError naming it', async () => {
    process.env.MMAE_MAX_IMAGE_MB = 'lots';
    await expectMmaeError(() => model.encode({ image: join(temp.dir, '0.png') }), ConfigError, [
      'MMAE_MAX_IMAGE_MB',
      "'lots'",
    ]);
  });
});

describe('dataset files that are devices, FIFOs, links out of the folder or over their limit', () => {
  let data: TempDir;
  beforeAll(async () => {
    data = await makeTempDir('mmae-bounded-data-');
    await data.write('a.png', await validPng());
    await data.write('a.wav', wavBytes([sine(8000, 0.3)], 8000, '16'));
    execFileSync('mkfifo', [join(data.dir, 'pipe.png')]);
    await symlink('/dev/zero', join(data.dir, 'zero.wav'));
    await symlink(join(temp.dir, '0.png'), join(data.dir, 'elsewhere.png'));
    await symlink(join(data.dir, 'a.png'), join(data.dir, 'inside.png'));
  });
  afterAll(() => data.remove());

  async function load(name: string, text: string | Uint8Array, extra = {}) {
    await data.write(name, text);
    const options = manifestAdapter.optionsSchema.parse({ path: name, ...extra });
    return manifestAdapter.load(options, { seed: 1, baseDir: data.dir });
  }

  it(
    'refuses a manifest row naming a FIFO, a link to /dev/zero or a link out of the folder, in one DataError',
    async () => {
      const rows =
        'image,audio\ninside.png,a.wav\npipe.png,a.wav\na.png,zero.wav\nelsewhere.png,a.wav\n';
      const error = await expectMmaeError(() => load('m.csv', rows), DataError, [
        'm.csv:3',
        'pipe.png is a FIFO, not a regular file',
        'm.csv:4',
        'zero.wav is a link to /dev/zero',
        'm.csv:5',
        'elsewhere.png is a link to',
        "outside the manifest's folder",
      ]);
      expect(error.message).not.toContain('m.csv:2');
    },
    QUICK,
  );

  it(
    'refuses /dev/zero even where allowOutsideRoot lets rows leave the folder',
    async () => {
      await expectMmaeError(
        () => load('out.csv', 'image\n/dev/zero\n', { allowOutsideRoot: true }),
        DataError,
        ['out.csv:2', '/dev/zero is a device, not a regular file'],
      );
    },
    QUICK,
  );

  it(
    'refuses a FIFO or /dev/zero given to the plugins as a dataset file at once',
    async () => {
      const image = imagePlugin.create(imagePlugin.optionsSchema.parse({}), {});
      const options = audioPlugin.optionsSchema.parse({ durationSeconds: 0.25, melBands: 16 });
      const training = [{ kind: 'bytes' as const, data: wavBytes([sine(8000, 0.3)], 8000, '16') }];
      const audio = audioPlugin.create(options, await audioPlugin.fit(training, options));
      const text = textPlugin.create(
        textPlugin.optionsSchema.parse({}),
        await textPlugin.fit([{ kind: 'text', text: 'a one' }], textPlugin.optionsSchema.parse({})),
      );
      const captionFifo = join(data.dir, 'caption.txt');
      execFileSync('mkfifo', [captionFifo]);
      const cases = [
        [image, join(data.dir, 'pipe.png')],
        [image, '/dev/zero'],
        [audio, join(data.dir, 'zero.wav')],
        [text, captionFifo],
      ] as const;
      for (const [instance, path] of cases) {
        await expectMmaeError(() => instance.prepare({ kind: 'file', path }, 'row 7'), DataError, [
          path,
          'row 7',
          'not a regular file',
        ]);
      }
    },
    QUICK,
  );

  it(
    'refuses a manifest, a config or an IDX file that is a FIFO at once',
    async () => {
      const manifest = join(data.dir, 'pipe.csv');
      const config = join(data.dir, 'pipe.yaml');
      const idx = join(data.dir, 'pipe-idx3-ubyte');
      for (const path of [manifest, config, idx]) execFileSync('mkfifo', [path]);
      const options = manifestAdapter.optionsSchema.parse({ path: 'pipe.csv' });
      await expectMmaeError(
        () => manifestAdapter.load(options, { seed: 1, baseDir: data.dir }),
        DataError,
        ['pipe.csv', 'FIFO'],
      );
      await expectMmaeError(() => loadConfigFile(config), ConfigError, ['pipe.yaml', 'FIFO']);
      await expectMmaeError(() => readIdxImages(idx), DataError, ['pipe-idx3-ubyte', 'FIFO']);
    },
    QUICK,
  );

  it('refuses a config over MMAE_MAX_CONFIG_MB and a gzip IDX file that inflates past MMAE_MAX_IDX_MB', async () => {
    const big = await data.write('big.yaml', `name: x\n# ${'padding '.repeat(200_000)}\n`);
    await expectMmaeError(() => loadConfigFile(big), ConfigError, [
      'big.yaml',
      'over the 1 MiB limit for config files',
      'MMAE_MAX_CONFIG_MB',
    ]);
    const bomb = await data.write('bomb-idx3-ubyte.gz', gzipSync(idxBytes([1000, 28, 28])));
    process.env.MMAE_MAX_IDX_MB = '0.5';
    await expectMmaeError(() => readIdxImages(bomb), DataError, [
      'bomb-idx3-ubyte.gz',
      'inflates to more than',
      'MMAE_MAX_IDX_MB',
    ]);
    process.env.MMAE_MAX_IDX_MB = '1';
    expect((await readIdxImages(bomb)).dims).toEqual([1000, 28, 28]);
  });

  it.runIf(process.platform === 'linux')(
    'stops reading a file that grows past its limit after it was checked',
    async () => {
      // procfs files are regular files whose stat size is 0 but which read hundreds of bytes:
      // the size check passes and only the count while reading can stop them.
      process.env.MMAE_MAX_TEXT_MB = '0.0001';
      await expectMmaeError(
        () => readInputFile('/proc/self/status', { limit: TEXT_FILE_LIMIT, what: 'caption file' }),
        DataError,
        ['/proc/self/status', 'it grew while it was read', 'MMAE_MAX_TEXT_MB'],
      );
    },
  );
});

describe('text inputs in other encodings', () => {
  let data: TempDir;
  beforeAll(async () => {
    data = await makeTempDir('mmae-bounded-text-');
    await data.write('a.png', await validPng());
  });
  afterAll(() => data.remove());

  const load = async (name: string, bytes: Uint8Array) => {
    await data.write(name, bytes);
    const options = manifestAdapter.optionsSchema.parse({
      path: name,
      validationSize: 0,
      testSize: 0,
    });
    return manifestAdapter.load(options, { seed: 1, baseDir: data.dir });
  };
  const withBom = (text: string) =>
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);

  it('reads a JSON Lines manifest and a CSV manifest that start with a UTF-8 byte-order mark', async () => {
    const jsonl = await load('bom.jsonl', withBom('{"image": "a.png", "text": "seven"}\n'));
    expect(jsonl.train.size).toBe(1);
    expect(jsonl.train.sample(0).values.text).toEqual({ kind: 'text', text: 'seven' });
    const csv = await load('bom.csv', withBom('image,text\na.png,seven\n'));
    expect(csv.train.size).toBe(1);
  });

  it('refuses a latin-1 manifest with a DataError naming the file and the line', async () => {
    const latin1 = Buffer.from('image,text\na.png,seven\na.png,caf\xe9\n', 'latin1');
    await expectMmaeError(() => load('latin1.csv', latin1), DataError, [
      'latin1.csv',
      'line 3',
      'not valid UTF-8',
      'save it as UTF-8',
    ]);
  });

  it('refuses a latin-1 caption file with a DataError naming the file', async () => {
    const options = textPlugin.optionsSchema.parse({});
    const text = textPlugin.create(
      options,
      await textPlugin.fit([{ kind: 'text', text: 'a one' }], options),
    );
    const path = await data.write('caption.txt', Buffer.from('une cr\xe8me\n', 'latin1'));
    await expectMmaeError(() => text.prepare({ kind: 'file', path }, 'row 2'), DataError, [
      'caption.txt',
      'line 1',
      'save it as UTF-8',
    ]);
    const bom = await data.write('bom.txt', withBom('a one'));
    expect((await text.prepare({ kind: 'file', path: bom }, 'row 3')).length).toBeGreaterThan(0);
  });

  it('refuses a latin-1 config with a ConfigError naming the file', async () => {
    const path = await data.write('latin1.yaml', Buffer.from('name: caf\xe9\n', 'latin1'));
    await expectMmaeError(() => loadConfigFile(path), ConfigError, ['latin1.yaml', 'UTF-8']);
  });
});

/** A 16-bit stereo 44.1 kHz WAV of about `megabytes` MB, written one 1 MiB block at a time. */
function writeLongWav(path: string, megabytes: number): void {
  const block = Buffer.from(
    new Int16Array(sine(44_100, 262_144 / 44_100).map((v) => v * 20_000)).buffer,
  );
  const stereo = Buffer.alloc(block.length * 2);
  for (let i = 0; i < block.length / 2; i++) {
    stereo.writeInt16LE(block.readInt16LE(2 * i), 4 * i);
    stereo.writeInt16LE(block.readInt16LE(2 * i), 4 * i + 2);
  }
  const blocks = Math.ceil((megabytes * 1e6) / stereo.length);
  const dataBytes = blocks * stereo.length;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(44_100, 24);
  header.writeUInt32LE(44_100 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(dataBytes, 40);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    for (let i = 0; i < blocks; i++) writeSync(fd, stereo);
  } finally {
    closeSync(fd);
  }
}

describe('a long WAV', () => {
  it('decodes a one-second clip of a 100 MB WAV in a child process whose peak RSS rises by less than 32 MiB', () => {
    const path = join(temp.dir, 'long.wav');
    writeLongWav(path, 100);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'test/reliability/decode-long-wav-child.ts'), path],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout) as { samples: number; peakRiseMiB: number };
    expect(result.samples).toBe(8000);
    // Decoding the whole file (the old way) rose by about 600 MiB for this file.
    expect(result.peakRiseMiB).toBeLessThan(32);
  }, 60_000);
});
