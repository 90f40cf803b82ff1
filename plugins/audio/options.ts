/**
 * The audio plugin's options: how a WAV becomes fixed-size features (log-mel or MFCC, with or
 * without deltas, standardised over the training set or per utterance), how the encoder and
 * decoder are shaped, and how render turns features back into sound.
 */
import { z } from 'zod';
import { ConfigError, formatIssues, boundedList, LIMITS } from 'mmae/portable';

/**
 * Values of one clip's STFT (frames × frequency bins), computed for every clip before the mel
 * filterbank: 2^24 is 64 MiB for the real and imaginary parts each.
 */
const MAX_SPECTROGRAM_VALUES = 2 ** 24;

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

export const audioOptionsSchema = z
  .object({
    /** Every input is resampled to this rate (Hz); render writes WAVs at it too. */
    sampleRate: z.number().int().min(1000).max(192_000).default(8000),
    /** Fixed clip length in seconds: shorter clips are zero-padded, longer ones trimmed, centred. */
    durationSeconds: z.number().positive().max(60).default(1),
    /** Analysis window length in samples (a periodic Hann window). */
    frameLength: z.number().int().min(16).max(65_536).default(256),
    /** Step between frames in samples; at most frameLength so overlap-add covers every sample. */
    hopLength: z.number().int().positive().default(128),
    /** FFT size, a power of two at least frameLength (the frame is zero-padded to it), ≤ 65,536. */
    fftSize: z.number().int().positive().max(65_536).default(256),
    melBands: z.number().int().min(2).max(512).default(40),
    /** Lowest mel filter edge in Hz. */
    fMin: z.number().nonnegative().default(0),
    /** Highest mel filter edge in Hz; defaults to sampleRate / 2. */
    fMax: z.number().positive().optional(),
    /** Added to mel power before the log, so silence maps to log(eps) instead of -Infinity. */
    logEpsilon: z.number().positive().default(1e-6),
    /**
     * 'logmel': the log-mel spectrogram [frames, melBands]. 'mfcc': its first
     * `mfccCoefficients` cepstral coefficients per frame, which keep the spectral envelope and
     * drop pitch detail, so they vary less from speaker to speaker.
     */
    features: z.enum(['logmel', 'mfcc']).default('logmel'),
    /** Cepstral coefficients kept when features is 'mfcc' (13 is the usual choice for speech). */
    mfccCoefficients: z.number().int().min(1).max(512).default(13),
    /** Append delta and delta-delta channels (regression over ±2 frames): 3× the channels. */
    deltas: z.boolean().default(false),
    /**
     * Floors each clip's log-mel at its own peak minus this many dB before anything else, so
     * the zero padding and near-silence look alike in every clip whatever its level. Unset:
     * no floor beyond logEpsilon.
     */
    dynamicRangeDb: z.number().positive().max(200).optional(),
    /**
     * 'global': each channel standardised by the training set's mean and std (fit learns them).
     * 'utterance': each clip standardised by its own per-channel mean and std over frames
     * (cepstral mean and variance normalisation), which removes a speaker's and a
     * microphone's constant colouring; render can only restore the training set's average.
     */
    normalisation: z.enum(['global', 'utterance']).default('global'),
    /** Griffin-Lim iterations used by render (0 = random phase only). */
    griffinLimIterations: z.number().int().min(0).max(1000).default(32),
    /** Momentum of fast Griffin-Lim (Perraudin et al. 2013); 0 gives the classic algorithm. */
    griffinLimMomentum: z.number().min(0).max(1).default(0.99),
    /**
     * 'dense': flatten then an MLP. 'conv': strided 1-D convolutions over time (feature channels
     * as conv channels), flattened. 'conv-pool': the same convolutions (the first unstrided),
     * then the maximum over time of each filter, so the code does not depend on where in the
     * clip the word sits. The decoder of 'conv' and 'conv-pool' is the same.
     */
    architecture: z.enum(['dense', 'conv', 'conv-pool']).default('dense'),
    /**
     * 'dense': an MLP mirroring `hiddenSizes`; 'conv': transposed convolutions mirroring
     * `convFilters`. Default: 'dense' for a dense encoder, else 'conv'. A dense decoder behind a
     * conv encoder costs far less CPU than transposed convolutions on wasm.
     */
    decoder: z.enum(['dense', 'conv']).optional(),
    /**
     * Dense hidden layer widths, encoder order (the decoder mirrors them): each ≤ 65,536 units,
     * at most 16 layers (src/config/limits.ts).
     */
    hiddenSizes: boundedList(
      z.number().int().positive().max(LIMITS.layerUnits),
      LIMITS.layers,
    ).default([256]),
    /**
     * Conv filters per layer, encoder order; each encoder layer halves the frame count. Each
     * ≤ 4096, at most 16 layers.
     */
    convFilters: boundedList(
      z.number().int().positive().max(LIMITS.filters),
      LIMITS.layers,
      1,
    ).default([32, 64]),
    /** Width of the 1-D convolution kernels in frames (≤ 63: a kernel wider wants attention). */
    kernelSize: z.number().int().positive().max(63).default(5),
    /**
     * SpecAugment while training (off when unset): per clip, `timeMasks` blocks of up to
     * `timeMaskWidth` frames and `channelMasks` blocks of up to `channelMaskWidth` coefficients
     * (mel bands for log-mel) are set to 0 in what the encoder reads.
     */
    specAugment: z
      .object({
        timeMasks: z.number().int().min(0).max(10).default(2),
        timeMaskWidth: z.number().int().min(1).max(10_000).default(10),
        channelMasks: z.number().int().min(0).max(10).default(1),
        channelMaskWidth: z.number().int().min(1).max(10_000).default(3),
      })
      .strict()
      .optional(),
    /** Dropout rate before the encoder's last layer, active in training only. */
    dropout: z.number().min(0).max(0.9).default(0),
    /** Width of the encoder's output, the hidden code handed to fusion (≤ 65,536, as a layer). */
    embeddingSize: z.number().int().positive().max(LIMITS.layerUnits).default(64),
    activation: z.enum(['relu', 'elu', 'tanh']).default('relu'),
    /** Seeds weight initialisation and Griffin-Lim's initial phase, so builds are repeatable. */
    seed: z.number().int().nonnegative().max(LIMITS.seed).default(0),
  })
  .strict()
  .superRefine((o, ctx) => {
    const nyquist = o.sampleRate / 2;
    if (!isPowerOfTwo(o.fftSize) || o.fftSize < o.frameLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['fftSize'],
        message: `must be a power of two >= frameLength (${o.frameLength}), got ${o.fftSize}`,
      });
    }
    if (o.hopLength > o.frameLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['hopLength'],
        message: `must be <= frameLength (${o.frameLength}) so frames overlap, got ${o.hopLength}`,
      });
    }
    const fMax = o.fMax ?? nyquist;
    if (fMax > nyquist) {
      ctx.addIssue({
        code: 'custom',
        path: ['fMax'],
        message: `must be <= sampleRate / 2 (${nyquist} Hz), got ${fMax}`,
      });
    }
    if (o.fMin >= fMax) {
      ctx.addIssue({
        code: 'custom',
        path: ['fMin'],
        message: `must be below fMax (${fMax} Hz), got ${o.fMin}`,
      });
    }
    if (o.features === 'mfcc' && o.mfccCoefficients > o.melBands) {
      ctx.addIssue({
        code: 'custom',
        path: ['mfccCoefficients'],
        message: `must be <= melBands (${o.melBands}), got ${o.mfccCoefficients}`,
      });
    }
    if (Math.round(o.sampleRate * o.durationSeconds) < o.frameLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['durationSeconds'],
        message: `gives fewer samples than one frame (${o.frameLength}); raise it`,
      });
    }
    checkClipSize(o, ctx);
  })
  // Resolve the decoder here so the run's saved config states what was actually built.
  .transform((options) => ({
    ...options,
    decoder: options.decoder ?? (options.architecture === 'dense' ? 'dense' : 'conv'),
  }));

