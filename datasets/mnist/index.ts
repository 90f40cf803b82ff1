export { mnistAdapter, loadMnist, mnistSample } from './adapter.js';
export {
  loadMnistArrays,
  defaultMnistDir,
  mnistImage,
  type MnistArrays,
  type MnistSplitArrays,
} from './arrays.js';
export { mnistOptionsSchema, type MnistOptions } from './options.js';
