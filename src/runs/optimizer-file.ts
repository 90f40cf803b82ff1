/**
 * optimizer.json: everything needed to resume training exactly, next to optimizer.bin. It holds
 * the trainer's own state (epoch, step, best validation loss, early-stopping counter, schedule
 * state, RNG seeds; the caller's JSON) and the tfjs weights manifest of the optimizer's slots
 * (from `optimizer.getWeights()`), which are restored with `optimizer.setWeights()`.
 */
import { z } from 'zod';
import { OPTIMIZER_FILE_FORMAT, RUN_FILES, RUN_FORMAT_VERSION } from './run-files.js';
import { parseWithSchema } from './schema-error.js';
import { weightsManifestSchema, type WeightSpec } from './weights-manifest.js';

const optimizerFileSchema = z.object({
  format: z.literal(OPTIMIZER_FILE_FORMAT),
  formatVersion: z.literal(RUN_FORMAT_VERSION),
  trainerState: z.unknown(),
  weightsManifest: weightsManifestSchema,
});

export type OptimizerFile = z.infer<typeof optimizerFileSchema>;

export function buildOptimizerFile(specs: WeightSpec[], trainerState: unknown): OptimizerFile {
  return {
    format: OPTIMIZER_FILE_FORMAT,
    formatVersion: RUN_FORMAT_VERSION,
    trainerState,
    weightsManifest: [{ paths: [RUN_FILES.optimizerWeights], weights: specs }],
  };
}

export function parseOptimizerFile(value: unknown, path: string): OptimizerFile {
  return parseWithSchema(optimizerFileSchema, value, path, 'The optimizer file');
}
