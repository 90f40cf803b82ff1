/**
 * The configs the training page ships: small enough to train in a tab in seconds to minutes, on
 * MNIST with captions (`mnist-captions`), so `mmae eval` reads the same dataset's test split from
 * Node's MNIST when it opens the saved run. The build (web/build.ts) writes each one's training
 * and validation samples into a file the page fetches (web/train-data.ts); the page parses the
 * config here with parseConfig, exactly as `mmae train` parses a YAML file.
 */

export interface PageConfig {
  /** The file under train-data/ and the page's ?config= value. */
  readonly id: string;
  readonly title: string;
  /** The config as a YAML file would hold it, parsed by parseConfig. */
  readonly config: Readonly<Record<string, unknown>>;
}

export const PAGE_CONFIGS: readonly PageConfig[] = [
  {
    id: 'mnist-captions-tiny',
    title: 'tiny MVAE: 600 MNIST pairs, 2 epochs (seconds)',
    config: {
      name: 'page-mnist-captions-tiny',
      seed: 3,
      dataset: {
        id: 'mnist-captions',
        options: { trainLimit: 600, validationSize: 100, testLimit: 1000 },
      },
      modalities: [
        { id: 'image', options: { hiddenSizes: [64, 32], likelihood: 'bernoulli' } },
        { id: 'text', options: { maxLength: 8, embeddingSize: 32, hiddenSize: 32 } },
      ],
      model: { variant: 'poe', latentSize: 8 },
      training: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', learningRate: 0.003 } },
    },
  },
  {
    id: 'mnist-captions-5k',
    title: 'MVAE of configs/mnist-image-text-poe.yaml: 5,000 pairs, 6 epochs (minutes)',
    config: {
      name: 'page-mnist-captions-5k',
      seed: 42,
      dataset: {
        id: 'mnist-captions',
        options: { trainLimit: 5000, validationSize: 500 },
      },
      modalities: [
        {
          id: 'image',
          options: { encoder: 'dense', hiddenSizes: [256, 128], likelihood: 'bernoulli' },
        },
        { id: 'text', options: { encoder: 'mean', maxLength: 8, embeddingSize: 64 }, weight: 20 },
      ],
      model: { variant: 'poe', latentSize: 16, beta: 1, klAnnealEpochs: 2 },
      training: {
        epochs: 6,
        batchSize: 128,
        optimizer: { name: 'adam', learningRate: 0.001 },
        clipNorm: 100,
      },
    },
  },
];
