/**
 * Coherence as in MMVAE (Shi et al., 2019) and MoPoE (Sutter et al., 2021): generate one modality
 * from another (or from the prior), classify the generated samples with a classifier trained on
 * real data, and count how often the predicted class is the class of the input. A model can have
 * excellent reconstructions yet poor coherence when its modalities do not share content.
 */
import { UsageError } from '../../errors/errors.js';

/** Share of generated samples whose predicted class equals the class of the input they came from. */
export function coherence(predicted: ArrayLike<number>, inputLabels: ArrayLike<number>): number {
  if (predicted.length !== inputLabels.length) {
    throw new UsageError(
      `coherence: ${predicted.length} predictions for ${inputLabels.length} input labels; ` +
        'classify exactly one generated sample per input.',
    );
  }
  if (predicted.length === 0)
    throw new UsageError('coherence: no samples; pass at least one prediction.');
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === inputLabels[i]) correct++;
  return correct / predicted.length;
}

/** Coherence per input class, e.g. to show that one class never survives translation. */
export function coherenceByClass(
  predicted: ArrayLike<number>,
  inputLabels: ArrayLike<number>,
): Map<number, number> {
  coherence(predicted, inputLabels);
  const totals = new Map<number, [correct: number, count: number]>();
  for (let i = 0; i < predicted.length; i++) {
    const label = inputLabels[i] as number;
    const entry = totals.get(label) ?? [0, 0];
    entry[0] += predicted[i] === label ? 1 : 0;
    entry[1] += 1;
    totals.set(label, entry);
  }
  return new Map([...totals].sort((a, b) => a[0] - b[0]).map(([l, [c, n]]) => [l, c / n]));
}
