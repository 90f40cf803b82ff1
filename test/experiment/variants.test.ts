import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalJob } from '../../src/experiment/eval-job.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { smallMnistConfig } from './small-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-variants-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quiet = { quiet: true, log: () => {} };

describe('the four autoencoder variants on MNIST', () => {
  it('sparse (L1) trains and its codes are sparser than the standard autoencoder’s', async () => {
    const common = { training: { epochs: 2 }, model: { codeActivation: 'relu' } };
    const standard = await trainJob({
      config: { config: smallMnistConfig(common), baseDir: dir },
      out: join(dir, 'std'),
      ...quiet,
    });
    standard.model.dispose();
    const sparse = await trainJob({
      config: {
        config: smallMnistConfig({
          variant: 'sparse',
          ...common,
          model: { ...common.model, sparsity: { penalty: 'l1', lambda: 0.5 } },
        }),
        baseDir: dir,
      },
      out: join(dir, 'sparse'),
      ...quiet,
    });
    sparse.model.dispose();
    const a = await evalJob(join(dir, 'std'), { probeRows: 500 });
    const b = await evalJob(join(dir, 'sparse'), { probeRows: 500 });
    expect(b.sparsity).toBeDefined();
    expect(b.sparsity!.meanAbsCode).toBeLessThan(0.5 * (a.sparsity?.meanAbsCode ?? Infinity));
  });

  it('stacked pre-trains layer by layer, then fine-tunes with falling loss', async () => {
    const lines: string[] = [];
    const { result, model } = await trainJob({
      config: {
        config: smallMnistConfig({
          variant: 'stacked',
          model: { stacked: { pretrainEpochs: 1, finetune: true } },
        }),
        baseDir: dir,
      },
      out: join(dir, 'stacked'),
      quiet: true,
      log: (line) => lines.push(line),
    });
    model.dispose();
    expect(lines.filter((l) => l.startsWith('stacked: image stage'))).toHaveLength(3);
    expect(result.history.at(-1)!.train.total).toBeLessThan(result.history[0]!.train.total!);
  });

  it('the VAE trains, reports an ELBO and an IW-NLL no larger than the negative ELBO', async () => {
    const { model } = await trainJob({
      config: {
        config: smallMnistConfig({ variant: 'variational', image: { likelihood: 'bernoulli' } }),
        baseDir: dir,
      },
      out: join(dir, 'vae'),
      ...quiet,
    });
    model.dispose();
    const report = await evalJob(join(dir, 'vae'), { probeRows: 500, iwSamples: 20, iwRows: 100 });
    expect(report.testElbo).toBeLessThan(0);
    expect(report.iwNll).toBeGreaterThan(0);
    // The importance-weighted bound is tighter than the ELBO (up to Monte-Carlo noise).
    expect(report.iwNll!).toBeLessThan(-report.testElbo! * 1.02);
    expect(report.files).toContain('eval/prior-samples-image.png');
  });
});
