/**
 * A CLI query (a caption, or a path to a file) → the API's RawInput for one modality of a run.
 * How a query is read is the modality plugin's to declare (its `rawInput` and `fileKind`): the
 * core tests no plugin id. Every way a query can be unusable is a UsageError naming the flag.
 */
import type { RawInput } from '../data/raw-input.js';
import { openInputFile, readInputFile, readInputRange } from '../data/input-file.js';
import { TEXT_FILE_LIMIT, type InputSizeLimit } from '../data/input-limits.js';
import { DataError, UsageError } from '../errors/errors.js';
import type { AnyModalityPlugin } from '../modality/contract.js';
import type { OpenedRun } from '../open/open-run.js';
import { checkFileKind, headerLength } from './file-kind.js';
import { checkModality } from './gallery-index.js';
import type { QueryRequest } from './query-flags.js';

export interface Query {
  readonly modality: string;
  readonly input: RawInput;
  /** For messages: the caption or the file path. */
  readonly source: string;
}

/** A query from the command line: a plugin's flag finds the run's modality of that plugin. */
export function readQueryRequest(opened: OpenedRun, request: QueryRequest): Promise<Query> {
  const { flag, value } = request;
  const modality = request.modality ?? modalityOfPlugin(opened, request.pluginId, flag);
  return readQuery(opened, modality, value, flag);
}

/** A query of the run's modality `modality`; `flag` names where it came from in messages. */
export async function readQuery(
  opened: OpenedRun,
  modality: string,
  value: string,
  flag: string,
): Promise<Query> {
  checkModality(opened, modality, flag);
  const setup = opened.setups.find((s) => s.name === modality)!;
  const plugin = opened.registry.modality(setup.pluginId);
  const rule = plugin.rawInput ?? {};
  if (value.trim() === '') {
    const what = rule.strings === 'text' ? 'a caption' : 'a file path';
    throw new UsageError(`${flag}: the query is empty; give ${what}.`);
  }
  if (rule.strings === 'text') return { modality, input: value, source: JSON.stringify(value) };
  return { modality, input: await readQueryFile(plugin, value, flag), source: value };
}

/** `--image` queries the run's one modality of the image plugin, whatever its name. */
function modalityOfPlugin(opened: OpenedRun, pluginId: string, flag: string): string {
  const names = opened.setups.filter((s) => s.pluginId === pluginId).map((s) => s.name);
  if (names.length === 1) return names[0]!;
  if (names.length === 0) {
    throw new UsageError(
      `${flag}: this run has no modality "${pluginId}"; it was trained on: ` +
        `${opened.model.names.join(', ')}.`,
    );
  }
  throw new UsageError(
    `${flag}: this run has ${names.length} modalities of the ${pluginId} plugin ` +
      `(${names.join(', ')}); say which with --query ${names[0]}=VALUE.`,
  );
}

/** The file as the plugin asked for it: bytes, a text value, or its path for the plugin to read. */
async function readQueryFile(
  plugin: AnyModalityPlugin,
  path: string,
  flag: string,
): Promise<RawInput> {
  const files = plugin.rawInput?.files ?? 'bytes';
  const limit = plugin.rawInput?.sizeLimit ?? TEXT_FILE_LIMIT;
  const bytes = await asUsage(flag, () =>
    files === 'path'
      ? readHead(path, limit, headerLength(plugin.fileKind))
      : readWhole(path, limit),
  );
  checkFileKind(plugin.fileKind, bytes, flag, path);
  if (files === 'path') return { kind: 'file', path };
  if (files === 'text') return { kind: 'text', text: bytes };
  return { kind: 'bytes', data: bytes, name: path };
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

function readWhole(path: string, limit: InputSizeLimit): Promise<Uint8Array> {
  return readInputFile(path, { limit, what: 'query file' });
}

/**
 * Enough of the file to recognise its kind, for a plugin that reads only the part it uses (a
 * clip of a long WAV); a FIFO, device or missing file is refused here all the same.
 */
async function readHead(path: string, limit: InputSizeLimit, length: number): Promise<Uint8Array> {
  const file = await openInputFile(path, { limit, what: 'query file' });
  try {
    return await readInputRange(file, 0, length);
  } finally {
    await file.close();
  }
}
