/**
 * The text modality for a browser bundle: the same plugin as index.ts without file or model
 * access, so it takes captions as strings or bytes and refuses caption files and pretrained
 * sentence features with a message saying so.
 */
import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae/portable';
import { createTextPlugin } from './plugin.js';

export const portableTextPlugin = createTextPlugin();

export const portableTextModule = new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(portableTextPlugin);
});

export { createTextPlugin } from './plugin.js';
