/**
 * A CLI query (a caption, or a path to an image or WAV file) → the API's RawInput for one
 * modality of a run. Every way a query can be unusable is a UsageError naming the flag.
 */
import { readFile } from 'node:fs/promises';
import type { RawInput } from '../api/raw-input.js';
import { UsageError } from '../errors/errors.js';
import type { OpenedRun } from '../experiment/open-run.js';
import { EXPECTED_FILE, looksLike } from './file-kind.js';
import { checkModality } from './gallery-index.js';

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
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(value));
  } catch (error) {
    const reason =
      (error as { code?: string }).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new UsageError(`${flag}: the file ${value} ${reason}; give the path of a query file.`);
  }
  if (!looksLike(setup.pluginId, bytes)) {
    throw new UsageError(
      `${flag}: ${value} is not ${EXPECTED_FILE[setup.pluginId] ?? 'a supported file'}; give such a file.`,
    );
  }
  return { modality, input: { kind: 'bytes', data: bytes, name: value }, source: value };
}
