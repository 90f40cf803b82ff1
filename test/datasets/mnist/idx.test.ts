import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/errors/errors.js';
import {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  parseIdx,
  readIdxImages,
  readIdxLabels,
} from '../../../datasets/mnist/idx.js';

function idxBytes(magic: number, dims: number[], values: number[]): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(values)]);
}

const dir = mkdtempSync(join(tmpdir(), 'mmae-idx-'));
const images = idxBytes(IDX_IMAGES_MAGIC, [2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

function catchError(action: () => unknown): DataError {
  try {
    action();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('IDX reader', () => {
  it('reads dims big-endian and exposes the values as a view without copying', () => {
    const parsed = parseIdx(images, 'images.idx', IDX_IMAGES_MAGIC);
    expect(parsed.dims).toEqual([2, 2, 3]);
    expect([...parsed.data]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(parsed.data.buffer).toBe(images.buffer);
  });

  it('reads plain and gzip-compressed files alike', async () => {
    writeFileSync(join(dir, 'labels'), idxBytes(IDX_LABELS_MAGIC, [3], [7, 2, 1]));
    writeFileSync(join(dir, 'labels.gz'), gzipSync(idxBytes(IDX_LABELS_MAGIC, [3], [7, 2, 1])));
    const plain = await readIdxLabels(join(dir, 'labels'));
    const gz = await readIdxLabels(join(dir, 'labels.gz'));
    expect([...plain.data]).toEqual([7, 2, 1]);
    expect([...gz.data]).toEqual([7, 2, 1]);
  });

  it('rejects a labels file read as images, naming the file and both magics', () => {
    const labels = idxBytes(IDX_LABELS_MAGIC, [3], [1, 2, 3]);
    const error = catchError(() => parseIdx(labels, 'train-labels', IDX_IMAGES_MAGIC));
    expect(error.message).toContain('train-labels');
    expect(error.message).toContain('0x00000801');
    expect(error.message).toContain('0x00000803');
    expect(error.message).toContain('1 dimension');
    expect(error.file).toBe('train-labels');
  });

  it('rejects a file that is not IDX at all', () => {
    const error = catchError(() =>
      parseIdx(Buffer.from('PK\u0003\u0004 not idx'), 'x.zip', IDX_IMAGES_MAGIC),
    );
    expect(error.message).toContain('not an IDX file');
  });

  it('rejects a truncated body with expected and found byte counts', () => {
    const error = catchError(() =>
      parseIdx(images.subarray(0, images.length - 5), 'short.idx', IDX_IMAGES_MAGIC),
    );
    expect(error.message).toContain(`is ${images.length - 5} bytes, expected ${images.length}`);
    expect(error.message).toContain('truncated');
  });

  it('rejects a file truncated inside its header', () => {
    const error = catchError(() => parseIdx(images.subarray(0, 9), 'h.idx', IDX_IMAGES_MAGIC));
    expect(error.message).toContain('shorter than its 16-byte header');
    expect(
      catchError(() => parseIdx(images.subarray(0, 2), 'h.idx', IDX_IMAGES_MAGIC)),
    ).toBeInstanceOf(DataError);
  });

  it('rejects trailing bytes after the declared values', () => {
    const padded = Buffer.concat([images, Buffer.from([0, 0])]);
    const error = catchError(() => parseIdx(padded, 'long.idx', IDX_IMAGES_MAGIC));
    expect(error.message).toContain('extra bytes');
  });

  it('reports a missing file and a corrupt gzip as DataErrors', async () => {
    await expect(readIdxImages(join(dir, 'absent'))).rejects.toThrow(
      /Cannot read IDX file .*absent.*ENOENT/,
    );
    const gz = gzipSync(images);
    writeFileSync(join(dir, 'broken.gz'), gz.subarray(0, gz.length - 8));
    await expect(readIdxImages(join(dir, 'broken.gz'))).rejects.toBeInstanceOf(DataError);
  });
});
