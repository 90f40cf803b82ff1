#include "reduce-sum.h"

namespace mmae {

void sumMiddle(const float* x, float* out, int64_t outer, int64_t mid, int64_t inner) {
  for (int64_t o = 0; o < outer; ++o) {
    float* __restrict row = out + o * inner;
    const float* block = x + o * mid * inner;
    for (int64_t i = 0; i < inner; ++i) row[i] = 0.f;
    // Row after row: each output adds its mid values in order, and the loop over i vectorises.
    for (int64_t m = 0; m < mid; ++m) {
      const float* __restrict src = block + m * inner;
      for (int64_t i = 0; i < inner; ++i) row[i] += src[i];
    }
  }
}

}  // namespace mmae
