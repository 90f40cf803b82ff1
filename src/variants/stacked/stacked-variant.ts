import type { VariantContribution } from '../contract.js';
import { codeActivation } from '../shared/code-activation.js';
import { deterministicObjective } from '../shared/deterministic-objective.js';
import { greedyLayerwise } from './greedy-layerwise.js';
import { stackedOptionsSchema, type StackedOptions } from './stacked-options.js';

/** The standard objective after greedy layer-wise pre-training of every encoder. */
export const stackedVariant: VariantContribution<StackedOptions> = {
  id: 'stacked',
  description: 'Stacked autoencoder: greedy layer-wise pre-training, then the standard objective',
  optionsSchema: stackedOptionsSchema,
  usesFusion: true,
  createObjective: ({ options }) =>
    deterministicObjective({
      activate: codeActivation(options.codeActivation),
      modalityDropout: options.modalityDropout,
    }),
  trainingPhase: {
    description: 'greedy layer-wise pre-training of each encoder stage',
    run: greedyLayerwise,
  },
};
