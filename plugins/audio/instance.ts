/**
 * Binds resolved options and fitted normalisation statistics into the ModalityInstance the core
 * uses: raw value → normalised features → encoder / decoder → loss → log-mel → WAV.
 */
import type * as tf from '@tensorflow/tfjs';
import type { RawValue, Artefact, ModalityInstance } from 'mmae/portable';
import { ShapeError } from 'mmae/portable';
import { audioCorruptions } from './corruptions.js';
import { buildAudioDecoder } from './decoder.js';
import { buildAudioEncoder } from './encoder.js';
import { createAudioFeatureExtractor } from './feature-extractor.js';
import { describeChannels, standardise } from './feature-statistics.js';
import { gaussianReconstructionLoss } from './loss.js';
import { checkAudioState, denormalise } from './normalisation.js';
import { resolveAudioOptions } from './options.js';
import { readRawAudio, type WavFileReader } from './raw-audio.js';
import { createLogMelRenderer } from './render.js';
import { specAugment } from './spec-augment.js';
import { encodeWav16 } from './wav-encode.js';

/** `files` reads WAV paths (node/wav-files.ts on Node); without it only bytes and decoded audio. */
export function createAudioInstance(
  rawOptions: unknown,
  rawState: unknown,
  files?: WavFileReader,
): ModalityInstance {
  const options = resolveAudioOptions(rawOptions);
  const extractor = createAudioFeatureExtractor(options);
  const state = checkAudioState(rawState, extractor.channels, describeChannels(options));
  const shape = { frames: extractor.frames, channels: extractor.channels };
  const featureLength = shape.frames * shape.channels;
  const renderer = createLogMelRenderer(extractor.logMelExtractor, {
    iterations: options.griffinLimIterations,
    momentum: options.griffinLimMomentum,
    seed: options.seed,
  });

  return {
    id: 'audio',
    featureSpec: { shape: [shape.frames, shape.channels], dtype: 'float32' },
    corruptions: audioCorruptions(options.sampleRate, files),

    async prepare(raw: RawValue, source: string) {
      const { sampleRate, durationSeconds } = options;
      const samples = await readRawAudio(raw, source, sampleRate, durationSeconds, files);
      return standardise(extractor.extract(samples), options, state);
    },

    buildEncoder: () => buildAudioEncoder(shape, options),
    ...(options.specAugment
      ? {
          augment: (features: tf.Tensor, seed: number) =>
            specAugment(features, seed, {
              ...options.specAugment!,
              // With deltas the coefficients repeat in three groups; mask a coefficient in all.
              channelGroup: options.deltas ? shape.channels / 3 : shape.channels,
            }),
        }
      : {}),
    buildDecoder: (latentSize: number) => buildAudioDecoder(shape, latentSize, options),
    reconstructionLoss: gaussianReconstructionLoss,
    // The decoder already outputs the Gaussian mean in the prepared (normalised) space.
    outputToFeatures: (output: tf.Tensor) => output.clone(),

    async render(features): Promise<Artefact> {
      if (features.length !== featureLength) {
        throw new ShapeError(
          `audio render: expected ${featureLength} values ([${shape.frames}, ${shape.channels}] ` +
            `features), got ${features.length}`,
        );
      }
      // Per-utterance normalised features get the training clips' average level back.
      const logMel = extractor.toLogMel(denormalise(Float32Array.from(features), state));
      return { kind: 'wav', data: encodeWav16(renderer.toSamples(logMel), options.sampleRate) };
    },
  };
}
