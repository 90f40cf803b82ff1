/**
 * The conv VAE workloads' (W5, W6) own side: train a config through mmae's `trainJob`, then the
 * test −ELBO of the run's model on the dataset's test split (prepared by the run's own fitted
 * modalities), and print one JSON line like the references.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import { prepareFeatures } from '../../src/data/prepare-features.js';
import { openDataset } from '../../src/open/open-dataset.js';
import { openRun } from '../../src/open/open-run.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { evaluateLoss } from '../../src/train/trainer.js';

export async function trainAndTest(
  workload: string,
  rawConfig: unknown,
  baseDir: string,
  info: Record<string, unknown> = {},
): Promise<void> {
  const config = parseConfig(rawConfig, `bench ${workload} config`);
  const out = await mkdtemp(join(tmpdir(), `mmae-bench-${workload.toLowerCase()}-`));
  try {
    const trained = await trainJob({
      config: { config, baseDir },
      out: join(out, 'run'),
      quiet: true,
      log: () => {},
    });
    const history = trained.result.history;
    const opened = await openRun(trained.runDir, { backend: config.backend });
    const dataset = await openDataset(opened.config, opened.registry, opened.runDir);
    const instances = Object.fromEntries(opened.setups.map((s) => [s.name, s.instance]));
    const test = (await prepareFeatures(dataset.test, instances, { onBadSample: 'skip' })).table;
    // One reparameterised z per test image (the trainer's evaluation), −ELBO = reconstruction + KL.
    const loss = evaluateLoss(
      opened.model,
      test,
      { batchSize: 1000, validationLimit: 0 },
      config.seed,
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const line = {
      workload,
      side: 'ours',
      metrics: {
        secondsPerEpoch: mean(history.map((h) => h.seconds)),
        cpuSecondsPerEpoch: mean(history.map((h) => h.cpuSeconds)),
        testNegElbo: (loss.reconstruction ?? NaN) + (loss.kl ?? NaN),
      },
      info: {
        epochSeconds: history.map((h) => h.seconds),
        lastEpochTrainLoss: history.at(-1)?.train.total,
        lastEpochValidationLoss: history.at(-1)?.validation?.total,
        trainImages: dataset.train.size,
        testImages: test.size,
        parameters: trained.model.trainableVariables().reduce((sum, v) => sum + v.size, 0),
        backend: trained.backend.name,
        ...info,
      },
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
