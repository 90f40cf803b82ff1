/**
 * The 'fsdd' dataset: spoken digits (Free Spoken Digit Dataset), split by speaker so that test
 * and validation voices are never heard in training.
 */
import type { DatasetAdapter, RawDataset, RawSample, GroupSplits } from 'mmae';
import { ConfigError, deriveSeed, arraySplit, splitByGroup } from 'mmae';
import { DIGIT_CLASSES } from '../digits.js';
import { locateFsddRecordings } from './locate.js';
import { listFsddRecordings, type FsddRecording } from './recordings.js';
import { fsddOptionsSchema, type FsddOptions } from './options.js';

export interface FsddSpeakerSplit {
  readonly train: readonly string[];
  readonly validation: readonly string[];
  readonly test: readonly string[];
}

/**
 * Which speakers go where. Named speakers are taken as given; a split left unnamed gets the last
 * unassigned speaker in alphabetical order (test first), so defaults never depend on the seed.
 */
export function assignSpeakers(
  speakers: readonly string[],
  options: Pick<FsddOptions, 'testSpeakers' | 'validationSpeakers'>,
): { test: string[]; validation: string[] } {
  const sorted = [...new Set(speakers)].sort();
  for (const field of ['testSpeakers', 'validationSpeakers'] as const) {
    const unknown = (options[field] ?? []).filter((s) => !sorted.includes(s));
    if (unknown.length > 0) {
      throw new ConfigError(
        `${field} names speaker(s) ${unknown.join(', ')} not found in FSDD; its speakers are ` +
          `${sorted.join(', ')}.`,
        field,
      );
    }
  }
  const both = (options.testSpeakers ?? []).filter((s) => options.validationSpeakers?.includes(s));
  if (both.length > 0) {
    throw new ConfigError(
      `speaker(s) ${both.join(', ')} are in both testSpeakers and validationSpeakers; a speaker ` +
        'may be in one split only.',
      'validationSpeakers',
    );
  }
  const taken = new Set([...(options.testSpeakers ?? []), ...(options.validationSpeakers ?? [])]);
  const free = sorted.filter((s) => !taken.has(s));
  const next = (field: string): string[] => {
    // Keep at least one speaker for training.
    if (free.length < 2) {
      throw new ConfigError(
        `FSDD has ${sorted.length} speaker(s) (${sorted.join(', ')}), too few to choose ` +
          `${field} by default and still train; set ${field} explicitly (an empty list is allowed).`,
        field,
      );
    }
    return [free.pop() as string];
  };
  const test = options.testSpeakers ?? next('testSpeakers');
  const validation = options.validationSpeakers ?? next('validationSpeakers');
  return { test: [...test], validation: [...validation] };
}

function recordingSample(recording: FsddRecording): RawSample {
  return {
    id: recording.file,
    label: recording.digit,
    group: recording.speaker,
    values: { audio: { kind: 'file', path: recording.path } },
  };
}

export interface FsddLayout {
  readonly recordings: readonly FsddRecording[];
  readonly split: GroupSplits;
}

/** Lists the recordings and splits them by speaker (shared with mnist-fsdd). */
export async function loadFsddLayout(
  options: FsddOptions,
  context: { seed: number; baseDir: string },
): Promise<FsddLayout> {
  const dir = await locateFsddRecordings(options.dir, context.baseDir);
  const recordings = await listFsddRecordings(dir);
  const speakers = recordings.map((r) => r.speaker);
  const assignment = assignSpeakers(speakers, options);
  const split = splitByGroup(speakers, assignment, deriveSeed(context.seed, 'fsdd'));
  if (split.train.length === 0) {
    throw new ConfigError(
      `FSDD speakers ${[...new Set(speakers)].join(', ')} are all held out for test or ` +
        'validation; leave at least one for training.',
      'testSpeakers',
    );
  }
  return { recordings, split };
}

export const fsddAdapter: DatasetAdapter<FsddOptions> = {
  id: 'fsdd',
  description:
    'Free Spoken Digit Dataset: 8 kHz WAV recordings of spoken digits, split by speaker.',
  optionsSchema: fsddOptionsSchema,
  async load(options, context): Promise<RawDataset> {
    const { recordings, split } = await loadFsddLayout(options, context);
    const samplesOf = (rows: Int32Array) =>
      arraySplit(Array.from(rows, (row) => recordingSample(recordings[row] as FsddRecording)));
    return {
      id: 'fsdd',
      modalities: ['audio'],
      classes: DIGIT_CLASSES,
      train: samplesOf(split.train),
      validation: samplesOf(split.validation),
      test: samplesOf(split.test),
    };
  },
};
