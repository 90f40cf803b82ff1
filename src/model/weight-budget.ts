/**
 * A budget of weight values for a model build. Every weight of every tfjs layer is created
 * through `Layer.addWeight(name, shape, …)` before its initializer allocates a tensor, so
 * counting there sees a layer's size while it costs nothing yet. A build that would exceed the
 * budget stops at the first weight past it, and the weights it had made are disposed.
 *
 * Why here and not an estimate from the config: the architecture behind a modality's options
 * belongs to its plugin (a user's included), so only the plugin's own build knows the shapes;
 * the budget lets that build run and stops it before the first tensor it cannot afford.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, RunError } from '../errors/errors.js';

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;
type AddWeight = (
  this: tf.layers.Layer,
  name: string,
  shape: number[],
  ...rest: unknown[]
) => LayerVariable;

/** Thrown when the budget is spent: `layer` and `shape` name the first weight past it. */
export interface BudgetExceeded {
  readonly layer: string;
  readonly weight: string;
  readonly shape: readonly number[];
  /** Weight values made before this one, plus this one's. */
  readonly needed: number;
}

/**
 * Runs `build` (synchronous: no other build interleaves) with at most `maxValues` weight values;
 * past that, `refuse` makes the error thrown before the weight is allocated.
 */
export function withWeightBudget<T>(
  maxValues: number,
  refuse: (exceeded: BudgetExceeded) => Error,
  build: () => T,
): T {
  const proto = tf.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const original = proto.addWeight;
  const made: LayerVariable[] = [];
  let used = 0;
  proto.addWeight = function (this: tf.layers.Layer, name, shape, ...rest) {
    const size = shape.reduce((product, dim) => product * dim, 1);
    if (!(Number.isSafeInteger(size) && used + size <= maxValues)) {
      throw refuse({ layer: this.name, weight: name, shape, needed: used + size });
    }
    used += size;
    const variable = original.call(this, name, shape, ...rest);
    made.push(variable);
    return variable;
  };
  try {
    return build();
  } catch (error) {
    for (const variable of made) variable.dispose();
    throw error;
  } finally {
    proto.addWeight = original;
  }
}

/**
 * A weight as a checkpoint holds it (runs/'s NamedTensor); only its size counts here, so the
 * model does not depend on the run-directory format that stores it.
 */
interface SavedWeight {
  readonly tensor: tf.Tensor;
}

/** Weight values the checkpoint holds: what its model.json lists and weights.bin carries. */
export function savedWeightValues(weights: readonly SavedWeight[]): number {
  return weights.reduce((sum, { tensor }) => sum + tensor.size, 0);
}

/**
 * Builds a run's model, refusing a config whose sizes ask for more weight values than the
 * checkpoint holds: a forged config.json (hiddenSizes [1000000]) or state.json (a million-word
 * vocabulary) then fails before its tensors exist, so opening a run never allocates more model
 * weights than its own weights.bin carries. Fewer weights, or other shapes, are named weight
 * by weight by the restore that follows.
 */
export function buildWithinSavedWeights<T>(
  weights: readonly SavedWeight[],
  runDir: string,
  build: () => T,
): T {
  const saved = savedWeightValues(weights);
  return withWeightBudget(
    saved,
    ({ layer, weight, shape, needed }) =>
      new RunError(
        `${runDir}/config.json and state.json describe a larger model than ${runDir}/model.json ` +
          `holds: weight '${weight}' of layer '${layer}' has shape [${shape.join(', ')}], which ` +
          `brings the model to at least ${needed} values where the checkpoint has ${saved}. ` +
          'The config does not belong to these weights; restore the run from its source or train it again.',
        `${runDir}/config.json`,
      ),
    build,
  );
}

/**
 * The most weight values a model built from a user's config may have: 2^28 float32 values are
 * 1 GiB, and training holds them about four times over (weights, gradients, two Adam slots).
 */
export const MAX_MODEL_VALUES = 2 ** 28;

/** Builds a model from a user's config, refusing one past MAX_MODEL_VALUES before it allocates. */
export function buildWithinModelCap<T>(configFile: string, build: () => T): T {
  return withWeightBudget(
    MAX_MODEL_VALUES,
    ({ layer, weight, shape, needed }) =>
      new ConfigError(
        `${configFile}: the model would have more than ${MAX_MODEL_VALUES} weight values ` +
          `(${needed} by weight '${weight}' of layer '${layer}', shape [${shape.join(', ')}]); ` +
          'make hiddenSizes, embeddingSize, latentSize or the input size smaller.',
      ),
    build,
  );
}
