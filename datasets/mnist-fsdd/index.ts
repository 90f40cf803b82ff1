export { mnistFsddAdapter } from './adapter.js';
export { DigitImagePools, drawPairs } from './pairing.js';
export { mnistFsddOptionsSchema, type MnistFsddOptions } from './options.js';
