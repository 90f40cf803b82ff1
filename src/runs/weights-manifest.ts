/**
 * The standard tfjs weights manifest (`[{ paths, weights: [{ name, shape, dtype }] }]`), used by
 * both model.json and optimizer.json, so a browser can fetch the weights with
 * `tf.io.loadWeights(modelJson.weightsManifest, runUrl + '/')`.
 */
import { z } from 'zod';

/** Only fixed-width dtypes: their byte length follows from the shape, so a short file is caught. */
export const BYTES_PER_ELEMENT = { float32: 4, int32: 4, bool: 1 } as const;
export type SavedDtype = keyof typeof BYTES_PER_ELEMENT;

export const weightSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool']),
});

export const weightsGroupSchema = z.object({
  paths: z.array(z.string()).min(1),
  weights: z.array(weightSpecSchema),
});

export const weightsManifestSchema = z.array(weightsGroupSchema);

export type WeightSpec = z.infer<typeof weightSpecSchema>;
export type WeightsGroup = z.infer<typeof weightsGroupSchema>;

export function specByteLength(spec: WeightSpec): number {
  return spec.shape.reduce((size, dim) => size * dim, 1) * BYTES_PER_ELEMENT[spec.dtype];
}
