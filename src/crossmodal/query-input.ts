/**
 * A CLI query (a caption, or a path to an image or WAV file) → the API's RawInput for one
 * modality of a run. Every way a query can be unusable is a UsageError naming the flag.
 */
import type { RawInput } from '../data/raw-input.js';
import { openInputFile, readInputFile, readInputRange } from '../data/input-file.js';
import { DataError, UsageError } from '../errors/errors.js';
import type { OpenedRun } from '../open/open-run.js';
import { EXPECTED_FILE, looksLike } from './file-kind.js';
import { checkModality } from './gallery-index.js';

/** The longest signature `looksLike` checks. */
const SIGNATURE_BYTES = 16;

export interface Query {
  readonly modality: string;
  readonly input: RawInput;
  /** For messages: the caption or the file path. */
  readonly source: string;
}

export async function readQuery(
  opened: OpenedRun,
  modality: string,
  value: string,
  flag: string,
): Promise<Query> {
  checkModality(opened, modality, flag);
  const setup = opened.setups.find((s) => s.name === modality)!;
  if (value.trim() === '') {
    throw new UsageError(`${flag}: the query is empty; give a caption or a file path.`);
  }
  if (setup.pluginId === 'text') return { modality, input: value, source: JSON.stringify(value) };
  // A WAV is read by the plugin, which reads only the clip it uses; other files are read here.
  const audio = setup.pluginId === 'audio';
  const bytes = await asUsage(flag, () => (audio ? readHead(value) : readWhole(value)));
  if (!looksLike(setup.pluginId, bytes)) {
    throw new UsageError(
      `${flag}: ${value} is not ${EXPECTED_FILE[setup.pluginId] ?? 'a supported file'}; give such a file.`,
    );
  }
  const input: RawInput = audio
    ? { kind: 'file', path: value }
    : { kind: 'bytes', data: bytes, name: value };
  return { modality, input, source: value };
}

/** A refused file (missing, a FIFO or device, too large) is the user's choice: a UsageError. */
async function asUsage<T>(flag: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DataError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** The whole file, within the image limit (the largest non-audio query a plugin reads whole). */
function readWhole(path: string): Promise<Uint8Array> {
  return readInputFile(path, { kind: 'image', what: 'query file' });
}

/** Enough of the file to recognise its kind; a FIFO, device or missing file is refused here. */
async function readHead(path: string): Promise<Uint8Array> {
  const file = await openInputFile(path, { kind: 'audio', what: 'query file' });
  try {
    return await readInputRange(file, 0, SIGNATURE_BYTES);
  } finally {
    await file.close();
  }
}
