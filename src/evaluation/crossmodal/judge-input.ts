/**
 * Features of one modality → the flat float rows its class judge reads. Float features
 * (pixels, log-mel frames) pass through; token ids become a bag of words over the vocabulary,
 * so "a handwritten seven" and "seven, written by hand" look alike to the judge.
 */
import * as tf from '@tensorflow/tfjs';
import type { JointModel } from '../../model/joint-model.js';

export interface JudgeInput {
  /** Per-row width of the judge's input. */
  readonly width: number;
  /**
   * The rows' layout where it is the modality's own feature shape ([h, w, c] pixels, [frames,
   * channels] of audio), so a judge can convolve over it; absent for a bag of words.
   */
  readonly shape?: readonly number[];
  /** Row-major features of n rows → row-major [n, width] floats. */
  toRows(features: Float32Array | Int32Array, n: number): Float32Array;
}

/**
 * The number of ids of a category modality: the width of its decoder's last axis, which is where
 * FeatureSpec.dtype 'int32' declares V to be (a separate count on the spec could disagree).
 */
function vocabularySize(model: JointModel, modality: string): number {
  const shape = tf.tidy(() => model.decode(modality, tf.zeros([1, model.latentSize])).shape);
  return shape[shape.length - 1] as number;
}

/** Reads the modality's own declaration: int32 features are category ids (FeatureSpec.dtype). */
export function judgeInput(model: JointModel, modality: string): JudgeInput {
  const spec = model.part(modality).instance.featureSpec;
  const featureWidth = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.dtype === 'float32') {
    return {
      width: featureWidth,
      shape: spec.shape,
      toRows: (features) => Float32Array.from(features),
    };
  }
  const vocabulary = vocabularySize(model, modality);
  return {
    width: vocabulary,
    toRows(features, n) {
      const out = new Float32Array(n * vocabulary);
      for (let r = 0; r < n; r++) {
        for (let j = 0; j < featureWidth; j++) {
          const id = features[r * featureWidth + j] as number;
          if (id >= 0 && id < vocabulary) out[r * vocabulary + id]! += 1;
        }
      }
      return out;
    },
  };
}
