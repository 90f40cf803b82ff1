// The whole backward pass of a dense layer y = act(x·W + b) in one call: the activation's
// derivative from y, then dW = xᵀ·dz, db = Σ_rows dz and dx = dz·Wᵀ.
#pragma once
#include <cstdint>

#include "gemm.h"

namespace mmae {

struct DenseGradArgs {
  const float* x;   // batch × in
  const float* w;   // in × out
  const float* y;   // batch × out, after the activation
  const float* dy;  // batch × out
  float* dx;        // batch × in; zeros when !inputGradient
  float* dw;        // in × out
  float* db;        // out
  int64_t batch, in, out;
  Activation activation;
  float leakyAlpha;
  bool inputGradient;
};

void denseGrad(const DenseGradArgs& args);

}  // namespace mmae
