/**
 * The image modality for a browser bundle: the same plugin as index.ts, on portable I/O (decoded
 * pixels in, PNG written in plain JavaScript) instead of sharp and the file system. Pass another
 * ImageIo (a canvas decoder) to createImagePlugin for files and resizing.
 */
import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae/portable';
import { portableImageIo } from './image-io.js';
import { createImagePlugin } from './plugin.js';

export const portableImagePlugin = createImagePlugin(portableImageIo);

export const portableImageModule = new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(portableImagePlugin);
});

export { createImagePlugin, type ImageState } from './plugin.js';
export { portableImageIo, type ImageIo } from './image-io.js';
export {
  checkDecodedImage,
  decodedImageForm,
  decodedImageProblem,
  decodedImageValue,
  type DecodedImage,
} from './decoded-image.js';
