/**
 * When 'auto' takes TensorFlow's CPU backend (@tensorflow/tfjs-node) over wasm: a table keyed by
 * what the model runs (dense layers only, or convolutions too) and whether mmae's native kernels
 * are loaded, each row with the measurement behind it. An explicit request (`backend:` in a
 * config, `--backend`, MMAE_BACKEND) never consults it, and @tensorflow/tfjs-node-gpu is not
 * ruled by it: a GPU could not be measured here, so an installed GPU package keeps first place.
 *
 * Measured on the project's 2-core machine, shared with other work (load average 1.7–6.6 during
 * the runs, so wall times scatter; CPU seconds scatter less), tfjs-node 4.22.0 built against
 * TensorFlow 2.21's C library (scripts/stage-tfjs-node.sh) against wasm with mmae's native
 * kernels on 2 threads; medians of 3–5 alternating one-epoch runs, wall seconds (CPU seconds):
 *   W1, MLP autoencoder, 60k MNIST, batch 64:    wasm 1.19 (1.42)   tensorflow 8.23 (8.03)
 *   W2, MVAE image–text via trainJob, 10k pairs: wasm 1.54 (1.62)   tensorflow 3.49 (3.57)
 *   W5, conv VAE via trainJob, 10k MNIST:        wasm 14.2 (15.1)   tensorflow 16.4 (15.7)
 * and with the native kernels off (MMAE_NATIVE_KERNELS=0), wasm alone, 1–2 runs:
 *   W2: wasm 15.1–18.6 (7.4–8.6) against tensorflow 3.49 (3.57)
 *   W5: wasm 102 (79) against tensorflow 16.4 (15.7)
 *   W1 (hand-written loop, tfjs Adam fused): wasm 12.4 (5.5) against tensorflow 11.8 (9.9)
 * So with native kernels wasm wins or ties for both kinds, and without them tensorflow wins for
 * both (W2 is mmae's own training path; W1's loop is a benchmark's). tfjs-node's cost is per op
 * (each eager op crosses N-API into TensorFlow's executor), so small dense steps lose most;
 * convolutions carry enough work per op for it to tie. Medians and runs: BENCHMARKS.md.
 */

/** What a model's training step runs, as far as the backend choice cares. */
export type ModelKind = 'dense' | 'conv';

export interface AutoRuleRow {
  readonly model: ModelKind;
  readonly nativeKernels: boolean;
  /** Whether 'auto' takes tensorflow (tfjs-node, CPU) over wasm for such a model. */
  readonly tensorflow: boolean;
  /** The measurement behind the row, in words for `mmae doctor`. */
  readonly measured: string;
}

export const TENSORFLOW_CPU_RULE: readonly AutoRuleRow[] = [
  {
    model: 'dense',
    nativeKernels: true,
    tensorflow: false,
    measured:
      'wasm with native kernels trains dense models 2.3–6.9× faster (W1 epoch 1.19 s vs 8.23 s, ' +
      'W2 1.54 s vs 3.49 s; BENCHMARKS.md)',
  },
  {
    model: 'conv',
    nativeKernels: true,
    tensorflow: false,
    measured:
      'wasm with native conv kernels trains conv models as fast or faster (W5 on 10k images: ' +
      '14.2 s vs 16.4 s per epoch, CPU 15.1 s vs 15.7 s; BENCHMARKS.md)',
  },
  {
    model: 'dense',
    nativeKernels: false,
    tensorflow: true,
    measured:
      'without native kernels tensorflow trains dense models faster through mmae (W2 epoch ' +
      '3.49 s vs 15.1–18.6 s on wasm alone; BENCHMARKS.md)',
  },
  {
    model: 'conv',
    nativeKernels: false,
    tensorflow: true,
    measured:
      'without native kernels wasm runs convolutions on one core through XNNPACK: W5 on 10k ' +
      'images 102 s vs 16.4 s per epoch on tensorflow (BENCHMARKS.md)',
  },
];

export interface AutoVerdict {
  readonly tensorflow: boolean;
  /** "for a dense model with native kernels loaded: wasm … (measured …)". */
  readonly why: string;
}

/** The row for this model (unset: taken as dense, and said so) and native-kernel state. */
export function tensorflowCpuVerdict(
  model: ModelKind | undefined,
  nativeKernels: boolean,
): AutoVerdict {
  const kind = model ?? 'dense';
  const row = TENSORFLOW_CPU_RULE.find(
    (r) => r.model === kind && r.nativeKernels === nativeKernels,
  );
  if (row === undefined) throw new Error(`no auto rule for ${kind}, native ${nativeKernels}`);
  const what =
    model === undefined ? 'a model not described to selection (taken as dense)' : `a ${kind} model`;
  const native = nativeKernels ? 'native kernels loaded' : 'native kernels off';
  return { tensorflow: row.tensorflow, why: `for ${what} with ${native}: ${row.measured}` };
}
