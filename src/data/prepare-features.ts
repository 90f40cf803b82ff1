/**
 * Raw split → FeatureTable. Each modality instance prepares the samples that carry its
 * modality; features go straight into one preallocated typed array per modality, so preparing
 * 60k MNIST images allocates one 60k×784 array, not 60k small ones kept alive.
 */
import type { FeatureColumn, FeaturePreparer, FeatureTable, RawSplit } from './contract.js';
import { DataError, ShapeError } from '../errors/errors.js';

export interface PrepareOptions {
  /** 'fail': collect every bad sample, then throw one DataError. 'skip': drop those rows. */
  readonly onBadSample: 'skip' | 'fail';
  /** Samples prepared at once; more than 1 overlaps file reads. Default 16. */
  readonly concurrency?: number;
}

export interface SkippedSample {
  readonly id: string;
  readonly modality: string;
  readonly message: string;
}

export interface PreparedFeatures {
  readonly table: FeatureTable;
  /** Samples whose preparation failed (only non-empty with onBadSample 'skip'). */
  readonly skipped: readonly SkippedSample[];
}

/** Bad samples listed in a 'fail' error before "and N more". */
const LISTED_FAILURES = 20;

interface ColumnBuffer {
  readonly instance: FeaturePreparer;
  readonly rowLength: number;
  readonly data: Float32Array | Int32Array;
  readonly present: Uint8Array;
}

function allocateColumn(instance: FeaturePreparer, size: number): ColumnBuffer {
  const rowLength = instance.featureSpec.shape.reduce((a, b) => a * b, 1);
  const total = rowLength * size;
  const data =
    instance.featureSpec.dtype === 'int32' ? new Int32Array(total) : new Float32Array(total);
  return { instance, rowLength, data, present: new Uint8Array(size) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `work(i)` for i in 0..count-1 with at most `concurrency` in flight. */
async function forEachConcurrent(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
}

/** Moves kept rows to the front of every array and trims them to `kept` rows. */
function compact(
  columns: Record<string, ColumnBuffer>,
  labels: Int32Array,
  ids: string[],
  failed: Uint8Array,
): { labels: Int32Array; ids: string[]; columns: Record<string, ColumnBuffer> } {
  const keep: number[] = [];
  failed.forEach((bad, row) => {
    if (bad === 0) keep.push(row);
  });
  const trimmed: Record<string, ColumnBuffer> = {};
  for (const [name, column] of Object.entries(columns)) {
    const { rowLength, data, present } = column;
    keep.forEach((row, to) => {
      data.copyWithin(to * rowLength, row * rowLength, (row + 1) * rowLength);
      present[to] = present[row] as number;
    });
    trimmed[name] = {
      ...column,
      data: data.slice(0, keep.length * rowLength),
      present: present.slice(0, keep.length),
    };
  }
  return {
    labels: Int32Array.from(keep, (row) => labels[row] as number),
    ids: keep.map((row) => ids[row] as string),
    columns: trimmed,
  };
}

function failureError(failures: readonly SkippedSample[], size: number): DataError {
  const listed = failures
    .slice(0, LISTED_FAILURES)
    .map((f) => `  - ${f.id} [${f.modality}]: ${f.message}`)
    .join('\n');
  const more =
    failures.length > LISTED_FAILURES ? `\n  … and ${failures.length - LISTED_FAILURES} more` : '';
  return new DataError(
    `${failures.length} of ${size} samples could not be prepared:\n${listed}${more}\n` +
      "Fix or remove these samples, or set onBadSample: 'skip' to train without them.",
    failures[0]?.id,
  );
}

/**
 * Prepares every sample of `split` with the instance of each modality it carries. Modalities the
 * split carries but `instances` lacks are ignored; a modality no sample carries gets an all-zero
 * column with present = 0.
 */
export async function prepareFeatures(
  split: RawSplit,
  instances: Readonly<Record<string, FeaturePreparer>>,
  options: PrepareOptions,
): Promise<PreparedFeatures> {
  const size = split.size;
  const columns: Record<string, ColumnBuffer> = {};
  for (const [name, instance] of Object.entries(instances)) {
    columns[name] = allocateColumn(instance, size);
  }
  const labels = new Int32Array(size);
  const ids = new Array<string>(size);
  const failed = new Uint8Array(size);
  const failures: (SkippedSample & { row: number })[] = [];

  await forEachConcurrent(size, options.concurrency ?? 16, async (row) => {
    const sample = split.sample(row);
    ids[row] = sample.id;
    labels[row] = sample.label ?? -1;
    for (const [name, column] of Object.entries(columns)) {
      const raw = sample.values[name];
      if (raw === undefined) continue;
      let features: Float32Array | Int32Array;
      try {
        features = await column.instance.prepare(raw, sample.id);
      } catch (error) {
        failed[row] = 1;
        failures.push({ row, id: sample.id, modality: name, message: describe(error) });
        continue;
      }
      if (features.length !== column.rowLength) {
        // A plugin bug, not bad data: skipping would hide it.
        throw new ShapeError(
          `modality '${name}' prepared ${features.length} values for ${sample.id}, but its ` +
            `featureSpec shape [${column.instance.featureSpec.shape.join(', ')}] needs ` +
            `${column.rowLength}; the plugin's prepare and featureSpec disagree.`,
        );
      }
      column.data.set(features, row * column.rowLength);
      column.present[row] = 1;
    }
  });

  // Lanes finish out of order; report failures in split order so messages are reproducible.
  failures.sort((a, b) => a.row - b.row);
  const skipped = failures.map(({ id, modality, message }) => ({ id, modality, message }));
  if (skipped.length > 0 && options.onBadSample === 'fail') throw failureError(skipped, size);
  const kept =
    failures.length > 0 ? compact(columns, labels, ids, failed) : { labels, ids, columns };
  const tableColumns: Record<string, FeatureColumn> = {};
  for (const [name, column] of Object.entries(kept.columns)) {
    tableColumns[name] = {
      shape: [...column.instance.featureSpec.shape],
      dtype: column.instance.featureSpec.dtype,
      data: column.data,
      present: column.present,
    };
  }
  const table: FeatureTable = {
    size: kept.ids.length,
    labels: kept.labels,
    ids: kept.ids,
    columns: tableColumns,
  };
  return { table, skipped };
}
