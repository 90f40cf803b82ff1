/**
 * A tiny trained image run for the tests that open, tamper with or forge runs, and the forger's
 * step those tests repeat: rewrite a file and re-sign manifest.json for it, so that only mmae's
 * own checks (never the checksum) stand between the forgery and the loader.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainJob } from '../../src/experiment/train-job.js';
import { sha256Bytes } from '../../src/runs/index.js';
import { smallMnistConfig } from '../experiment/small-config.js';

/** 100 MNIST training images, one epoch of the seed's MLP with latent 8: about a second. */
export async function trainTinyImageRun(
  baseDir: string,
  name = 'run',
  model: Record<string, unknown> = {},
): Promise<string> {
  const config = smallMnistConfig({ training: { epochs: 1 }, model: { latentSize: 8, ...model } });
  const options = { trainLimit: 100, validationSize: 20, testLimit: 20 };
  const result = await trainJob({
    config: { config: { ...config, dataset: { ...config.dataset, options } }, baseDir },
    out: join(baseDir, name),
    quiet: true,
    log: () => undefined,
  });
  result.model.dispose();
  return result.runDir;
}

/** Writes `bytes` as the run's file `name` and re-signs the manifest for it. */
export async function writeResigned(
  runDir: string,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  await writeFile(join(runDir, name), bytes);
  const path = join(runDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as {
    files: Record<string, { sha256: string; bytes: number }>;
  };
  manifest.files[name] = { sha256: sha256Bytes(bytes), bytes: bytes.byteLength };
  await writeFile(path, JSON.stringify(manifest, null, 2));
}

/** Edits a JSON file of the run in place and re-signs it, as a deliberate forger would. */
export async function forgeJson(
  runDir: string,
  name: string,
  edit: (value: Record<string, unknown>) => void,
): Promise<void> {
  const value = JSON.parse(await readFile(join(runDir, name), 'utf8')) as Record<string, unknown>;
  edit(value);
  await writeResigned(runDir, name, Buffer.from(JSON.stringify(value, null, 2)));
}
