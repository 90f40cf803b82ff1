// 2-D convolutions for mmae's native kernels, NHWC float32 on memory the caller owns (the tfjs
// wasm heap): the forward pass with bias and activation fused, and its input and filter
// gradients. With more than a few output channels each is im2col + the register-blocked GEMM
// of gemm.cc, over chunks of whole images so the column buffer stays a few MB; with few, direct
// loops (conv2d-direct.h). BENCHMARKS.md, "Native convolutions", has the numbers that chose.
#pragma once
#include <cstdint>

#include "gemm.h"

namespace mmae {

// x [batch, inH, inW, inC] * w [fH, fW, inC, outC] -> y [batch, outH, outW, outC]; input row
// ih = oh·strideH − padTop + kh·dilationH (columns likewise), zero outside the input.
struct ConvShape {
  int64_t batch, inH, inW, inC;
  int64_t outH, outW, outC;
  int64_t fH, fW;
  int64_t strideH, strideW, dilationH, dilationW;
  int64_t padTop, padLeft;
};

// Up to this many output channels the direct loops of conv2d-direct.cc run, above it im2col +
// GEMM (measured on W5's shapes: BENCHMARKS.md, "Native convolutions").
constexpr int64_t kDirectMaxOutChannels = 3;

// y = act(conv(x, w) + bias); bias is outC floats, 1 float broadcast, or nullptr.
void conv2d(const ConvShape& s, const float* x, const float* w, const float* bias,
            int64_t biasSize, Activation activation, float leakyAlpha, float* y);

// dx = the gradient of Σ dy·conv(x, w) with respect to x (dilation 1 or more).
void conv2dBackpropInput(const ConvShape& s, const float* dy, const float* w, float* dx);

// dw = the gradient of Σ dy·conv(x, w) with respect to w.
void conv2dBackpropFilter(const ConvShape& s, const float* x, const float* dy, float* dw);

// A conv layer's backward pass from x, w, its output y = act(conv(x, w) + b) and dy: dz = dy ·
// act'(y), then dw and db (the weights' part: db is dz summed over the batch and the pixels) and/or
// dx (the input's part); dx nullptr skips the input's part, dw nullptr the weights' (db with it).
// db sums fixed chunks of kBiasRows pixels and adds the chunks in order: the same bits on any
// thread count.
void conv2dLayerGrad(const ConvShape& s, const float* x, const float* w, const float* y,
                     const float* dy, Activation activation, float leakyAlpha, float* dx,
                     float* dw, float* db);

// The im2col + GEMM forms, whatever outC (the bench compares them with the direct loops).
void conv2dIm2col(const ConvShape& s, const float* x, const float* w, const float* bias,
                  int64_t biasSize, Activation activation, float leakyAlpha, float* y);
void conv2dBackpropInputIm2col(const ConvShape& s, const float* dy, const float* w, float* dx);
void conv2dBackpropFilterIm2col(const ConvShape& s, const float* x, const float* dy, float* dw);

}  // namespace mmae
