/**
 * Reads and parses a JSON file with errors that name the file and what it was meant to be. JSON
 * only: nothing in a run directory is ever imported, required or evaluated.
 */
import { RunError } from '../errors/errors.js';
import { errorCode, nodeRunFs, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';

/** `what` names the file's role for the message, e.g. "the run manifest". */
export async function readJsonFile(
  path: string,
  what: string,
  fs: RunFs = nodeRunFs,
): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new RunError(`${what} is missing: ${path} does not exist.`, path, { cause: error });
    }
    throw runOsError(`Could not read ${what} at`, path, error);
  }
  return parseJsonBytes(bytes, path, what);
}

export function parseJsonBytes(bytes: Uint8Array, path: string, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RunError(
      `${what} at ${path} is not valid JSON (${detail}); the file is damaged or was edited by hand.`,
      path,
      { cause: error },
    );
  }
}
