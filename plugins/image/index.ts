/**
 * The image modality plugin. Contributes `imagePlugin` to the container; the core finds it by
 * its id 'image' and never imports this folder.
 */
import { ContainerModule } from 'inversify';
import { TOKENS } from '../../src/index.js';
import { imagePlugin } from './plugin.js';

export const imageModule = new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(imagePlugin);
});

export default imageModule;

export { imagePlugin, type ImageState } from './plugin.js';
export { imageOptionsSchema, IMAGE_FEATURE_RANGE, type ImageOptions } from './options.js';
export { createImageInstance, type ImageModalityInstance } from './instance.js';
export { decodeImage, type DecodeTarget } from './decode.js';
export { renderGrid, renderImagePng, type GridOptions } from './render.js';
export { perSampleMse, psnrFromMse, imageMetrics } from './metrics.js';
export {
  bernoulliLikelihood,
  gaussianLikelihood,
  IMAGE_LIKELIHOODS,
  type ImageLikelihood,
} from './loss.js';
export {
  ACTIVATION_RANGES,
  activationReachesRange,
  featureOutputRange,
  type Activation,
} from './output-range.js';
