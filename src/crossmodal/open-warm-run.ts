/**
 * Opens a run for cross-modal use. Encoding from a subset of modalities asks each missing
 * modality's projection for its output width (embedAll reads `projection.outputShape`), which
 * tfjs only knows after a symbolic call; a loaded model's projections were only ever applied to
 * concrete tensors. One symbolic call per projection records the shape, so single-modality
 * queries work on a loaded run. (The proper fix belongs in buildJointModel or embedAll.)
 */
import * as tf from '@tensorflow/tfjs';
import { openRun, type OpenedRun, type OpenRunOptions } from '../experiment/open-run.js';

export function warmUp(opened: OpenedRun): void {
  for (const part of opened.model.parts) {
    const width = part.projection.batchInputShape?.[1];
    if (typeof width === 'number') part.projection.apply(tf.input({ shape: [width] }));
  }
}

export async function openCrossModalRun(
  pathOrName: string,
  options: OpenRunOptions = {},
): Promise<OpenedRun> {
  const opened = await openRun(pathOrName, options);
  warmUp(opened);
  return opened;
}
