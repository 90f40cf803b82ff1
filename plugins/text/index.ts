/**
 * The text modality as a container module: the core receives it through TOKENS.ModalityPlugin
 * like any user plugin.
 */
import { ContainerModule } from 'inversify';
import { TOKENS } from '../../src/index.js';
import { textPlugin } from './plugin.js';

export const textModule = new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(textPlugin);
});

export default textModule;

export { textPlugin } from './plugin.js';
export { textOptionsSchema, type TextOptions, type PretrainedOptions } from './options.js';
export type { TextState } from './state.js';
