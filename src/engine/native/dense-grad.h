// The backward pass of a dense layer y = act(x·W + b): the activation's derivative from y, then
// dW = xᵀ·dz and db = Σ_rows dz (the weights' part) and/or dx = dz·Wᵀ (the input's part). The
// parts are separate because a first layer's input is data: its dx is never asked for, and on a
// 784-wide input it is a third of the layer's backward arithmetic.
#pragma once
#include <cstdint>

#include "gemm.h"

namespace mmae {

struct DenseGradArgs {
  const float* x;   // batch × in
  const float* w;   // in × out
  const float* y;   // batch × out, after the activation
  const float* dy;  // batch × out
  float* dx;        // batch × in, or nullptr: the input's part is not computed
  float* dw;        // in × out, or nullptr with db: the weights' part is not computed
  float* db;        // out
  int64_t batch, in, out;
  Activation activation;
  float leakyAlpha;
};

void denseGrad(const DenseGradArgs& args);

// dz = dy · act'(z), the derivative written in terms of the output y = act(z) (NaN in y stays
// NaN); split across the pool by elements, so the same bits on any thread count.
void activationGrad(const float* dy, const float* y, float* dz, int64_t size,
                    Activation activation, float leakyAlpha);

}  // namespace mmae
