/**
 * Checks a query file against the kind of file its modality's plugin declares (the plugin's
 * `fileKind`), so a text file given as an image query is refused with a message about the flag
 * rather than a decoder's stack trace. A plugin that declares no kind takes every file.
 */
import { UsageError } from '../errors/errors.js';
import type { FileKind } from '../modality/contract.js';

/** How many leading bytes to read for the check: none for a plugin without a file kind. */
export function headerLength(kind: FileKind | undefined): number {
  return kind === undefined ? 0 : Math.max(0, Math.floor(kind.headerBytes));
}

export function checkFileKind(
  kind: FileKind | undefined,
  header: Uint8Array,
  flag: string,
  path: string,
): void {
  if (kind === undefined || kind.matches(header.subarray(0, headerLength(kind)))) return;
  throw new UsageError(`${flag}: ${path} is not ${kind.description}; give such a file.`);
}
