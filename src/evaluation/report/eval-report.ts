import type { CrossModalReport } from '../crossmodal/cross-modal-report.js';
import type { InstanceRetrieval } from '../crossmodal/instance-retrieval.js';
import type { CaptionScores } from '../crossmodal/caption-scores.js';

/** The evaluation report: written as report.json, and as report.md by format-report.ts. */
export interface EvalReport {
  run: string;
  variant: string;
  modalities: string[];
  /** The dataset's class names, index = label; absent when the dataset names none. */
  classes?: string[];
  epochs: number;
  testSize: number;
  /** Mean test loss terms (the objective's record). */
  testLoss: Record<string, number>;
  /** −(test loss) for probabilistic families: the ELBO per sample, in nats. */
  testElbo?: number;
  iwNll?: number;
  /** reconstruction[target][source]: MSE per feature (token error rate for text). */
  reconstruction: Record<string, Record<string, number>>;
  /** linearProbe[source]: test accuracy of logistic regression on the codes. */
  linearProbe: Record<string, number>;
  /**
   * codeNorm[source]: mean Euclidean norm of the codes from that modality alone, on training
   * and on test rows (runs with ≥ 2 modalities). A test code nearer the origin than training
   * codes decodes to an ambiguous output even when a linear probe still reads it.
   */
  codeNorm?: Record<string, { train: number; test: number }>;
  sparsity?: { meanAbsCode: number; shareNearZero: number; threshold: number };
  anomaly?: { excludedClasses: number[]; auroc: number };
  /** Retrieval, coherence and robustness between modalities (runs with ≥ 2 and labels). */
  crossModal?: CrossModalReport;
  /**
   * Retrieval where every test item of the query's instance is relevant, between modalities and
   * from one source to another: only for a dataset that declares its instances.
   */
  instanceRetrieval?: InstanceRetrieval;
  /** Captions generated from the other modalities, token F1 against the dataset's references. */
  captionScores?: CaptionScores;
  /** What the evaluation had to pass over, e.g. a damaged line of metrics.jsonl. */
  warnings?: string[];
  files: string[];
}
