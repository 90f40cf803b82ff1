/**
 * A variant with its options parsed, as the joint model holds it: the objective made once, and
 * the training phase and report section closed over the same options, so the callers (train,
 * eval) ask the model for them without knowing which variant it is.
 */
import type { ModelConfig } from '../config/schema.js';
import type { Objective, TrainingPhaseArgs, VariantContribution } from './contract.js';

export type PhaseRun = (
  args: Omit<TrainingPhaseArgs<unknown>, 'model' | 'options'>,
) => Promise<void>;

export interface BoundVariant {
  readonly id: string;
  readonly usesFusion: boolean;
  /** The variant's own options after its schema's defaults. */
  readonly options: unknown;
  readonly objective: Objective;
  /** The phase to run before the main training, when the variant has one. */
  readonly trainingPhase?: PhaseRun;
  /** The variant's section of eval/report.json from the test codes, keyed by section. */
  readonly report?: (
    codes: Float32Array,
    latentSize: number,
  ) => Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export function bindVariant<Options>(
  variant: VariantContribution<Options>,
  model: ModelConfig,
  options: Options,
): BoundVariant {
  const { trainingPhase, report } = variant;
  return {
    id: variant.id,
    usesFusion: variant.usesFusion,
    options,
    objective: variant.createObjective({ model, options }),
    ...(trainingPhase
      ? { trainingPhase: (args) => trainingPhase.run({ ...args, model, options }) }
      : {}),
    ...(report
      ? {
          report: (codes, latentSize) => ({
            [report.key]: report.measure({ codes, latentSize, options }),
          }),
        }
      : {}),
  };
}
