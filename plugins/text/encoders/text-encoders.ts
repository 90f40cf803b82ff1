/**
 * The token encoders by option name. Adding one is a new file and a line here; the pretrained
 * MLP is chosen by the `pretrained` option instead, as it reads a different feature row.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TextOptions } from '../options.js';
import type { TextEncoderArgs } from './encoder-args.js';
import { buildAttentionEncoder } from './attention-encoder.js';
import { buildGruEncoder } from './gru-encoder.js';
import { buildMeanEncoder } from './mean-encoder.js';

export const tokenEncoders: Readonly<
  Record<TextOptions['encoder'], (args: TextEncoderArgs) => tf.Sequential>
> = {
  mean: buildMeanEncoder,
  gru: buildGruEncoder,
  attention: buildAttentionEncoder,
};
