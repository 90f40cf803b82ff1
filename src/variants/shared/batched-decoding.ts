/**
 * Batched decoding: the reconstruction losses of several codes of one batch at once. The objectives that decode a batch
 * from many codes (MoPoE: one per subset, MMVAE: one per expert and importance sample, MVAE: the
 * joint and each unimodal posterior) stack the codes along the batch axis, so every decoder runs
 * once on [S·b] rows instead of S times on [b]. The values are those of S calls of
 * `JointModel.reconstruct`; the gain is in kernel launches, which on wasm cost ~10 µs each
 * whatever their size (a tri-modal MoPoE step launched ~320 matrix products through 21 decoder
 * passes).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModalityBatch } from '../../data/contract.js';
import type { ObjectiveModel } from '../contract.js';

export interface CodeReconstruction {
  /** Per-modality batch means of the unweighted loss. */
  readonly perModality: Record<string, tf.Scalar>;
  /** Weighted per-sample total [b]. */
  readonly perSample: tf.Tensor1D;
  /** Each reconstructed modality's unweighted per-sample loss [b]. */
  readonly losses: Readonly<Record<string, tf.Tensor1D>>;
}

/** Whether code `code` (its index) reconstructs modality `name`. */
export type DecodesModality = (code: number, name: string) => boolean;

export function reconstructEach(
  model: ObjectiveModel,
  codes: readonly tf.Tensor2D[],
  targets: Readonly<Record<string, ModalityBatch>>,
  decodes?: DecodesModality,
): CodeReconstruction[] {
  if (decodes) return reconstructSelected(model, codes, targets, decodes);
  const rows = codes[0]!.shape[0];
  if (codes.length === 1)
    return [weigh(model, model.reconstructionLosses(codes[0]!, targets), rows)];
  const repeat = <T extends tf.Tensor>(t: T): T =>
    tf.concat(
      codes.map(() => t),
      0,
    ) as T;
  const stackedTargets: Record<string, ModalityBatch> = {};
  for (const [name, target] of Object.entries(targets)) {
    stackedTargets[name] = { features: repeat(target.features), present: repeat(target.present) };
  }
  const losses = model.reconstructionLosses(tf.concat([...codes], 0), stackedTargets);
  const pieces = Object.entries(losses).map(
    ([name, loss]) => [name, tf.split(loss, codes.length, 0) as tf.Tensor1D[]] as const,
  );
  return codes.map((_, s) =>
    weigh(model, Object.fromEntries(pieces.map(([name, parts]) => [name, parts[s]!])), rows),
  );
}

function weigh(
  model: ObjectiveModel,
  losses: Record<string, tf.Tensor1D>,
  rows: number,
): CodeReconstruction {
  return { ...model.weighReconstruction(losses, rows), losses };
}

/**
 * As reconstructEach, but code s reconstructs only the modalities `decodes(s, name)` allows: each
 * decoder still runs once, on the stack of the codes that reconstruct its modality.
 */
function reconstructSelected(
  model: ObjectiveModel,
  codes: readonly tf.Tensor2D[],
  targets: Readonly<Record<string, ModalityBatch>>,
  decodes: DecodesModality,
): CodeReconstruction[] {
  const rows = codes[0]!.shape[0];
  const perCode: Record<string, tf.Tensor1D>[] = codes.map(() => ({}));
  for (const [name, target] of Object.entries(targets)) {
    const which = codes.map((_, s) => s).filter((s) => decodes(s, name));
    if (which.length === 0) continue;
    const stack = <T extends tf.Tensor>(t: T): T =>
      (which.length === 1
        ? t
        : tf.concat(
            which.map(() => t),
            0,
          )) as T;
    const z =
      which.length === 1
        ? codes[which[0]!]!
        : tf.concat(
            which.map((s) => codes[s]!),
            0,
          );
    const stacked = { features: stack(target.features), present: stack(target.present) };
    const loss = model.reconstructionLosses(z as tf.Tensor2D, { [name]: stacked })[name];
    if (!loss) continue;
    const parts = which.length === 1 ? [loss] : (tf.split(loss, which.length, 0) as tf.Tensor1D[]);
    which.forEach((s, i) => (perCode[s]![name] = parts[i]!));
  }
  return perCode.map((losses) => weigh(model, losses, rows));
}
