/**
 * One sample's raw values → its shared-latent code (the posterior mean for VAE families): each
 * modality's plugin prepares its value, then the model encodes the prepared features. The public
 * LoadedModel.encode and the CLI's queries both take this path.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModalityBatch, RawValue } from '../data/contract.js';
import type { JointModel } from './joint-model.js';
import type { ModalitySetup } from './modality-instances.js';

export interface SampleValue {
  readonly setup: ModalitySetup;
  readonly raw: RawValue;
}

export interface PreparedValue {
  readonly setup: ModalitySetup;
  readonly features: Float32Array | Int32Array;
}

/** Prepares the values one after another; a bad one is a DataError naming `input.<modality>`. */
export async function prepareValues(values: readonly SampleValue[]): Promise<PreparedValue[]> {
  const prepared: PreparedValue[] = [];
  for (const { setup, raw } of values) {
    prepared.push({ setup, features: await setup.instance.prepare(raw, `input.${setup.name}`) });
  }
  return prepared;
}

/** The code of one sample from the modalities it carries, [latentSize]. */
export function encodePrepared(
  model: JointModel,
  prepared: readonly PreparedValue[],
): Float32Array {
  const code = tf.tidy(() => {
    const inputs: Record<string, ModalityBatch> = {};
    for (const { setup, features } of prepared) {
      const spec = setup.instance.featureSpec;
      inputs[setup.name] = {
        features: tf.tensor(features, [1, ...spec.shape], spec.dtype),
        present: tf.ones([1]),
      };
    }
    return model.encode(inputs).z;
  });
  const out = code.dataSync() as Float32Array;
  code.dispose();
  return Float32Array.from(out);
}
