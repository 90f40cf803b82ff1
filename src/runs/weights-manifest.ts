/**
 * The standard tfjs weights manifest (`[{ paths, weights: [{ name, shape, dtype }] }]`), used by
 * both model.json and optimizer.json, so a browser can fetch the weights with
 * `tf.io.loadWeights(modelJson.weightsManifest, runUrl + '/')`.
 */
import { z } from 'zod';

/** Only fixed-width dtypes: their byte length follows from the shape, so a short file is caught. */
export const BYTES_PER_ELEMENT = { float32: 4, int32: 4, bool: 1 } as const;
export type SavedDtype = keyof typeof BYTES_PER_ELEMENT;

/**
 * A list refused for its length before its entries are parsed: zod reports one issue per bad
 * entry, and a forged list of hundreds of thousands overflows the stack collecting them.
 */
function boundedArray<T extends z.ZodType>(element: T, max: number) {
  return z.array(z.unknown()).max(max).pipe(z.array(element));
}

/** Far above any model mmae builds (the largest shipped one has ~60 weights, rank ≤ 4). */
const MAX_RANK = 8;
const MAX_WEIGHTS = 100_000;
const MAX_GROUPS = 1_000;

export const weightSpecSchema = z.object({
  name: z.string().min(1).max(1_000),
  shape: boundedArray(z.number().int().nonnegative(), MAX_RANK),
  dtype: z.enum(['float32', 'int32', 'bool']),
});

export const weightsGroupSchema = z.object({
  paths: boundedArray(z.string(), MAX_GROUPS).pipe(z.array(z.string()).min(1)),
  weights: boundedArray(weightSpecSchema, MAX_WEIGHTS),
});

export const weightsManifestSchema = boundedArray(weightsGroupSchema, MAX_GROUPS);

export type WeightSpec = z.infer<typeof weightSpecSchema>;
export type WeightsGroup = z.infer<typeof weightsGroupSchema>;

export function specByteLength(spec: WeightSpec): number {
  return spec.shape.reduce((size, dim) => size * dim, 1) * BYTES_PER_ELEMENT[spec.dtype];
}
