/**
 * The audio modality as a declarative plugin record: WAV in, fixed-size normalised log-mel or
 * MFCC features, dense or convolutional encoder/decoder, Gaussian loss, Griffin-Lim WAV out.
 */
import type { RawValue, ModalityPlugin } from 'mmae/portable';
import { DataError } from 'mmae/portable';
import { createAudioFeatureExtractor } from './feature-extractor.js';
import { createFeatureStatistics } from './feature-statistics.js';
import { decodedAudioForm } from './decoded-audio.js';
import { WAV_CLIP_LIMIT, wavFileKind } from './file-kind.js';
import { createAudioInstance } from './instance.js';
import type { AudioState } from './normalisation.js';
import { audioOptionsSchema, resolveAudioOptions, type AudioOptions } from './options.js';
import { readRawAudio, type WavFileReader } from './raw-audio.js';

/**
 * The plugin on a platform's file access: index.ts binds Node's WAV reader (node/wav-files.ts);
 * portable.ts none, for a browser bundle that takes WAV bytes or decoded audio.
 */
export const createAudioPlugin = (
  files?: WavFileReader,
): ModalityPlugin<AudioOptions, AudioState> => ({
  id: 'audio',
  description:
    'WAV audio (any PCM/float format, channels and rate) as a fixed-length log-mel ' +
    'spectrogram or MFCCs; dense, conv or conv-pool encoder; Gaussian loss; renders WAV by ' +
    'Griffin-Lim',
  optionsSchema: audioOptionsSchema,
  queryFlag: 'audio',
  // A long recording is never read whole: the plugin reads the clip its features use.
  rawInput: {
    strings: 'path',
    files: 'path',
    sizeLimit: WAV_CLIP_LIMIT,
    decoded: decodedAudioForm,
  },
  fileKind: wavFileKind,

  async fit(raws: readonly RawValue[], rawOptions: AudioOptions): Promise<AudioState> {
    const options = resolveAudioOptions(rawOptions);
    if (raws.length === 0) {
      throw new DataError(
        'audio fit: the training split has no audio values to learn normalisation statistics ' +
          'from; check that the dataset provides the audio modality',
      );
    }
    const extractor = createAudioFeatureExtractor(options);
    const statistics = createFeatureStatistics(options, extractor.channels);
    for (const [i, raw] of raws.entries()) {
      const samples = await readRawAudio(
        raw,
        describeRaw(raw, i),
        options.sampleRate,
        options.durationSeconds,
        files,
      );
      statistics.add(extractor.extract(samples));
    }
    return statistics.toState();
  },

  create: (options: AudioOptions, state: AudioState) => createAudioInstance(options, state, files),
  convolutional: (options: AudioOptions) =>
    options.architecture !== 'dense' || options.decoder === 'conv',
});

/** fit sees raw values without sample ids, so it names them by path, name or position. */
function describeRaw(raw: RawValue, index: number): string {
  if (raw.kind === 'file') return raw.path;
  if (raw.kind === 'bytes' && raw.name) return raw.name;
  return `training audio #${index}`;
}
