/**
 * The text modality as a container module: the core receives it through TOKENS.ModalityPlugin
 * like any user plugin.
 */
import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae';
import { readTextFile } from './node/caption-files.js';
import { loadSentenceFeatureExtractor } from './node/pretrained-features.js';
import { createTextPlugin } from './plugin.js';
import type { TextIo } from './text-io.js';

/** Node's file and model access for the text plugin (node/). */
export const nodeTextIo: TextIo = { readCaptionFile: readTextFile, loadSentenceFeatureExtractor };

export const textPlugin = createTextPlugin(nodeTextIo);

export const textModule = new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(textPlugin);
});

export default textModule;

export { createTextPlugin } from './plugin.js';
export type { TextIo, SentenceFeatureExtractor } from './text-io.js';
export { textOptionsSchema, type TextOptions, type PretrainedOptions } from './options.js';
export type { TextState } from './state.js';
