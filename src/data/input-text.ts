/**
 * Bytes of a text input (caption, manifest, config) → a string. The decoding is strict: a
 * latin-1 or otherwise broken file is refused, naming the file and the line, instead of being
 * read with U+FFFD in place of its letters. A leading UTF-8 byte-order mark is dropped.
 */
import { DataError } from '../errors/errors.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const NEWLINE = 0x0a;

/** The 1-based line holding the first invalid UTF-8 byte (a newline byte is never inside one). */
function firstBadLine(bytes: Uint8Array): number | undefined {
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    try {
      strict.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
  }
  return undefined;
}

/**
 * Decodes strict UTF-8 and drops a BOM. `file` names the input in the error ("Manifest m.csv",
 * "Caption file a.txt (sample 3)"); `path` is the DataError's file.
 */
export function decodeInputText(bytes: Uint8Array, file: string, path?: string): string {
  try {
    return strict.decode(bytes);
  } catch (cause) {
    const line = firstBadLine(bytes);
    const where = line === undefined ? '' : ` (line ${line})`;
    throw new DataError(
      `${file} is not valid UTF-8 text${where}; save it as UTF-8 (it may be in latin-1 or ` +
        'another legacy encoding) and try again.',
      path ?? file,
      { cause },
    );
  }
}
