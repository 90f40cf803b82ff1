/**
 * Every file that comes from outside (a query, a dataset's image, WAV, caption, manifest or IDX
 * file, a config) is opened here: it must be a regular file, checked before it is opened and
 * again on the open descriptor, so a FIFO never blocks and a device (/dev/zero) is never read;
 * and it is read with a size limit, counted while reading, so a file that grows after the check
 * still stops at the limit. Each limit is declared by the plugin or dataset that reads such files
 * (input-limits.ts) and raised by its environment variable.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { ConfigError, DataError } from '../errors/errors.js';
import type { InputSizeLimit } from './input-limits.js';

const MIB = 1024 * 1024;

export interface InputLimit {
  readonly bytes: number;
  /** "the 32 MiB limit for image files; set MMAE_MAX_IMAGE_MB (in MiB) to raise it" */
  readonly advice: string;
}

/** The limit in force: its environment variable when set, else its default. */
export function inputLimit(limit: InputSizeLimit): InputLimit {
  const { defaultMib, env, files } = limit;
  const raw = process.env[env];
  let mib = defaultMib;
  if (raw !== undefined && raw.trim() !== '') {
    mib = Number(raw);
    if (!(Number.isFinite(mib) && mib > 0)) {
      throw new ConfigError(
        `the environment variable ${env} is '${raw}'; set it to a size in MiB greater than 0 ` +
          `(the default is ${defaultMib}) or unset it.`,
        env,
      );
    }
  }
  return {
    bytes: Math.floor(mib * MIB),
    advice: `the ${mib} MiB limit for ${files}; set ${env} (in MiB) to raise it`,
  };
}

/** "12.3 MiB" or "512 bytes". */
export function formatBytes(bytes: number): string {
  return bytes < MIB ? `${bytes} bytes` : `${(bytes / MIB).toFixed(1)} MiB`;
}

/** Names the file in messages: what it is, its path, and the sample or flag it belongs to. */
export interface InputFileRequest {
  /** The size limit it is read within, declared by the plugin or dataset that reads it. */
  readonly limit: InputSizeLimit;
  /** What the file is, in lower case: 'image file', 'manifest', 'config'. */
  readonly what: string;
  /** The sample, flag or option the file comes from, when it says more than the path. */
  readonly of?: string;
}

/** "Cannot read image file a.png (sample 3): <reason>." — one shape for every refusal. */
function refusal(path: string, request: InputFileRequest, reason: string, cause?: unknown) {
  const of = request.of !== undefined && request.of !== path ? ` (${request.of})` : '';
  return new DataError(
    `Cannot read ${request.what} ${path}${of}: ${reason}.`,
    path,
    cause === undefined ? undefined : { cause },
  );
}

function nodeType(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}

function notRegular(path: string, request: InputFileRequest, info: Stats): DataError {
  const reason = `it is ${nodeType(info)}, not a regular file; give the path of a regular file`;
  return refusal(path, request, reason);
}

function unreadable(path: string, request: InputFileRequest, cause: unknown): DataError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  const why = code === 'ENOENT' ? 'it does not exist' : 'it cannot be opened';
  return refusal(path, request, `${why} (${code}); check the path`, cause);
}

/** The error for a file over its limit; `found` says what was found ("it is 40.0 MiB"). */
export function tooLarge(
  path: string,
  request: InputFileRequest,
  found: string,
  limit: InputLimit,
): DataError {
  return refusal(path, request, `${found}, over ${limit.advice}`);
}

/** An open regular file; `close` it when done. */
export interface InputFile {
  readonly path: string;
  readonly size: number;
  readonly handle: FileHandle;
  close(): Promise<void>;
}

/**
 * Opens `path` for reading after checking that it is a regular file: `stat` first (a FIFO is
 * never opened), then O_NONBLOCK and `fstat` on the descriptor (a FIFO swapped in between
 * neither blocks the open nor is read).
 */
export async function openInputFile(path: string, request: InputFileRequest): Promise<InputFile> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (cause) {
    throw unreadable(path, request, cause);
  }
  if (!info.isFile()) throw notRegular(path, request, info);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    throw unreadable(path, request, cause);
  }
  let opened: Stats;
  try {
    opened = await handle.stat();
  } catch (cause) {
    await handle.close();
    throw unreadable(path, request, cause);
  }
  if (!opened.isFile()) {
    await handle.close();
    throw notRegular(path, request, opened);
  }
  return { path, size: opened.size, handle, close: () => handle.close() };
}

/** Reads `length` bytes at `position` of an open file, fewer at the end of the file. */
export async function readAt(
  handle: FileHandle,
  position: number,
  length: number,
): Promise<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** Reads `length` bytes at `position`, fewer at the end of the file. */
export function readInputRange(
  file: InputFile,
  position: number,
  length: number,
): Promise<Uint8Array> {
  return readAt(file.handle, position, length);
}

/**
 * Reads a whole input file, refusing one over `request.limit`. Reads at most
 * limit + 1 bytes whatever the file does while it is read.
 */
export async function readInputFile(path: string, request: InputFileRequest): Promise<Uint8Array> {
  const limit = inputLimit(request.limit);
  const file = await openInputFile(path, request);
  try {
    if (file.size > limit.bytes) {
      throw tooLarge(path, request, `it is ${formatBytes(file.size)}`, limit);
    }
    let buffer = Buffer.allocUnsafeSlow(file.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > limit.bytes) {
          throw tooLarge(path, request, 'it grew while it was read', limit);
        }
        const grown = Buffer.allocUnsafeSlow(Math.min(2 * buffer.length, limit.bytes + 1));
        buffer.copy(grown, 0, 0, total);
        buffer = grown;
      }
      const { bytesRead } = await file.handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return buffer.subarray(0, total);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw unreadable(path, request, error);
  } finally {
    await file.close();
  }
}
