/**
 * Any saved class judge (RUN/eval/classifiers/<modality>.json) back into a judge, by its record's
 * format: the MLP judge's or the convolutional one's. Both loaders validate every field and array
 * length before anything reaches tfjs.
 */
import { RunError } from '../../errors/errors.js';
import { loadClassJudge, type ClassJudge } from './class-judge.js';
import { CONV_JUDGE_FORMAT, loadConvClassJudge } from './conv-class-judge.js';

export function loadJudge(weights: unknown, file?: string): ClassJudge {
  if (typeof weights !== 'object' || weights === null) {
    throw new RunError(
      `loadJudge: the judge${file ? ` in ${file}` : ''} is not a JSON object; rerun \`mmae eval\` to retrain the judges.`,
      file,
    );
  }
  return (weights as { format?: unknown }).format === CONV_JUDGE_FORMAT
    ? loadConvClassJudge(weights, file)
    : loadClassJudge(weights, file);
}
