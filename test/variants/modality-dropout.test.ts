/**
 * Modality dropout, the one the deterministic and variational variants train with (these
 * assertions moved here with it from the host-side copy that only a test used).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropModalities } from '../../src/variants/shared/modality-dropout.js';
import { useBackend } from '../support/backend.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const size = 2000;
const presence = {
  image: new Float32Array(size).fill(1),
  text: Float32Array.from({ length: size }, (_, i) => (i % 2 === 0 ? 1 : 0)),
  audio: Float32Array.from({ length: size }, (_, i) => (i % 3 === 0 ? 0 : 1)),
};
const names = ['image', 'text', 'audio'] as const;

function dropped(rate: number, seed: number): Float32Array[] {
  return tf.tidy(() =>
    dropModalities(
      names.map((m) => tf.tensor1d(presence[m])),
      rate,
      seed,
    ).map((mask) => mask.dataSync() as Float32Array),
  );
}

describe('dropModalities', () => {
  it('keeps one modality of about the asked share of samples, never adds one', () => {
    const masks = dropped(0.5, 11);
    let droppedSamples = 0;
    let eligible = 0;
    for (let i = 0; i < size; i++) {
      const before = names.reduce((n, m) => n + presence[m][i]!, 0);
      const after = masks.reduce((n, mask) => n + mask[i]!, 0);
      expect(after).toBeGreaterThanOrEqual(1);
      names.forEach((m, k) => expect(masks[k]![i]!).toBeLessThanOrEqual(presence[m][i]!));
      if (before >= 2) eligible++;
      if (after < before) {
        droppedSamples++;
        // A dropped sample is encoded from exactly one of the modalities it carries.
        expect(after).toBe(1);
      }
    }
    expect(droppedSamples / eligible).toBeGreaterThan(0.45);
    expect(droppedSamples / eligible).toBeLessThan(0.55);
  });

  it('is deterministic for a seed, changes nothing at share 0, and refuses a share past 1', () => {
    expect(dropped(0.3, 2)).toEqual(dropped(0.3, 2));
    expect(dropped(0.3, 2)).not.toEqual(dropped(0.3, 3));
    expect(dropped(0, 2)).toEqual(names.map((m) => presence[m]));
    expect(() => dropped(1.5, 2)).toThrow(/share/);
  });

  it('leaves a single-modality model alone', () => {
    const only = tf.tidy(() =>
      dropModalities([tf.ones([4])], 1, 5).map((m) => Array.from(m.dataSync())),
    );
    expect(only).toEqual([[1, 1, 1, 1]]);
  });
});
