/**
 * The built-in dataset adapters, contributed to the container exactly as a user's adapter
 * would be: each is bound to TOKENS.DatasetAdapter, and the core asks for all of them.
 */
import { ContainerModule } from 'inversify';
import type { DatasetAdapter } from 'mmae';
import { TOKENS } from 'mmae';
import { emojiAdapter } from './emoji/index.js';
import { fsddAdapter } from './fsdd/index.js';
import { manifestAdapter } from './manifest/index.js';
import { mnistAdapter } from './mnist/index.js';
import { mnistCaptionsAdapter } from './mnist-captions/index.js';
import { mnistFsddAdapter } from './mnist-fsdd/index.js';

/** Every built-in adapter, in the order they are documented. */
export const builtInDatasetAdapters: readonly DatasetAdapter[] = [
  mnistAdapter,
  mnistCaptionsAdapter,
  fsddAdapter,
  mnistFsddAdapter,
  manifestAdapter,
  emojiAdapter,
];

export const datasetsModule = new ContainerModule((bind) => {
  for (const adapter of builtInDatasetAdapters) {
    bind<DatasetAdapter>(TOKENS.DatasetAdapter).toConstantValue(adapter);
  }
});

export default datasetsModule;

export { mnistAdapter, loadMnistArrays, type MnistArrays } from './mnist/index.js';
export { mnistCaptionsAdapter, DEFAULT_CAPTION_TEMPLATES } from './mnist-captions/index.js';
export { fsddAdapter, FSDD_DIR_ENV } from './fsdd/index.js';
export { mnistFsddAdapter } from './mnist-fsdd/index.js';
export { manifestAdapter } from './manifest/index.js';
export { emojiAdapter, EMOJI_GROUPS, parseEmojiSampleId, type EmojiSample } from './emoji/index.js';
export { DIGIT_CLASSES } from './digits.js';
