/**
 * A named split of a run's dataset, prepared into features for some of its modalities. The
 * commands and the cross-modal report read galleries and queries through this one path.
 */
import type { FeatureTable, RawDataset, RawSplit } from '../data/contract.js';
import { subsetSplit } from '../data/splits.js';
import { UsageError } from '../errors/errors.js';
import { featuresOf } from '../open/model-pipeline.js';
import { openDataset } from '../open/open-dataset.js';
import type { OpenedRun } from '../open/open-run.js';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

export function parseSplitName(value: string, flag = '--split'): SplitName {
  if (!(SPLIT_NAMES as readonly string[]).includes(value)) {
    throw new UsageError(
      `${flag}: "${value}" is not a split; use one of ${SPLIT_NAMES.join(', ')}.`,
    );
  }
  return value as SplitName;
}

export interface PreparedSplit {
  readonly raw: RawSplit;
  readonly table: FeatureTable;
  readonly classes?: readonly string[];
}

/** Opens the run's dataset (once per call) and prepares `split` for `modalities`. */
export async function prepareSplit(
  opened: OpenedRun,
  split: SplitName,
  modalities: readonly string[],
  limit?: number,
): Promise<PreparedSplit> {
  const dataset: RawDataset = await openDataset(opened.config, opened.registry, opened.runDir);
  const full = dataset[split];
  const raw =
    limit !== undefined && limit < full.size
      ? subsetSplit(
          full,
          Array.from({ length: limit }, (_, i) => i),
        )
      : full;
  const setups = opened.setups.filter((s) => modalities.includes(s.name));
  const { table } = await featuresOf(raw, setups, 'skip');
  return { raw, table, ...(dataset.classes ? { classes: dataset.classes } : {}) };
}

/** Rows of `table` that carry `modality`, as a smaller table (codes of the others would be NaN). */
export function rowsWith(table: FeatureTable, modalities: readonly string[]): FeatureTable {
  const keep: number[] = [];
  for (let i = 0; i < table.size; i++) {
    if (modalities.every((m) => table.columns[m]?.present[i] === 1)) keep.push(i);
  }
  return selectRows(table, keep);
}

/** A copy of `table` restricted to `rows`, in that order. */
export function selectRows(table: FeatureTable, rows: readonly number[]): FeatureTable {
  const columns: FeatureTable['columns'] = Object.fromEntries(
    Object.entries(table.columns).map(([name, column]) => {
      const width = column.shape.reduce((a, b) => a * b, 1);
      const data =
        column.dtype === 'int32'
          ? new Int32Array(rows.length * width)
          : new Float32Array(rows.length * width);
      rows.forEach((r, i) => data.set(column.data.subarray(r * width, (r + 1) * width), i * width));
      return [
        name,
        { ...column, data, present: Uint8Array.from(rows, (r) => column.present[r] as number) },
      ];
    }),
  );
  return {
    size: rows.length,
    labels: Int32Array.from(rows, (r) => table.labels[r] as number),
    ids: rows.map((r) => table.ids[r] as string),
    columns,
  };
}
