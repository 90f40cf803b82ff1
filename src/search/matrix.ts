/**
 * Turns the shapes callers hold (arrays of rows, flat Float32Arrays, 2-D tensors) into one
 * validated row-major matrix, so the indexes check dims and finiteness in a single place.
 */
import type * as tf from '@tensorflow/tfjs';
import { UsageError } from '../errors/errors.js';
import type { Matrix, VectorRows } from './types.js';

function isTensor(value: unknown): value is tf.Tensor {
  return typeof value === 'object' && value !== null && 'dataSync' in value && 'shape' in value;
}

/**
 * @param what names the argument in error messages ('gallery', 'queries').
 * @param dims required for a flat Float32Array; checked against rows/tensor width otherwise.
 */
export function toMatrix(what: string, value: VectorRows | tf.Tensor, dims?: number): Matrix {
  if (isTensor(value)) {
    if (value.rank !== 2) {
      throw new UsageError(
        `${what}: expected a 2-D tensor [n, dims], got shape [${value.shape.join(', ')}].`,
      );
    }
    const [rows, cols] = value.shape as [number, number];
    checkDims(what, cols, dims);
    return checkFinite(what, { data: Float32Array.from(value.dataSync()), rows, dims: cols });
  }
  if (value instanceof Float32Array) {
    if (dims === undefined || !Number.isInteger(dims) || dims < 1) {
      throw new UsageError(
        `${what}: a flat Float32Array needs dims (a positive integer), got ${String(dims)}.`,
      );
    }
    if (value.length % dims !== 0) {
      throw new UsageError(
        `${what}: length ${value.length} is not a multiple of dims ${dims}; pass whole rows.`,
      );
    }
    return checkFinite(what, { data: value, rows: value.length / dims, dims });
  }
  if (!Array.isArray(value)) {
    throw new UsageError(`${what}: expected an array of rows, a Float32Array or a 2-D tensor.`);
  }
  const rows = value.length;
  const width = rows > 0 ? (value[0] as readonly number[]).length : (dims ?? 0);
  checkDims(what, width, dims);
  const data = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const row = value[r] as readonly number[];
    if (row.length !== width) {
      throw new UsageError(
        `${what}: row ${r} has ${row.length} values, row 0 has ${width}; all rows need the same dims.`,
      );
    }
    data.set(row, r * width);
  }
  return checkFinite(what, { data, rows, dims: width });
}

function checkDims(what: string, actual: number, expected: number | undefined): void {
  if (expected !== undefined && actual !== expected) {
    throw new UsageError(
      `${what}: dimension mismatch, vectors have ${actual} dims but the index has ${expected}.`,
    );
  }
}

function checkFinite(what: string, m: Matrix): Matrix {
  const { data, dims } = m;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new UsageError(
        `${what}: row ${Math.floor(i / dims)}, column ${i % dims} is ${data[i]}; vectors must be finite.`,
      );
    }
  }
  return m;
}

/** Scales each row to unit length in place; zero rows stay zero (cosine distance 1 to all). */
export function normalizeRows(m: Matrix): Matrix {
  const { data, rows, dims } = m;
  for (let r = 0; r < rows; r++) {
    const o = r * dims;
    let s = 0;
    for (let j = 0; j < dims; j++) s += (data[o + j] as number) ** 2;
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dims; j++) data[o + j] = (data[o + j] as number) * inv;
  }
  return m;
}

/** Squared L2 norm of each row. */
export function rowSquaredNorms(m: Matrix): Float32Array {
  const { data, rows, dims } = m;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * dims;
    let s = 0;
    for (let j = 0; j < dims; j++) s += (data[o + j] as number) ** 2;
    out[r] = s;
  }
  return out;
}
