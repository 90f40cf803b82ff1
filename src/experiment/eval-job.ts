/**
 * `mmae eval RUN`: measures a trained run on its dataset's test split and writes
 * eval/report.json, eval/report.md and PNG plots into the run directory.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareFeatures } from '../data/prepare-features.js';
import { subsetSplit } from '../data/splits.js';
import { crossModalReport, wantsCrossModal } from '../evaluation/crossmodal/cross-modal-report.js';
import { instanceRetrieval } from '../evaluation/crossmodal/instance-retrieval.js';
import { captionScores } from '../evaluation/crossmodal/caption-scores.js';
import { auroc } from '../evaluation/metrics/auroc.js';
import { encodeTable } from '../evaluation/measures/encode-table.js';
import { estimateNll } from '../evaluation/measures/estimate-nll.js';
import { probeTable } from '../evaluation/measures/probe-accuracy.js';
import { reconstructionTable } from '../evaluation/measures/reconstruction-error.js';
import { reconstructionScores } from '../evaluation/measures/reconstruction-scores.js';
import { sampleSheets } from '../evaluation/report/sample-sheets.js';
import { readMetrics } from '../runs/index.js';
import { evaluateLoss } from '../train/trainer.js';
import { openDataset } from '../open/open-dataset.js';
import { openRun, type OpenRunOptions } from '../open/open-run.js';
import type { EvalReport } from '../evaluation/report/eval-report.js';
import { lossCurve } from '../evaluation/report/loss-curve.js';
import { writeReport } from '../evaluation/report/write-report.js';

export interface EvalJobOptions extends OpenRunOptions {
  /** Training rows encoded for the linear probe (default 10,000). */
  readonly probeRows?: number;
  /** Training rows the coherence judges learn from (default 60,000: all of MNIST's). */
  readonly judgeRows?: number;
  /** Importance samples for the IW-NLL (default 50) and rows it covers (default 1,000). */
  readonly iwSamples?: number;
  readonly iwRows?: number;
  /** Warnings (a skipped metrics line) go here as well as into the report; default stderr. */
  readonly log?: (line: string) => void;
}

export async function evalJob(run: string, options: EvalJobOptions = {}): Promise<EvalReport> {
  const opened = await openRun(run, options);
  const { model, config, runDir } = opened;
  const dataset = await openDataset(config, opened.registry, runDir);
  const instances = Object.fromEntries(opened.setups.map((s) => [s.name, s.instance]));
  const prepare = async (split: typeof dataset.test) =>
    (await prepareFeatures(split, instances, { onBadSample: 'skip' })).table;
  const test = await prepare(dataset.test);
  const probeRows = Math.min(options.probeRows ?? 10_000, dataset.train.size);
  const train = await prepare(
    subsetSplit(
      dataset.train,
      Array.from({ length: probeRows }, (_, i) => i),
    ),
  );
  const probabilistic = model.objective.probabilistic;

  const testLoss = evaluateLoss(model, test, { batchSize: 512, validationLimit: 0 }, config.seed);
  const report: EvalReport = {
    run: runDir,
    variant: config.model.variant,
    modalities: [...model.names],
    ...(dataset.classes?.length ? { classes: [...dataset.classes] } : {}),
    epochs: opened.trainerState.epoch,
    testSize: test.size,
    testLoss,
    ...(probabilistic ? { testElbo: -(testLoss.total ?? NaN) } : {}),
    reconstruction: reconstructionTable(model, test),
    ...(await probeTable(model, train, test, config.seed)),
    files: [],
  };
  if (probabilistic) {
    const k = options.iwSamples ?? 50;
    const iwNll = await estimateNll(model, test, k, options.iwRows ?? 1000, config.seed);
    if (iwNll !== undefined) report.iwNll = iwNll;
  }
  // The variant's own section (sparse: `sparsity`), measured on the test codes.
  const section = model.variant.report?.(encodeTable(model, test), model.latentSize);
  if (section) Object.assign(report, section);
  // The dataset says which classes it held out of training; the core knows no dataset's options.
  const excluded = dataset.heldOutClasses;
  if (excluded?.length) {
    const scores = reconstructionScores(model, test);
    const isAnomaly = Uint8Array.from(test.labels, (label) => (excluded.includes(label) ? 1 : 0));
    report.anomaly = { excludedClasses: [...excluded], auroc: auroc(scores, isAnomaly) };
  }

  // The dataset says what makes two samples the same thing (and whose rendering each is).
  if (dataset.instances) {
    const retrieval = instanceRetrieval(model, test, dataset.instances);
    if (retrieval) report.instanceRetrieval = retrieval;
  }
  // The dataset says what a caption of each sample should say: score the generated ones.
  if (dataset.captionReferences) {
    const scores = await captionScores(model, test, dataset.captionReferences);
    if (scores) report.captionScores = scores;
  }

  const outDir = join(runDir, 'eval');
  await mkdir(outDir, { recursive: true });
  if (wantsCrossModal(opened, test)) {
    const judgeRows = Math.min(options.judgeRows ?? 60_000, dataset.train.size);
    const judgeTrain =
      judgeRows > probeRows
        ? await prepare(
            subsetSplit(
              dataset.train,
              Array.from({ length: judgeRows }, (_, i) => i),
            ),
          )
        : train;
    const crossOptions = {
      outDir,
      rawTest: dataset.test,
      seed: config.seed,
      judgeTrain,
      ...(dataset.classes ? { classes: dataset.classes } : {}),
    };
    report.crossModal = await crossModalReport(opened, test, train, crossOptions);
    report.files.push(...report.crossModal.files.filter((f) => f.endsWith('.png')));
  }
  const images = await sampleSheets(model, test, probabilistic, config.seed);
  // A damaged line costs only its point on the loss curve, never the evaluation.
  const metrics = await readMetrics(runDir, {
    onSkipped: (skipped) => (report.warnings ??= []).push(skipped.message),
  });
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  for (const warning of report.warnings ?? []) log(`warning: ${warning}`);
  const curve = await lossCurve(config.name, metrics);
  if (curve) images['loss-curve.png'] = curve;
  await writeReport(outDir, report, images);
  model.dispose();
  return report;
}
