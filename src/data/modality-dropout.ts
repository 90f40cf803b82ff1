/**
 * Modality dropout: hide some of a sample's modalities from the encoders so the model learns to
 * infer them from the others. A sample always keeps at least one modality; samples with a single
 * modality are never touched.
 */
import { SeededRandom } from '../random/seeded-random.js';
import { ConfigError } from '../errors/errors.js';

export interface ModalityDropoutOptions {
  /** Share of samples (0..1) that lose at least one of their modalities. */
  readonly share: number;
  readonly seed: number;
}

/**
 * Given per-modality presence (1/0 per sample), returns new presence masks where a `share` of
 * the samples with two or more modalities keep a random non-empty proper subset of them.
 */
export function modalityDropout(
  presence: Readonly<Record<string, ArrayLike<number>>>,
  options: ModalityDropoutOptions,
): Record<string, Float32Array> {
  if (!(options.share >= 0 && options.share <= 1)) {
    throw new ConfigError(
      `modality dropout share must be in [0, 1], got ${options.share}.`,
      'modalityDropout',
    );
  }
  const names = Object.keys(presence);
  const size = names.length === 0 ? 0 : (presence[names[0] as string] as ArrayLike<number>).length;
  const masks: Record<string, Float32Array> = {};
  for (const name of names) {
    const source = presence[name] as ArrayLike<number>;
    if (source.length !== size) {
      throw new RangeError(
        `presence of '${name}' has ${source.length} entries, expected ${size} like the others`,
      );
    }
    masks[name] = Float32Array.from(source, (v) => (v > 0 ? 1 : 0));
  }
  const random = new SeededRandom(options.seed);
  for (let i = 0; i < size; i++) {
    const present = names.filter((name) => (masks[name] as Float32Array)[i] === 1);
    // The same draws happen whatever the outcome, so raising `share` drops more samples but
    // never changes which subset a dropped sample keeps.
    const drop = random.next() < options.share;
    const keepCount = 1 + random.int(Math.max(1, present.length - 1));
    random.shuffle(present);
    if (!drop || present.length < 2) continue;
    for (const name of present.slice(keepCount)) (masks[name] as Float32Array)[i] = 0;
  }
  return masks;
}
