import { z } from 'zod';

/** Far beyond any real run; a larger count is a damaged or hand-edited file. */
const MAX_COUNT = 1e12;
const count = z.number().int().nonnegative().max(MAX_COUNT);

/**
 * The schema of a saved TrainerState (optimizer.json's `trainerState`). Validated on every load,
 * so a checkpoint saying epoch −3 is refused instead of training epochs −3…1.
 */
export const trainerStateSchema = z.object({
  epoch: count,
  step: count,
  bestValidation: z.number().finite().nullable(),
  badEpochs: count,
  stoppedEarly: z.boolean(),
  phase: z.enum(['pretrain', 'main']),
});

/** Everything beyond weights and optimizer moments that resumption needs; saved as JSON. */
export interface TrainerState {
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimisation steps completed (seeds each step's random ops). */
  readonly step: number;
  readonly bestValidation: number | null;
  /** Epochs since the validation loss last improved (early stopping). */
  readonly badEpochs: number;
  readonly stoppedEarly: boolean;
  /** Training phase; stacked models pre-train before the main phase. */
  readonly phase: 'pretrain' | 'main';
}

// The interface documents each field; this keeps it and the schema the same shape.
type SchemaMatches<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const schemaMatches: SchemaMatches<z.infer<typeof trainerStateSchema>, TrainerState> = true;
void schemaMatches;

export const INITIAL_TRAINER_STATE: TrainerState = {
  epoch: 0,
  step: 0,
  bestValidation: null,
  badEpochs: 0,
  stoppedEarly: false,
  phase: 'main',
};

export interface EpochMetrics {
  readonly epoch: number;
  readonly learningRate: number;
  readonly seconds: number;
  /** CPU time of this process during the epoch (user + system), the figure load does not skew. */
  readonly cpuSeconds: number;
  readonly train: Record<string, number>;
  readonly validation?: Record<string, number>;
}
