/**
 * optimizer.json: everything needed to resume training exactly, next to optimizer.bin. It holds
 * the trainer's own state (epoch, step, best validation loss, early-stopping counter, schedule
 * state, RNG seeds; the caller's JSON) and the tfjs weights manifest of the optimizer's slots
 * (from `optimizer.getWeights()`), which are restored with `optimizer.setWeights()`.
 */
import { z } from 'zod';
import { trainerStateSchema } from '../train/trainer-state.js';
import { OPTIMIZER_FILE_FORMAT, RUN_FILES, RUN_FORMAT_VERSION } from './run-files.js';
import { parseWithSchema } from './schema-error.js';
import { weightsManifestSchema, type WeightSpec } from './weights-manifest.js';

const optimizerFileSchema = z.object({
  format: z.literal(OPTIMIZER_FILE_FORMAT),
  formatVersion: z.literal(RUN_FORMAT_VERSION),
  /**
   * The fields a TrainerState has are checked wherever they appear (epoch −3 is refused here, for
   * every reader); the trainer requires all of them when it resumes (parseTrainerState). Other
   * fields are the caller's and kept.
   */
  trainerState: trainerStateSchema.partial().loose(),
  weightsManifest: weightsManifestSchema,
});

export type OptimizerFile = z.infer<typeof optimizerFileSchema>;

export function buildOptimizerFile(specs: WeightSpec[], trainerState: unknown): OptimizerFile {
  return {
    format: OPTIMIZER_FILE_FORMAT,
    formatVersion: RUN_FORMAT_VERSION,
    // The caller's JSON; the schema checks it when it is read back.
    trainerState: trainerState as OptimizerFile['trainerState'],
    weightsManifest: [{ paths: [RUN_FILES.optimizerWeights], weights: specs }],
  };
}

export function parseOptimizerFile(value: unknown, path: string): OptimizerFile {
  return parseWithSchema(optimizerFileSchema, value, path, 'The optimizer file');
}

/** The complete trainer state a resumed run needs, or a RunError naming the field at fault. */
export function parseTrainerState(value: unknown, path: string): z.infer<typeof trainerStateSchema> {
  return parseWithSchema(trainerStateSchema, value, path, 'The optimizer file', 'trainerState');
}
