// Max pooling of NHWC float32 images and its gradient, with tfjs's rules (tfjs-backend-cpu's
// MaxPool and MaxPoolGrad): a window's max starts at −∞ and takes a value only when it is
// greater, so NaN is skipped and, on ties, the first value in row-major window order wins; the
// gradient goes wholly to that first maximum. Padding and output size come from tfjs's
// computePool2DInfo (any filter, stride, dilation, 'same', 'valid' or explicit padding).
#pragma once
#include <cstdint>

namespace mmae {

struct PoolShape {
  int64_t batch, inHeight, inWidth, channels, outHeight, outWidth;
  int64_t filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth;
  int64_t padTop, padLeft;
};

void maxPool(const float* x, float* y, const PoolShape& s);
void maxPoolGrad(const float* x, const float* dy, float* dx, const PoolShape& s);

}  // namespace mmae
