/** Pre-training phases by variant: only stacked autoencoders have one. */
import type { Variant } from '../config/schema.js';
import { greedyLayerwise, type PretrainArgs } from './greedy-layerwise.js';

const phases: Partial<Record<Variant, (args: PretrainArgs) => Promise<void>>> = {
  stacked: greedyLayerwise,
};

export function pretrainingFor(
  variant: Variant,
): ((args: PretrainArgs) => Promise<void>) | undefined {
  return phases[variant];
}
