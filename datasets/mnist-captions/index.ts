export { mnistCaptionsAdapter } from './adapter.js';
export {
  captionFor,
  renderCaption,
  templateProblem,
  DEFAULT_CAPTION_TEMPLATES,
} from './captions.js';
export { mnistCaptionsOptionsSchema, type MnistCaptionsOptions } from './options.js';
