/**
 * The 'manifest' dataset: a user's own data listed in a CSV or JSON Lines file, one row per
 * sample, one field per modality. The whole manifest is checked at load time and every problem
 * reported at once, so a bad row never surfaces halfway through training.
 */
import { basename, dirname, resolve } from 'node:path';
import type { DatasetAdapter, RawDataset, RawSample, IndexSplits } from 'mmae';
import { ConfigError, DataError, deriveSeed, arraySplit, splitByGroup, splitIndices } from 'mmae';
import { buildEntries, type ManifestEntry } from './entries.js';
import {
  DEFAULT_MANIFEST_MODALITIES,
  manifestOptionsSchema,
  type ManifestOptions,
} from './options.js';
import { readManifestRows, type ManifestProblem } from './read-rows.js';

/** Problems listed in the error before "and N more". */
const LISTED_PROBLEMS = 50;

function problemsError(file: string, problems: readonly ManifestProblem[]): DataError {
  const listed = problems
    .slice(0, LISTED_PROBLEMS)
    .map((p) => `  ${basename(file)}:${p.line}: ${p.message}`)
    .join('\n');
  const more =
    problems.length > LISTED_PROBLEMS ? `\n  … and ${problems.length - LISTED_PROBLEMS} more` : '';
  return new DataError(
    `Manifest ${file} has ${problems.length} problem(s); fix them before training:\n` +
      `${listed}${more}`,
    file,
  );
}

function splitByColumn(entries: readonly ManifestEntry[], file: string): IndexSplits {
  const missing = entries.filter((e) => e.split === undefined);
  if (missing.length > 0) {
    throw problemsError(
      file,
      missing.map((e) => ({
        line: e.line,
        message: "has no split while other rows do; give every row a split or set split: 'ratio'",
      })),
    );
  }
  const rowsOf = (name: string) =>
    Int32Array.from(entries.flatMap((e, i) => (e.split === name ? [i] : [])));
  return { train: rowsOf('train'), validation: rowsOf('validation'), test: rowsOf('test') };
}

function splitByRatio(
  entries: readonly ManifestEntry[],
  options: ManifestOptions,
  seed: number,
): IndexSplits {
  const sizes = { validation: options.validationSize, test: options.testSize };
  const splitSeed = deriveSeed(seed, 'manifest', 'split');
  // With groups (e.g. speakers), sizes count groups and no group spans two splits.
  if (entries.some((e) => e.group !== undefined)) {
    return splitByGroup(
      entries.map((e) => e.group ?? `row:${e.id}`),
      sizes,
      splitSeed,
    );
  }
  return splitIndices(entries.length, sizes, splitSeed);
}

function toSample(entry: ManifestEntry): RawSample {
  return { id: entry.id, label: entry.label, group: entry.group, values: entry.values };
}

export const manifestAdapter: DatasetAdapter<ManifestOptions> = {
  id: 'manifest',
  description:
    'Your own data from a CSV or JSON Lines manifest: one row per sample, image/audio paths ' +
    'relative to the manifest, text as strings, optional label, id, split and group.',
  optionsSchema: manifestOptionsSchema,
  async load(options, context): Promise<RawDataset> {
    const file = resolve(context.baseDir, options.path);
    const modalities = options.modalities ?? DEFAULT_MANIFEST_MODALITIES;
    const read = await readManifestRows(file, options.format);
    const built = await buildEntries(read.rows, {
      file,
      root: dirname(file),
      modalities,
      classes: options.classes,
      allowOutsideRoot: options.allowOutsideRoot,
      unknownFields: options.unknownFields,
    });
    const problems = [...read.problems, ...built.problems].sort((a, b) => a.line - b.line);
    if (problems.length > 0) throw problemsError(file, problems);
    const { entries } = built;
    if (entries.length === 0) {
      throw new DataError(`Manifest ${file} has no rows; add one row per sample.`, file);
    }
    const useColumn =
      options.split === 'column' ||
      (options.split === 'auto' && entries.some((e) => e.split !== undefined));
    const split = useColumn
      ? splitByColumn(entries, file)
      : splitByRatio(entries, options, context.seed);
    if (split.train.length === 0) {
      throw new ConfigError(
        `Manifest ${file} leaves no rows for training; lower validationSize/testSize or ` +
          "mark rows with split 'train'.",
        'split',
      );
    }
    const samplesOf = (rows: Int32Array) =>
      arraySplit(Array.from(rows, (row) => toSample(entries[row] as ManifestEntry)));
    return {
      id: 'manifest',
      modalities: Object.keys(modalities).filter((m) => entries.some((e) => m in e.values)),
      classes: built.classes,
      train: samplesOf(split.train),
      validation: samplesOf(split.validation),
      test: samplesOf(split.test),
    };
  },
};
