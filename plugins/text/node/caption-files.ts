/** The text plugin's Node edge for captions: .txt files read with the plugin kit's checks. */
import { extname } from 'node:path';
import { readInputFile, DataError, TEXT_FILE_LIMIT } from 'mmae';

export async function readTextFile(path: string, source: string): Promise<Uint8Array> {
  if (extname(path).toLowerCase() !== '.txt') {
    throw new DataError(
      `Caption file ${path} (sample ${source}) is not a .txt file; captions must be UTF-8 .txt files.`,
      path,
    );
  }
  return readInputFile(path, {
    limit: TEXT_FILE_LIMIT,
    what: 'caption file',
    of: `sample ${source}`,
  });
}
