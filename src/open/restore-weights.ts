/**
 * Sets a built model's weights from a checkpoint's, after checking every name and shape. Apart
 * from run-checkpoint.ts (which also saves, through the file system), so that opening a run from
 * bytes in a browser sets its weights the same way.
 */
import type { JointModel } from '../model/joint-model.js';
import { checkExpectedWeights, type NamedTensor } from '../runs/named-tensors.js';

/** Sets the model's weights from a checkpoint after checking every name and shape. */
export function restoreWeights(
  model: JointModel,
  checkpoint: { readonly weights: readonly NamedTensor[]; readonly runDir: string },
): void {
  const named = model.namedWeights();
  checkExpectedWeights(
    checkpoint.weights,
    named.map((w) => ({ name: w.name, shape: w.variable.read().shape })),
    checkpoint.runDir,
  );
  const byName = new Map(checkpoint.weights.map((w) => [w.name, w.tensor]));
  for (const w of named) w.variable.write(byName.get(w.name)!);
}
