/** Lists FSDD recordings, named `{digit}_{speaker}_{index}.wav`, in a stable order. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from 'mmae';

export interface FsddRecording {
  /** File name, e.g. 7_jackson_32.wav; unique within the folder. */
  readonly file: string;
  readonly path: string;
  readonly digit: number;
  readonly speaker: string;
  readonly index: number;
}

const NAME = /^([0-9])_(.+)_([0-9]+)\.wav$/i;

/** Parses a recording file name; undefined when it does not follow the FSDD pattern. */
export function parseRecordingName(file: string): Omit<FsddRecording, 'path'> | undefined {
  const match = NAME.exec(file);
  if (match === null) return undefined;
  return {
    file,
    digit: Number(match[1]),
    speaker: match[2] as string,
    index: Number(match[3]),
  };
}

/** Every recording of `dir`, sorted by speaker, digit, index. */
export async function listFsddRecordings(dir: string): Promise<FsddRecording[]> {
  const wavs = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.wav'));
  const recordings: FsddRecording[] = [];
  const misnamed: string[] = [];
  for (const file of wavs) {
    const parsed = parseRecordingName(file);
    if (parsed === undefined) misnamed.push(file);
    else recordings.push({ ...parsed, path: join(dir, file) });
  }
  if (misnamed.length > 0) {
    throw new DataError(
      `FSDD folder ${dir} has ${misnamed.length} .wav file(s) not named ` +
        `{digit}_{speaker}_{index}.wav: ${misnamed.slice(0, 10).join(', ')}` +
        `${misnamed.length > 10 ? ', …' : ''}; rename or move them.`,
      dir,
    );
  }
  if (recordings.length === 0) {
    throw new DataError(`FSDD folder ${dir} holds no recordings.`, dir);
  }
  return recordings.sort(
    (a, b) =>
      (a.speaker < b.speaker ? -1 : a.speaker > b.speaker ? 1 : 0) ||
      a.digit - b.digit ||
      a.index - b.index,
  );
}
