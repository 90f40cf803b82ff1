/** 2-D maps (PCA and UMAP) of the test codes encoded from all modalities, coloured by class. */
import type { FeatureTable } from '../../data/contract.js';
import { embeddingMap, type EmbeddingMethod } from '../plots/embedding-map.js';
import { encodeTable } from '../measures/encode-table.js';
import type { JointModel } from '../../model/joint-model.js';

export async function latentMaps(
  model: JointModel,
  test: FeatureTable,
  options: { seed: number; classes?: readonly string[]; maxPoints: number },
): Promise<Record<string, Buffer>> {
  const codes = encodeTable(model, test);
  const keep: number[] = [];
  for (let i = 0; i < test.size; i++)
    if (Number.isFinite(codes[i * model.latentSize]!)) keep.push(i);
  if (keep.length < 3 || model.latentSize < 2) return {};
  const kept = new Float32Array(keep.length * model.latentSize);
  keep.forEach((r, i) =>
    kept.set(
      codes.subarray(r * model.latentSize, (r + 1) * model.latentSize),
      i * model.latentSize,
    ),
  );
  const out: Record<string, Buffer> = {};
  for (const method of ['pca', 'umap'] as EmbeddingMethod[]) {
    const map = await embeddingMap({
      codes: kept,
      dim: model.latentSize,
      labels: Int32Array.from(keep, (r) => test.labels[r]!),
      ...(options.classes ? { classNames: options.classes } : {}),
      method,
      seed: options.seed,
      maxPoints: options.maxPoints,
      title: `Test latents from ${model.names.join(' + ')} (${method.toUpperCase()})`,
    });
    out[`latent-map-${method}.png`] = map.png;
  }
  return out;
}
