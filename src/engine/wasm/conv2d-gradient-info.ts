/**
 * What the two convolution-gradient kernels share: the attributes tfjs passes them and the
 * geometry of the forward convolution they differentiate (NHWC, no dilation).
 */
import * as tf from '@tensorflow/tfjs';

export type Shape4 = [number, number, number, number];

/** Attributes of Conv2DBackpropFilter and Conv2DBackpropInput besides their one shape. */
export interface ConvGradientAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat?: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The forward convolution x[inputShape] * filter[filterShape] the gradient belongs to. */
export function forwardConvInfo(
  inputShape: Shape4,
  filterShape: Shape4,
  attrs: ConvGradientAttrs,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}
