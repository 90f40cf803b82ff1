import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '../../data/contract.js';
import { iterateBatches } from '../../data/batches.js';
import type { JointModel } from '../../model/joint-model.js';
import { artefactSheet } from '../plots/artefact-sheet.js';

async function renderRows(
  model: JointModel,
  name: string,
  features: tf.Tensor,
): Promise<Uint8Array[] | undefined> {
  const instance = model.part(name).instance;
  const rows = features.shape[0]!;
  const data = features.dataSync();
  const width = data.length / rows;
  const out: Uint8Array[] = [];
  for (let i = 0; i < rows; i++) {
    const slice = data.slice(i * width, (i + 1) * width);
    const artefact = await instance.render(slice as Float32Array | Int32Array);
    if (artefact.kind !== 'png') return undefined;
    out.push(artefact.data);
  }
  return out;
}

/**
 * PNG sheets for every image-like modality: the first `n` test inputs (odd rows) above their
 * reconstructions (even rows), and, for probabilistic models, samples decoded from the prior.
 */
export async function sampleSheets(
  model: JointModel,
  test: FeatureTable,
  probabilistic: boolean,
  seed: number,
  n = 16,
): Promise<Record<string, Buffer>> {
  const sheets: Record<string, Buffer> = {};
  const batch = iterateBatches(test, { batchSize: n, shuffle: false }).next().value;
  if (!batch) return sheets;
  try {
    for (const name of model.names) {
      const [inputs, outputs] = tf.tidy(() => {
        const z = model.encode(batch.inputs).z;
        const instance = model.part(name).instance;
        return [
          batch.inputs[name]!.features.clone(),
          instance.outputToFeatures(model.decode(name, z)),
        ];
      });
      const a = await renderRows(model, name, inputs!);
      const b = await renderRows(model, name, outputs!);
      tf.dispose([inputs, outputs]);
      if (a && b) sheets[`reconstructions-${name}.png`] = await artefactSheet([...a, ...b], n);
      if (probabilistic) {
        const samples = tf.tidy(() => {
          const z = tf.randomNormal([64, model.latentSize], 0, 1, 'float32', seed);
          return model.part(name).instance.outputToFeatures(model.decode(name, z as tf.Tensor2D));
        });
        const s = await renderRows(model, name, samples);
        samples.dispose();
        if (s) sheets[`prior-samples-${name}.png`] = await artefactSheet(s, 8);
      }
    }
  } finally {
    batch.dispose();
  }
  return sheets;
}
