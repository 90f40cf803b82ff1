/**
 * Reads one file of a saved index without trusting it: the final path component must be a
 * regular file (a symbolic link is refused, not followed), and its size must lie within bounds
 * the caller derives from what it already knows, checked before a single byte is allocated. So a
 * forged `count: 1e9` or a 10 GB payload is refused by size, never read into memory.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { readAt } from '../data/input-file.js';
import { RunError } from '../errors/errors.js';

export interface ReadBounds {
  readonly minBytes?: number;
  readonly maxBytes: number;
  /** Names the file's role for messages, e.g. "the index metadata". */
  readonly what: string;
  /** Says why the bound is what it is, e.g. "for 200 rows × 8 dims". */
  readonly why?: string;
}

/** The file's bytes, or undefined when it does not exist; any other problem is a RunError. */
export async function readBoundedFile(
  path: string,
  bounds: ReadBounds,
): Promise<Buffer | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ENOENT') return undefined;
    const why =
      code === 'ELOOP'
        ? 'it is a symbolic link, and an index only holds plain files'
        : `it cannot be opened (${String(code ?? cause)})`;
    throw new RunError(`${path}: refusing ${bounds.what}: ${why}. Rebuild the index.`, path, {
      cause,
    });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new RunError(`${path}: ${bounds.what} is not a regular file; rebuild the index.`, path);
    }
    const min = bounds.minBytes ?? 0;
    const why = bounds.why === undefined ? '' : ` ${bounds.why}`;
    if (stat.size > bounds.maxBytes || stat.size < min) {
      const range = min === bounds.maxBytes ? `${min}` : `${min}–${bounds.maxBytes}`;
      throw new RunError(
        `${path}: ${bounds.what} holds ${stat.size} bytes, expected ${range}${why}; the index ` +
          'is damaged or was forged. Rebuild the index.',
        path,
      );
    }
    return await readExactly(handle, stat.size, path, bounds.what);
  } finally {
    await handle.close();
  }
}

/** Up to `bytes` leading bytes of a regular file (no link followed), or undefined when absent. */
export async function readFileHead(path: string, bytes: number): Promise<Buffer | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ENOENT') return undefined;
    return Buffer.alloc(0);
  }
  try {
    if (!(await handle.stat()).isFile()) return Buffer.alloc(0);
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Reads `size` bytes; a file that shrinks or grows meanwhile is refused, not half-read. */
async function readExactly(
  handle: FileHandle,
  size: number,
  path: string,
  what: string,
): Promise<Buffer> {
  const bytes = await readAt(handle, 0, size);
  const probe = await readAt(handle, size, 1);
  if (bytes.length !== size || probe.length !== 0) {
    throw new RunError(
      `${path}: ${what} changed size while being read; something else is writing it. Run ` +
        'again when it has finished.',
      path,
    );
  }
  return bytes;
}
