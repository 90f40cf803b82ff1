/**
 * A request's inputs (one value per modality, from JSON or from multipart parts) → the raw values
 * LoadedModel encodes. A string is never handed over as it is: to the API a string is a file path
 * for an image or audio modality, and nothing from a request may name a file. So each value
 * becomes bytes or text here, as its modality's plugin declares (`rawInput`), and bytes are
 * checked against the plugin's `fileKind` before any decoder sees them.
 */
import { checkFileKind, headerLength } from '../crossmodal/file-kind.js';
import { checkModality } from '../crossmodal/gallery-index.js';
import type { RawValue } from '../data/contract.js';
import { DataError, UsageError } from '../errors/errors.js';
import { prepareValues, type PreparedValue } from '../model/encode-sample.js';
import type { OpenedRun } from '../open/open-run.js';
import { ServeError } from './serve-errors.js';

/** One modality's value as the request gave it. */
export type GivenInput =
  | { readonly from: 'json'; readonly value: string }
  | { readonly from: 'upload'; readonly data: Uint8Array; readonly filename: string };

/** The inputs of one request by modality name; `field` names them in messages ('query'). */
export interface GivenInputs {
  readonly field: string;
  readonly values: ReadonlyMap<string, GivenInput>;
}

/** A run's modality named by a request, else a 404 with the message the CLI gives. */
export function requireModality(opened: OpenedRun, name: string, field: string): string {
  try {
    checkModality(opened, name, field);
  } catch (error) {
    if (error instanceof UsageError) throw new ServeError('NOT_FOUND', error.message);
    throw error;
  }
  return name;
}

/** Every input as the raw value its plugin reads; at least one is required. */
export function rawInputsOf(opened: OpenedRun, given: GivenInputs): Record<string, RawValue> {
  if (given.values.size === 0) {
    throw new UsageError(
      `${given.field}: give at least one of this run's modalities (${opened.model.names.join(', ')}), ` +
        `e.g. { "${given.field}": { "${opened.model.names[0]}": … } }.`,
    );
  }
  const out: Record<string, RawValue> = {};
  for (const [name, input] of given.values) {
    const field = `${given.field}.${name}`;
    requireModality(opened, name, field);
    out[name] = rawValueOf(opened, name, input, field);
  }
  return out;
}

function rawValueOf(opened: OpenedRun, name: string, input: GivenInput, field: string): RawValue {
  const setup = opened.setups.find((s) => s.name === name)!;
  const plugin = opened.registry.modality(setup.pluginId);
  const rule = plugin.rawInput ?? {};
  if (input.from === 'json' && rule.strings === 'text') {
    if (input.value.trim() === '') throw new UsageError(`${field}: the text is empty; give some.`);
    return { kind: 'text', text: input.value };
  }
  const bytes = input.from === 'json' ? base64Bytes(input.value, field) : input.data;
  if (bytes.length === 0) throw new UsageError(`${field}: the ${name} input is empty.`);
  const what = input.from === 'json' ? 'the base64 value' : `the upload "${input.filename}"`;
  try {
    checkFileKind(plugin.fileKind, bytes.subarray(0, headerLength(plugin.fileKind)), field, what);
  } catch (error) {
    if (error instanceof UsageError) throw new ServeError('UNSUPPORTED_MEDIA_TYPE', error.message);
    throw error;
  }
  if (rule.files === 'text' || rule.strings === 'text') return { kind: 'text', text: bytes };
  return { kind: 'bytes', data: bytes, name: field };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:[\w.+-]+\/[\w.+-]+;base64,/;

/**
 * Strict base64 (a data: URL's payload too). Buffer.from would skip any character it does not
 * know and decode the rest, so a mangled upload would reach the decoder as other bytes.
 */
function base64Bytes(value: string, field: string): Uint8Array {
  const payload = value.replace(DATA_URL, '');
  if (payload.length % 4 !== 0 || !BASE64.test(payload)) {
    throw new UsageError(
      `${field}: not base64 (give the file's bytes in standard base64, or a data: URL, or ` +
        'upload it as multipart/form-data).',
    );
  }
  return Buffer.from(payload, 'base64');
}

/**
 * A DataError while the inputs are prepared is about what the client sent (a damaged PNG, a WAV
 * with no samples): the client's to fix, so a 400, as the CLI makes it a usage error.
 */
export async function asInputError<T>(field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DataError) {
      throw new UsageError(`${field}: the input cannot be read: ${error.message}`);
    }
    throw error;
  }
}

/** The inputs' features, each prepared by its modality's plugin, as encode prepares them. */
export function prepareInputs(
  opened: OpenedRun,
  inputs: Record<string, RawValue>,
  field: string,
): Promise<PreparedValue[]> {
  const values = Object.entries(inputs).map(([name, raw]) => ({
    setup: opened.setups.find((s) => s.name === name)!,
    raw,
  }));
  return asInputError(field, () => prepareValues(values));
}
