// The negative log-likelihood of pixels z ∈ [0, 1] under Bernoulli(σ(x)) for logits x, summed per
// row, and its gradient: the image decoder's default loss as two calls instead of ~25 kernels
// (relu, abs, neg, exp, log1p, mul, sub, add, sum and their gradients) over every pixel.
#pragma once
#include <cstdint>

namespace mmae {

// out[r] = Σ_j max(x, 0) − x·z + log1p(exp(−|x|))
void bernoulliNll(const float* x, const float* z, float* out, int64_t rows, int64_t cols);

// dx = (σ(x) − z)·dy[r], dz = −x·dy[r]
void bernoulliNllGrad(const float* x, const float* z, const float* dy, float* dx, float* dz,
                      int64_t rows, int64_t cols);

}  // namespace mmae
