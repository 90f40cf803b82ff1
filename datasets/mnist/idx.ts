/**
 * Reader for the IDX format used by MNIST: a 4-byte magic (0x00 0x00 type ndims), then ndims
 * big-endian uint32 dimensions, then product(dims) values. Only unsigned bytes (type 0x08) are
 * supported, which is what MNIST and its clones ship. A `.gz` file is inflated transparently.
 */
import { gunzipSync } from 'node:zlib';
import { DataError, declareInputLimit, inputLimit, readInputFile } from 'mmae';

/** IDX files, and their inflated size when gzipped: 256 MiB, or MMAE_MAX_IDX_MB. */
export const IDX_FILE_LIMIT = declareInputLimit({
  name: 'idx',
  defaultMib: 256,
  files: 'IDX files',
});

/** Magic of an IDX file of unsigned bytes with three dimensions: [count, rows, cols] images. */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic of an IDX file of unsigned bytes with one dimension: [count] labels. */
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxArray {
  readonly file: string;
  readonly dims: readonly number[];
  /** The values, a view into the file buffer (no copy). */
  readonly data: Uint8Array;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/** Says what a magic number means, so a swapped or foreign file is recognisable. */
function describeMagic(magic: number): string {
  if (magic >>> 16 !== 0) return 'not an IDX file';
  const type = (magic >>> 8) & 0xff;
  const dims = magic & 0xff;
  const typeName = type === 0x08 ? 'unsigned bytes' : `value type 0x${type.toString(16)}`;
  return `${typeName}, ${dims} dimension${dims === 1 ? '' : 's'}`;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/**
 * Parses IDX bytes already in memory. `file` is only used in error messages.
 * Throws DataError when the magic, the number of dimensions or the byte count is wrong.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedMagic: number): IdxArray {
  const expectedDims = expectedMagic & 0xff;
  const headerSize = 4 + 4 * expectedDims;
  if (bytes.length < 4) {
    throw new DataError(
      `IDX file ${file} is ${bytes.length} bytes long, too short for the 4-byte magic; ` +
        'the file is truncated or not an IDX file.',
      file,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new DataError(
      `IDX file ${file} has magic ${hex(magic)} (${describeMagic(magic)}), expected ` +
        `${hex(expectedMagic)} (${describeMagic(expectedMagic)}); ` +
        'check that the images and labels files are not swapped and the file is not corrupted.',
      file,
    );
  }
  if (bytes.length < headerSize) {
    throw new DataError(
      `IDX file ${file} is ${bytes.length} bytes long, shorter than its ${headerSize}-byte ` +
        'header; the file is truncated, download it again.',
      file,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < expectedDims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const valueCount = dims.reduce((a, b) => a * b, 1);
  const expectedSize = headerSize + valueCount;
  if (bytes.length !== expectedSize) {
    throw new DataError(
      `IDX file ${file} is ${bytes.length} bytes, expected ${expectedSize} ` +
        `(${headerSize}-byte header + ${dims.join('×')} values); the file is ` +
        `${bytes.length < expectedSize ? 'truncated' : 'followed by extra bytes'}, ` +
        'download it again.',
      file,
    );
  }
  return { file, dims, data: bytes.subarray(headerSize, expectedSize) };
}

async function readBytes(file: string): Promise<Uint8Array> {
  const request = { limit: IDX_FILE_LIMIT, what: 'IDX file', of: "the dataset's `dir` option" };
  const raw = await readInputFile(file, request);
  if (!isGzip(raw)) return raw;
  // The inflated size is bounded too: a small .gz can inflate to gigabytes.
  const limit = inputLimit(IDX_FILE_LIMIT);
  try {
    return gunzipSync(raw, { maxOutputLength: limit.bytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DataError(
        `IDX file ${file} inflates to more than ${limit.bytes} bytes, over ${limit.advice}.`,
        file,
        { cause: error },
      );
    }
    throw new DataError(
      `IDX file ${file} looks gzip-compressed but cannot be inflated ` +
        `(${(error as Error).message}); the file is truncated or corrupted, download it again.`,
      file,
      { cause: error },
    );
  }
}

/** Reads an IDX file (plain or gzip) and validates it against `expectedMagic`. */
export async function readIdx(file: string, expectedMagic: number): Promise<IdxArray> {
  return parseIdx(await readBytes(file), file, expectedMagic);
}

/** Reads an images file: dims [count, rows, cols]. */
export function readIdxImages(file: string): Promise<IdxArray> {
  return readIdx(file, IDX_IMAGES_MAGIC);
}

/** Reads a labels file: dims [count]. */
export function readIdxLabels(file: string): Promise<IdxArray> {
  return readIdx(file, IDX_LABELS_MAGIC);
}
