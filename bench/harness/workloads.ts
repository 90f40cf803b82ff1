/**
 * The benchmark workloads as declarative records: how to start our side and the PyTorch
 * reference, and which metrics go in the table. Adding a workload adds a record here.
 */
export interface RunOptions {
  readonly quick: boolean;
  readonly epochs: number;
  /** Train on the first N images only (0 = all): a smoke test of the harness. */
  readonly limit: number;
  /** W1's lever set (`--w1-variant`; bench/workloads/w1-variants.ts); the script's default if absent. */
  readonly w1Variant?: string;
  /**
   * Our side's tfjs backend (`--backend tensorflow|wasm|cpu`), handed to each script's own
   * `--backend`; absent: each script's default, wasm. tensorflow needs tfjs-node installed
   * (scripts/stage-tfjs-node.sh where it cannot download). The PyTorch side is unchanged.
   */
  readonly backend?: string;
}

/** `--backend NAME` for our side's script when the harness was given one. */
const backendArgs = (o: RunOptions): readonly string[] =>
  o.backend === undefined ? [] : ['--backend', o.backend];

export interface MetricSpec {
  readonly key: string;
  readonly label: string;
  /** Decimal places in the table. */
  readonly digits: number;
  /** Which way is better (default 'lower': times, losses, latencies). */
  readonly better?: 'lower' | 'higher';
  /** The wall-time and CPU-time figures: the wall one picks PyTorch's fastest setting, and both
   *  give ours at N threads against ours at 1 thread. */
  readonly role?: 'wall' | 'cpu';
}

export interface WorkloadSpec {
  readonly id: string;
  readonly title: string;
  /** Script and arguments for our side, run with tsx; absent while only the reference exists. */
  readonly ours?: (o: RunOptions) => readonly string[];
  /** Python script and arguments for the PyTorch reference. */
  readonly reference?: (o: RunOptions) => readonly string[];
  readonly metrics: (o: RunOptions) => readonly MetricSpec[];
  /** Repetitions cap: W4's 1M build takes minutes, one run is enough. */
  readonly maxReps?: number;
}

const W4_SIZES = (o: RunOptions): number[] =>
  o.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];

/** A training workload's command line: the script, then the epochs and the row limit. */
const trainingArgs =
  (script: string) =>
  (o: RunOptions): readonly string[] => [
    script,
    '--epochs',
    String(o.epochs),
    '--limit',
    String(o.limit),
  ];

/** Our side's command line: the training arguments and the harness's `--backend`, if any. */
const oursArgs =
  (script: string) =>
  (o: RunOptions): readonly string[] => [...trainingArgs(script)(o), ...backendArgs(o)];

const EPOCH_TIMES: readonly MetricSpec[] = [
  { key: 'secondsPerEpoch', label: 'seconds per epoch (wall)', digits: 2, role: 'wall' },
  { key: 'cpuSecondsPerEpoch', label: 'CPU seconds per epoch', digits: 2, role: 'cpu' },
];

export const WORKLOADS: readonly WorkloadSpec[] = [
  {
    id: 'W1',
    title: 'standard autoencoder 784-128-64-32-16, MNIST train, batch 64, Adam 1e-3',
    ours: (o) => [
      ...oursArgs('bench/workloads/w1-standard-ae.ts')(o),
      ...(o.w1Variant ? ['--variant', o.w1Variant] : []),
    ],
    reference: trainingArgs('bench/reference/w1_standard_ae.py'),
    metrics: () => [...EPOCH_TIMES, { key: 'testMse', label: 'test MSE', digits: 5 }],
  },
  {
    id: 'W2',
    title: 'PoE image-text VAE (MVAE) on MNIST-captions, batch 128, Adam 1e-3',
    maxReps: 1,
    ours: oursArgs('bench/workloads/w2-poe-vae.ts'),
    reference: trainingArgs('bench/reference/w2_poe_vae.py'),
    metrics: () => [
      ...EPOCH_TIMES,
      { key: 'testNegElbo', label: 'test joint −ELBO (nats/sample)', digits: 2 },
    ],
  },
  {
    id: 'W5',
    title:
      'conv VAE (conv 32-64 stride 2, dense 256, latent 16) on 55k MNIST, batch 128, Adam 1e-3',
    ours: oursArgs('bench/workloads/w5-conv-vae.ts'),
    reference: trainingArgs('bench/reference/w5_conv_vae.py'),
    metrics: () => [
      ...EPOCH_TIMES,
      { key: 'testNegElbo', label: 'test −ELBO (nats/image)', digits: 2 },
    ],
  },
  {
    id: 'W6',
    title:
      'RGB conv VAE 64×64 (conv 32-64-128, dense 256, latent 32) on 5k seeded shapes, batch 64',
    ours: oursArgs('bench/workloads/w6-conv-vae-rgb.ts'),
    reference: trainingArgs('bench/reference/w6_conv_vae_rgb.py'),
    metrics: () => [
      ...EPOCH_TIMES,
      { key: 'testNegElbo', label: 'test −ELBO (nats/image)', digits: 1 },
    ],
  },
  {
    id: 'W3',
    title: 'encode the 10k MNIST test images with the W1 encoder',
    ours: (o) => ['bench/workloads/w3-encode.ts', ...backendArgs(o)],
    reference: () => ['bench/reference/w3_encode.py'],
    metrics: () => [
      {
        key: 'samplesPerSecond',
        label: 'samples per second (wall)',
        digits: 0,
        better: 'higher',
        role: 'wall',
      },
      {
        key: 'samplesPerCpuSecond',
        label: 'samples per CPU second',
        digits: 0,
        better: 'higher',
        role: 'cpu',
      },
    ],
  },
  {
    id: 'W4',
    title: 'top-10 query latency over random 32-d latents (euclidean), 200 single queries',
    ours: (o) => ['bench/workloads/w4-search.ts', '--sizes', W4_SIZES(o).join(',')],
    maxReps: 1,
    metrics: (o) =>
      W4_SIZES(o).flatMap((n) => [
        { key: `exactAuto_${n}_p50Ms`, label: `exact ${n}: p50 ms`, digits: 3 },
        { key: `exactAuto_${n}_p99Ms`, label: `exact ${n}: p99 ms`, digits: 3 },
        {
          key: `exactAuto_${n}_batch100MsPerQuery`,
          label: `exact ${n}: ms/query in batches of 100`,
          digits: 3,
        },
        { key: `hnsw_${n}_p50Ms`, label: `HNSW ${n}: p50 ms`, digits: 3 },
        { key: `hnsw_${n}_p99Ms`, label: `HNSW ${n}: p99 ms`, digits: 3 },
        { key: `hnsw_${n}_recallAt10`, label: `HNSW ${n}: recall@10`, digits: 3 },
        { key: `hnsw_${n}_efSearch`, label: `HNSW ${n}: efSearch used`, digits: 0 },
        { key: `hnsw_${n}_buildSeconds`, label: `HNSW ${n}: build seconds`, digits: 1 },
      ]),
  },
];
