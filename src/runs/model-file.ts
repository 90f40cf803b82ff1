/**
 * model.json: a tfjs-style weights file. `weightsManifest` is the standard tfjs manifest, so a
 * browser reads the weights with `tf.io.loadWeights(modelJson.weightsManifest, runUrl + '/')`;
 * `modelTopology` holds each module's Keras topology (from `sequential.toJSON(null, false)`),
 * keyed by module name; `mmae` is the caller's metadata.
 */
import { z } from 'zod';
import { MODEL_FILE_FORMAT, RUN_FILES } from './run-files.js';
import { parseWithSchema } from './schema-error.js';
import { weightsManifestSchema, type WeightSpec } from './weights-manifest.js';

const modelFileSchema = z.object({
  format: z.literal(MODEL_FILE_FORMAT),
  generatedBy: z.string(),
  convertedBy: z.null(),
  modelTopology: z.record(z.string(), z.unknown()).nullable(),
  weightsManifest: weightsManifestSchema,
  mmae: z.unknown(),
});

export type ModelFile = z.infer<typeof modelFileSchema>;

export function buildModelFile(
  specs: WeightSpec[],
  topology: Readonly<Record<string, object>> | null,
  metadata: unknown,
  mmaeVersion: string,
): ModelFile {
  return {
    format: MODEL_FILE_FORMAT,
    generatedBy: `mmae ${mmaeVersion}`,
    convertedBy: null,
    modelTopology: topology === null ? null : { ...topology },
    weightsManifest: [{ paths: [RUN_FILES.weights], weights: specs }],
    mmae: metadata,
  };
}

export function parseModelFile(value: unknown, path: string): ModelFile {
  return parseWithSchema(modelFileSchema, value, path, 'The model file');
}
