// Direct (loop) convolutions, NHWC float32: one output channel at a time, dot products and
// axpys along the contiguous input channels. They beat im2col + GEMM where the output has few
// channels (the GEMM's 16- or 32-wide column blocks are then mostly padding, and the column
// buffer of a 28×28×32 input is 115 MB per batch of 128); conv2d.cc decides by outC.
#pragma once
#include <cstdint>

#include "conv2d.h"

namespace mmae {

void conv2dDirect(const ConvShape& s, const float* x, const float* w, const float* bias,
                  int64_t biasSize, Activation activation, float leakyAlpha, float* y);
void conv2dBackpropInputDirect(const ConvShape& s, const float* dy, const float* w, float* dx);
void conv2dBackpropFilterDirect(const ConvShape& s, const float* x, const float* dy, float* dw);

}  // namespace mmae
