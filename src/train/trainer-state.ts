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
