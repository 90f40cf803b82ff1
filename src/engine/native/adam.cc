// Compiled with -ffp-contract=off: no multiply-add is fused, every operation rounds to float32
// like tfjs's separate kernels. target_clones builds an AVX-512, an AVX2 and a baseline copy and
// picks one at load time; the loop is vectorised by the compiler in each.
#include "adam.h"
#include "thread-pool.h"

#include <algorithm>
#include <cmath>

namespace mmae {

namespace {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void adamRange(const float* __restrict x, const float* __restrict m, const float* __restrict v,
              const float* __restrict g, float* __restrict xOut, float* __restrict mOut,
              float* __restrict vOut, int64_t n, const AdamConstants& c) {
  const float beta1 = c.beta1, beta2 = c.beta2, b1 = c.oneMinusBeta1, b2 = c.oneMinusBeta2;
  const float c1 = c.correction1, c2 = c.correction2, eps = c.epsilon, rate = c.negativeRate;
  for (int64_t j = 0; j < n; ++j) {
    const float grad = g[j];
    const float mj = m[j] * beta1 + grad * b1;
    const float vj = v[j] * beta2 + (grad * grad) * b2;
    mOut[j] = mj;
    vOut[j] = vj;
    const float denominator = std::sqrt(vj / c2) + eps;
    xOut[j] = x[j] + ((mj / c1) / denominator) * rate;
  }
}

}  // namespace

// Elementwise, so any split is bitwise the same. Below kMinPerPart parameters per part the step
// stays on one thread: 2^16 parameters take 25–40 µs here (7 floats read or written each), about
// what waking and joining a worker costs (10–40 µs, see gemm.cc's kMinMultiplyAddsPerPart).
// Parts are whole runs of 16 floats so every part stays vectorised.
void adamStep(const float* x, const float* m, const float* v, const float* g, float* xOut,
              float* mOut, float* vOut, int64_t n, const AdamConstants& c) {
  constexpr int64_t kChunk = 16, kMinPerPart = int64_t{1} << 16;
  parallelFor((n + kChunk - 1) / kChunk, kMinPerPart / kChunk, [&](int64_t c0, int64_t c1) {
    const int64_t begin = c0 * kChunk, count = std::min(n, c1 * kChunk) - begin;
    adamRange(x + begin, m + begin, v + begin, g + begin, xOut + begin, mOut + begin,
              vOut + begin, count, c);
  });
}

}  // namespace mmae
