/**
 * Options of the image modality. Every field has a default that trains MNIST as the seed
 * project did (28×28 grayscale, MLP 784-128-64-32, Bernoulli likelihood), so `image: {}` works.
 */
import { z } from 'zod';
import { boundedList, LIMITS } from 'mmae/portable';

const positiveInt = z.number().int().positive();

/** Layer widths, e.g. [128, 64, 32]: encoder order; decoders mirror them. At most 16 layers. */
const layerSizes = (maxUnits: number) => boundedList(positiveInt.max(maxUnits), LIMITS.layers, 1);

export const imageOptionsSchema = z
  .object({
    /** Target width in pixels; every image is resized to it. */
    width: positiveInt.max(4096).default(28),
    /** Target height in pixels. */
    height: positiveInt.max(4096).default(28),
    /** 1 = grayscale, 3 = RGB. Alpha is composited onto black, never kept. */
    channels: z.union([z.literal(1), z.literal(3)]).default(1),
    /**
     * How an image of another aspect ratio meets the target size (sharp's fit modes):
     * 'contain' letterboxes on black (keeps everything, no distortion), 'cover' crops the
     * centre, 'fill' stretches.
     */
    resize: z.enum(['contain', 'cover', 'fill']).default('contain'),
    /** Encoder architecture: 'dense' (flatten → MLP) or 'conv' (strided conv2d → MLP). */
    encoder: z.enum(['dense', 'conv']).default('dense'),
    /** Decoder architecture; defaults to the encoder's. */
    decoder: z.enum(['dense', 'conv']).optional(),
    /**
     * Widths of the encoder's dense layers (ReLU); the last one is the embedding size that
     * reaches the fusion. Dense decoders use them reversed. Each ≤ 65,536 units: one such layer
     * behind a 784-pixel input is a 200 MB kernel.
     */
    hiddenSizes: layerSizes(LIMITS.layerUnits).default(() => [128, 64, 32]),
    /**
     * Conv only: channels of each stride-2 conv2d layer; the decoder upsamples in reverse.
     * Each ≤ 4096 (a 3×3 layer of 4096 over 4096 channels is already 600 MB).
     */
    filters: layerSizes(LIMITS.filters).default(() => [16, 32]),
    /** Conv only: square kernel size. */
    kernelSize: positiveInt.max(15).default(3),
    /**
     * 'bernoulli': the decoder emits logits, loss is sigmoid cross-entropy (pixels in [0,1]
     * read as probabilities). 'gaussian': the decoder emits means, loss is summed squared error.
     */
    likelihood: z.enum(['bernoulli', 'gaussian']).default('bernoulli'),
    /** Gaussian only: activation of the decoder's mean. Ignored for Bernoulli (logits). */
    outputActivation: z.enum(['sigmoid', 'linear']).default('sigmoid'),
  })
  .strict()
  .refine((o) => o.width * o.height * o.channels <= LIMITS.featureValues, {
    // One image is one sample's features; a batch holds batchSize of them.
    path: ['width'],
    message: `width × height × channels must be at most ${LIMITS.featureValues} values per image`,
  })
  // Resolve the decoder here so the run's saved config states what was actually built.
  .transform((options) => ({ ...options, decoder: options.decoder ?? options.encoder }));

/** Resolved options, as the plugin receives them after parsing. */
export type ImageOptions = z.output<typeof imageOptionsSchema>;

/** The range prepared pixels lie in. */
export const IMAGE_FEATURE_RANGE: readonly [number, number] = [0, 1];

/** Per-sample geometry [height, width, channels], the order of the feature tensor. */
export interface ImageGeometry {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export function geometryOf(options: ImageOptions): ImageGeometry {
  return { height: options.height, width: options.width, channels: options.channels };
}
