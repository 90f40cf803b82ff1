// One Adam step over a flat run of floats, with the float32 operations of tf.train.adam in the
// same order, so the result is equal to the bit.
#pragma once
#include <cstdint>

namespace mmae {

struct AdamConstants {
  float beta1, beta2, oneMinusBeta1, oneMinusBeta2, correction1, correction2, epsilon, negativeRate;
};

void adamStep(const float* x, const float* m, const float* v, const float* g, float* xOut,
              float* mOut, float* vOut, int64_t n, const AdamConstants& c);

}  // namespace mmae
