/** The loss curve of a run's training: train (and validation) total loss per epoch, as a PNG. */
import { linePlot } from '../plots/plots.js';

function lossOf(record: unknown, part: 'train' | 'validation'): number | undefined {
  const value = (record as Record<string, Record<string, number> | undefined>)[part]?.total;
  return typeof value === 'number' ? value : undefined;
}

/** `metrics` are the records of metrics.jsonl, one per epoch; undefined when there are none. */
export async function lossCurve(
  runName: string,
  metrics: readonly unknown[],
): Promise<Buffer | undefined> {
  if (metrics.length === 0) return undefined;
  const series = [{ name: 'train', y: metrics.map((m) => lossOf(m, 'train') ?? NaN) }];
  if (metrics.some((m) => lossOf(m, 'validation') !== undefined)) {
    series.push({ name: 'validation', y: metrics.map((m) => lossOf(m, 'validation') ?? NaN) });
  }
  return linePlot({
    series,
    title: `${runName}: loss per epoch`,
    xLabel: 'epoch',
    yLabel: 'loss',
  });
}
