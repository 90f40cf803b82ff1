/**
 * A run directory is data, not code: tampered weights, weights that do not fit the config, and a
 * forged manifest are refused by openRun/loadRun, and no file in the run is ever imported (the
 * saved `plugins` list: run-never-imports.test.ts).
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/api/load-run.js';
import { ConfigError, MmaeError, RunError } from '../../src/errors/errors.js';
import { openRun } from '../../src/open/open-run.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { sha256Bytes } from '../../src/runs/index.js';
import { smallMnistConfig } from '../experiment/small-config.js';
import { expectMmaeError, makeTempDir, type TempDir } from './corpus.js';
import { forgeJson } from './forged-run.js';

let temp: TempDir;
let cleanRun: string;
let copies = 0;

/** The small MNIST config of the clean run; `latentSize` changes the weights' shapes. */
function tinyRunConfig(o: { latentSize?: number; epochs?: number } = {}) {
  const config = smallMnistConfig({
    training: { epochs: o.epochs ?? 1 },
    model: { latentSize: o.latentSize ?? 8 },
  });
  const options = { trainLimit: 100, validationSize: 20, testLimit: 20 };
  return { ...config, dataset: { ...config.dataset, options } };
}

beforeAll(async () => {
  temp = await makeTempDir();
  const result = await trainJob({
    config: { config: tinyRunConfig(), baseDir: temp.dir },
    out: join(temp.dir, 'clean'),
    quiet: true,
    log: () => undefined,
  });
  result.model.dispose();
  cleanRun = result.runDir;
});
afterAll(() => temp.remove());

/** A fresh copy of the clean run to tamper with. */
async function copyOfRun(): Promise<string> {
  const dir = join(temp.dir, `copy-${copies++}`);
  await cp(cleanRun, dir, { recursive: true });
  return dir;
}

const forge = forgeJson;

/** A plugin-shaped module that leaves a marker file behind if it is ever imported. */
function markerModule(marker: string): string {
  return `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'imported');\nexport default {};\n`;
}

describe('opening an untrusted run', () => {
  it('opens the clean run it tampers with', async () => {
    const model = await loadRun(cleanRun, { backend: 'cpu' });
    expect(model.modalities).toEqual(['image']);
  });

  it('refuses a weights.bin whose checksum does not match, naming the file', async () => {
    const run = await copyOfRun();
    const weights = await readFile(join(run, 'weights.bin'));
    weights[100] = (weights[100] as number) ^ 0xff;
    await writeFile(join(run, 'weights.bin'), weights);
    await expectMmaeError(() => openRun(run, { backend: 'cpu' }), RunError, ['weights.bin']);
    await expectMmaeError(() => loadRun(run, { backend: 'cpu' }), RunError, ['weights.bin']);
  });

  it('refuses weights whose shapes do not match the config, naming the weight and both shapes', async () => {
    const run = await copyOfRun();
    await forge(run, 'config.json', (config) => {
      (config.model as { latentSize: number }).latentSize = 13;
    });
    const error = await expectMmaeError(() => openRun(run, { backend: 'cpu' }), RunError);
    expect(error.message).toMatch(/shape/i);
    expect(error.message).toMatch(/13/);
  });

  it('refuses a model.json whose weight shapes were edited, even with a re-signed manifest', async () => {
    const run = await copyOfRun();
    await forge(run, 'model.json', (model) => {
      const groups = model.weightsManifest as { weights: { shape: number[] }[] }[];
      const first = groups[0]?.weights[0] as { shape: number[] };
      first.shape = [first.shape[0] as number, (first.shape[1] ?? 1) + 3];
    });
    await expectMmaeError(() => openRun(run, { backend: 'cpu' }), RunError, ['model.json']);
  });

  it('never imports a .js file named like a plugin that sits in the run', async () => {
    const run = await copyOfRun();
    const marker = join(temp.dir, 'imported-by-name.txt');
    for (const name of ['image.js', 'index.js', 'plugin.js', 'mnist.js', 'fusion-mean.js']) {
      await writeFile(join(run, name), markerModule(marker));
    }
    const model = await loadRun(run, { backend: 'cpu' });
    expect(model.modalities).toEqual(['image']);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a weights.bin replaced by a symbolic link to a file outside the run', async () => {
    const run = await copyOfRun();
    const outside = join(temp.dir, 'outside-weights.bin');
    await cp(join(run, 'weights.bin'), outside);
    await rm(join(run, 'weights.bin'));
    await symlink(outside, join(run, 'weights.bin'));
    await expectMmaeError(() => openRun(run, { backend: 'cpu' }), RunError, ['weights.bin']);
  });

  it('refuses a manifest that lists a file outside the run directory', async () => {
    const run = await copyOfRun();
    await writeFile(join(temp.dir, 'secret.txt'), 'not for you');
    const manifest = JSON.parse(await readFile(join(run, 'manifest.json'), 'utf8')) as {
      files: Record<string, unknown>;
    };
    manifest.files['../secret.txt'] = {
      sha256: sha256Bytes(Buffer.from('not for you')),
      bytes: 11,
    };
    await writeFile(join(run, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await expectMmaeError(() => openRun(run, { backend: 'cpu' }), RunError, ['../secret.txt']);
  });

  it('never trains over an existing run unless asked to resume it', async () => {
    const run = await copyOfRun();
    const manifestBefore = await readFile(join(run, 'manifest.json'));
    await expectMmaeError(
      () =>
        trainJob({
          config: { config: tinyRunConfig(), baseDir: temp.dir },
          out: run,
          quiet: true,
          log: () => undefined,
        }),
      ConfigError,
      ['already holds a run', '--resume'],
    );
    expect(await readFile(join(run, 'manifest.json'))).toEqual(manifestBefore);
  });

  it('refuses to resume a run with a config whose shapes differ, before training a step', async () => {
    const run = await copyOfRun();
    const manifestBefore = await readFile(join(run, 'manifest.json'));
    const changed = tinyRunConfig({ latentSize: 13, epochs: 2 });
    const error = await expectMmaeError(
      () =>
        trainJob({
          config: { config: changed, baseDir: temp.dir },
          out: run,
          resume: true,
          quiet: true,
          log: () => undefined,
        }),
      RunError,
    );
    expect(error.message).toMatch(/13/);
    expect(await readFile(join(run, 'manifest.json'))).toEqual(manifestBefore);
  });

  it('refuses to resume a directory that holds no checkpoint, saying so', async () => {
    const empty = join(temp.dir, 'empty-run');
    await mkdir(empty);
    await expectMmaeError(
      () =>
        trainJob({
          config: { config: tinyRunConfig(), baseDir: temp.dir },
          out: empty,
          resume: true,
          quiet: true,
          log: () => undefined,
        }),
      RunError,
      [empty, 'no checkpoint'],
    );
  });

  it('refuses a config.json that is not a valid config, with a typed error', async () => {
    const run = await copyOfRun();
    await forge(run, 'config.json', (config) => {
      config.training = { epochs: 'many' };
    });
    const error = await expectMmaeError(() => openRun(run, { backend: 'cpu' }), MmaeError, [
      'config.json',
    ]);
    expect(error.message).toContain('training.epochs');
  });
});
