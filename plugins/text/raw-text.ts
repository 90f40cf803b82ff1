/**
 * Raw value → caption string. Captions arrive as strings, as UTF-8 bytes (from a manifest or an
 * archive) or as paths to .txt files; anything else is a DataError naming the source.
 */
import type { RawValue } from 'mmae/portable';
import { decodeInputText, DataError } from 'mmae/portable';
import type { TextIo } from './text-io.js';

/** Decodes strict UTF-8; a BOM is dropped, invalid bytes are a DataError naming `source`. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  return decodeInputText(bytes, `Caption ${source}`, source);
}

/** `io` reads caption files (node/caption-files.ts on Node); without it only strings and bytes. */
export async function readCaption(raw: RawValue, source: string, io: TextIo = {}): Promise<string> {
  switch (raw.kind) {
    case 'text':
      return typeof raw.text === 'string' ? raw.text : decodeUtf8(raw.text, source);
    case 'bytes':
      return decodeUtf8(raw.data, raw.name ?? source);
    case 'file':
      if (!io.readCaptionFile) {
        throw new DataError(
          `Sample ${source}: this build of the text modality reads no files, so it cannot read ` +
            `${raw.path}; give the caption itself ({ kind: 'text', text }).`,
          source,
        );
      }
      return decodeUtf8(await io.readCaptionFile(raw.path, source), raw.path);
    default:
      throw new DataError(
        `Sample ${source} gives the text modality a '${raw.kind}' value; give it a caption ` +
          `({ kind: 'text', text }) or a .txt file ({ kind: 'file', path }).`,
        source,
      );
  }
}
