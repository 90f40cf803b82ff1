/**
 * Reusable host arrays for batch features. The cpu backend keeps the array handed to
 * `tf.tensor` as the tensor's storage (no copy), so an array may only be refilled once every
 * tensor reading it is gone; `release` checks that with the backend's reference count and
 * abandons the array to the garbage collector when a view (e.g. a reshape) still holds it.
 */
import * as tf from '@tensorflow/tfjs';

export type FeatureArray = Float32Array | Int32Array;

export class BatchBufferPool {
  private readonly free: FeatureArray[] = [];

  constructor(
    private readonly dtype: 'float32' | 'int32',
    /** Values in a full batch: batchSize × row length. */
    private readonly capacity: number,
  ) {}

  /** An array of `length` ≤ capacity values (a view of a pooled array; contents undefined). */
  acquire(length: number): FeatureArray {
    const buffer =
      this.free.pop() ??
      (this.dtype === 'int32' ? new Int32Array(this.capacity) : new Float32Array(this.capacity));
    return length === this.capacity ? buffer : buffer.subarray(0, length);
  }

  /** Returns an array for reuse; `tensor` is the disposed tensor that was built on it, if any. */
  release(array: FeatureArray, tensor?: tf.Tensor): void {
    if (tensor !== undefined && tf.engine().backend.refCount(tensor.dataId) > 0) return;
    const whole =
      array.length === this.capacity
        ? array
        : this.dtype === 'int32'
          ? new Int32Array(array.buffer, 0, this.capacity)
          : new Float32Array(array.buffer, 0, this.capacity);
    this.free.push(whole);
  }

  /** Arrays waiting for reuse (for tests of bounded memory). */
  get pooled(): number {
    return this.free.length;
  }
}
