// Sum over a block of middle axes: x viewed as [outer, mid, inner] → out [outer, inner]. tfjs's
// wasm Sum moves reduced axes last with a Transpose kernel first, ~1 ms for a [384, 8, 128]
// gradient reduced over its batch axis (bias and position gradients of broadcast adds).
#pragma once
#include <cstdint>

namespace mmae {

// out[o, i] = Σ_m x[o, m, i], m in order (the order tfjs sums in).
void sumMiddle(const float* x, float* out, int64_t outer, int64_t mid, int64_t inner);

}  // namespace mmae
