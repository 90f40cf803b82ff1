/**
 * The audio modality for a browser bundle: the same plugin as index.ts without a file reader, so
 * it takes WAV bytes and decoded audio and refuses paths with a message saying so.
 */
import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae/portable';
import { createAudioPlugin } from './plugin.js';

export const portableAudioPlugin = createAudioPlugin();

export const portableAudioModule = new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(portableAudioPlugin);
});

export { createAudioPlugin } from './plugin.js';
export {
  decodedAudioForm,
  decodedAudioProblem,
  decodedAudioValue,
  type DecodedAudio,
} from './decoded-audio.js';
