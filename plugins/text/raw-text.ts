/**
 * Raw value → caption string. Captions arrive as strings, as UTF-8 bytes (from a manifest or an
 * archive) or as paths to .txt files; anything else is a DataError naming the source.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { RawValue } from '../../src/data/contract.js';
import { DataError } from '../../src/errors/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes strict UTF-8; a BOM is dropped, invalid bytes are a DataError naming `source`. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new DataError(
      `Caption ${source} is not valid UTF-8 text; re-save it as UTF-8 or fix the bytes.`,
      source,
      { cause },
    );
  }
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
  try {
    return await readFile(path);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new DataError(
      `Cannot read caption file ${path} (sample ${source}): ${reason}. Check that the path exists.`,
      path,
      { cause },
    );
  }
}
