/** The audio modality's container module: contributes the plugin record under its token. */
import { ContainerModule } from 'inversify';
import { TOKENS } from '../../src/index.js';
import { audioPlugin } from './plugin.js';

export { audioPlugin } from './plugin.js';
export { audioOptionsSchema, type AudioOptions } from './options.js';
export type { AudioState } from './normalisation.js';

export const audioModule = new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(audioPlugin);
});

export default audioModule;
