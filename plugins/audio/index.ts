/**
 * The audio modality's container module for Node: contributes the plugin record, bound to Node's
 * WAV file reader, under its token. A browser bundle takes portable.ts instead.
 */
import { ContainerModule } from 'inversify';
import { TOKENS } from 'mmae';
import { nodeWavFiles } from './node/wav-files.js';
import { createAudioPlugin } from './plugin.js';

export const audioPlugin = createAudioPlugin(nodeWavFiles);

export { createAudioPlugin } from './plugin.js';
export {
  decodedAudioForm,
  decodedAudioProblem,
  decodedAudioValue,
  type DecodedAudio,
} from './decoded-audio.js';
export { nodeWavFiles } from './node/wav-files.js';
export type { WavFileReader } from './raw-audio.js';
export { audioOptionsSchema, type AudioOptions } from './options.js';
export type { AudioState } from './normalisation.js';

export const audioModule = new ContainerModule((bind) => {
  bind(TOKENS.ModalityPlugin).toConstantValue(audioPlugin);
});

export default audioModule;