export type AudioOptions = z.infer<typeof audioOptionsSchema>;

/** One clip's features and STFT stay within their bounds, whatever the rate, length and hop. */
function checkClipSize(
  o: Pick<
    AudioOptions,
    | 'sampleRate'
    | 'durationSeconds'
    | 'hopLength'
    | 'fftSize'
    | 'features'
    | 'melBands'
    | 'mfccCoefficients'
    | 'deltas'
  >,
  ctx: z.RefinementCtx,
): void {
  const frames = 1 + Math.floor(Math.round(o.sampleRate * o.durationSeconds) / o.hopLength);
  const channels = (o.features === 'mfcc' ? o.mfccCoefficients : o.melBands) * (o.deltas ? 3 : 1);
  if (frames * channels > LIMITS.featureValues) {
    ctx.addIssue({
      code: 'custom',
      path: ['hopLength'],
      message:
        `gives ${frames} frames × ${channels} channels = ${frames * channels} feature values per ` +
        `clip, more than ${LIMITS.featureValues}; raise hopLength or shorten durationSeconds`,
    });
  }
  const spectrogram = frames * (o.fftSize / 2 + 1);
  if (spectrogram > MAX_SPECTROGRAM_VALUES) {
    ctx.addIssue({
      code: 'custom',
      path: ['fftSize'],
      message:
        `gives ${frames} frames × ${o.fftSize / 2 + 1} bins = ${spectrogram} STFT values per ` +
        `clip, more than ${MAX_SPECTROGRAM_VALUES}; lower fftSize, raise hopLength or shorten the clip`,
    });
  }
}

/** Validates user options (or re-checks parsed ones) and names each bad field. */
export function resolveAudioOptions(input: unknown): AudioOptions {
  const parsed = audioOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid audio modality options:\n${formatIssues(parsed.error.issues)}`,
      parsed.error.issues[0]?.path.map(String).join('.'),
    );
  }
  return parsed.data;
}
