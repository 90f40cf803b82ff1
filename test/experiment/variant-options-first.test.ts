/**
 * `mmae train` checks the variant's options as soon as the registry knows the variant, before the
 * dataset is read or a run directory is made: a misplaced option costs no data loading.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { ConfigError, DataError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-variant-first-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A config whose dataset cannot load: its manifest file does not exist. */
function configWith(model: Record<string, unknown>) {
  return parseConfig({
    name: 'variant-first',
    backend: 'cpu',
    dataset: { id: 'manifest', options: { path: 'no-such-manifest.csv' } },
    modalities: [{ id: 'text' }],
    model,
  });
}

const train = (model: Record<string, unknown>, out: string) =>
  trainJob({
    config: { config: configWith(model), baseDir: dir },
    out: join(dir, out),
    quiet: true,
    log: () => {},
  });

describe('trainJob with a misplaced variant option', () => {
  it('fails with the ConfigError naming the option, before the dataset is read', async () => {
    const error = await train({ variant: 'standard', jmvaeAlpha: 2 }, 'misplaced').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(
      /model\.jmvaeAlpha: variant "standard" takes no option "jmvaeAlpha" \(it is an option of jmvae\)/,
    );
    expect(existsSync(join(dir, 'misplaced'))).toBe(false);
  });

  it('fails on the dataset instead when the options are right (the dataset would fail)', async () => {
    const error = await train({ variant: 'jmvae', jmvaeAlpha: 2 }, 'right').catch(
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toContain('no-such-manifest.csv');
  });
});
