/**
 * Raw value → caption string. Captions arrive as strings, as UTF-8 bytes (from a manifest or an
 * archive) or as paths to .txt files; anything else is a DataError naming the source.
 */
import { extname } from 'node:path';
import type { RawValue } from '../../src/index.js';
import { readInputFile, decodeInputText, DataError } from '../../src/index.js';

/** Decodes strict UTF-8; a BOM is dropped, invalid bytes are a DataError naming `source`. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  return decodeInputText(bytes, `Caption ${source}`, source);
}

export async function readCaption(raw: RawValue, source: string): Promise<string> {
  switch (raw.kind) {
    case 'text':
      return typeof raw.text === 'string' ? raw.text : decodeUtf8(raw.text, source);
    case 'bytes':
      return decodeUtf8(raw.data, raw.name ?? source);
    case 'file':
      return decodeUtf8(await readTextFile(raw.path, source), raw.path);
    default:
      throw new DataError(
        `Sample ${source} gives the text modality a '${raw.kind}' value; give it a caption ` +
          `({ kind: 'text', text }) or a .txt file ({ kind: 'file', path }).`,
        source,
      );
  }
}

async function readTextFile(path: string, source: string): Promise<Uint8Array> {
  if (extname(path).toLowerCase() !== '.txt') {
    throw new DataError(
      `Caption file ${path} (sample ${source}) is not a .txt file; captions must be UTF-8 .txt files.`,
      path,
    );
  }
  return readInputFile(path, { kind: 'text', what: 'caption file', of: `sample ${source}` });
}
