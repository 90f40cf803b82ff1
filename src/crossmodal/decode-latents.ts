/** Latent codes → features and user-facing artefacts of one modality. */
import * as tf from '@tensorflow/tfjs';
import type { OpenedRun } from '../open/open-run.js';
import type { Artefact } from '../modality/contract.js';

/** Decodes row-major [n, latentSize] codes into `modality`; one artefact per row. */
export async function decodeLatents(
  opened: OpenedRun,
  codes: Float32Array,
  modality: string,
): Promise<Artefact[]> {
  const { model } = opened;
  const n = codes.length / model.latentSize;
  const instance = model.part(modality).instance;
  const features = tf.tidy(() =>
    instance.outputToFeatures(model.decode(modality, tf.tensor2d(codes, [n, model.latentSize]))),
  );
  const data = features.dataSync();
  features.dispose();
  const width = data.length / n;
  const out: Artefact[] = [];
  for (let i = 0; i < n; i++) {
    const row = data.slice(i * width, (i + 1) * width);
    out.push(await instance.render(row as Float32Array | Int32Array));
  }
  return out;
}
