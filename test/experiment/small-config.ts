import { parseConfig } from '../../src/config/load-config.js';
import type { RunConfig } from '../../src/config/schema.js';

/** A small MNIST config for tests: 1,000 training images, the seed's MLP, wasm. */
export function smallMnistConfig(
  overrides: {
    variant?: string;
    model?: Record<string, unknown>;
    training?: Record<string, unknown>;
    image?: Record<string, unknown>;
  } = {},
): RunConfig {
  return parseConfig(
    {
      name: 'test-mnist',
      seed: 7,
      backend: 'wasm',
      dataset: { id: 'mnist', options: { trainLimit: 1000, validationSize: 300, testLimit: 300 } },
      modalities: [
        {
          id: 'image',
          options: { hiddenSizes: [64, 32], likelihood: 'gaussian', ...overrides.image },
        },
      ],
      model: { variant: overrides.variant ?? 'standard', latentSize: 8, ...overrides.model },
      training: { epochs: 3, batchSize: 50, ...overrides.training },
    },
    'test config',
  );
}
