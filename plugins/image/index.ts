/**
 * The image modality plugin for Node. Contributes `imagePlugin` (the portable plugin bound to
 * sharp and the file system) to the container; the core finds it by its id 'image' and never
 * imports this folder. A browser bundle takes portable.ts instead.
 */
import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae';
import { sharpImageIo } from './node/sharp-image-io.js';
import { createImagePlugin } from './plugin.js';

export const imagePlugin = createImagePlugin(sharpImageIo);

export const imageModule = new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(imagePlugin);
});

export default imageModule;

export { createImagePlugin, type ImageState } from './plugin.js';
export { sharpImageIo, decodeImage, renderGrid, renderImagePng } from './node/sharp-image-io.js';
export { portableImageIo, type ImageIo } from './image-io.js';
export {
  checkDecodedImage,
  decodedImageForm,
  decodedImageProblem,
  decodedImageValue,
  type DecodedImage,
} from './decoded-image.js';
export { imageOptionsSchema, IMAGE_FEATURE_RANGE, type ImageOptions } from './options.js';
export { createImageInstance, type ImageModalityInstance } from './instance.js';
export type { DecodeTarget } from './decode.js';
export type { GridOptions, PngEncoder } from './render.js';
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
