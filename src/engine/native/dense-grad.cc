#include "dense-grad.h"

#include "reduce-sum.h"
#include "thread-pool.h"

#include <cmath>
#include <vector>

namespace mmae {
namespace {

// d act / d z written in terms of the output y = act(z), which the forward pass saved. NaN in y
// stays NaN, as tfjs's step() keeps it: a diverging run must show it.
template <Activation A>
inline float slope(float y, float alpha) {
  // One simple select after another (no nested ?:) so that the loop vectorises.
  if constexpr (A == Activation::Relu || A == Activation::Relu6 || A == Activation::LeakyRelu) {
    float s = y > 0.f ? 1.f : (A == Activation::LeakyRelu ? alpha : 0.f);
    if constexpr (A == Activation::Relu6) s = y < 6.f ? s : 0.f;
    return std::isnan(y) ? y : s;
  }
  if constexpr (A == Activation::Sigmoid) return y * (1.f - y);
  if constexpr (A == Activation::Elu) return y > 0.f ? 1.f : y + 1.f;
  return 1.f;
}

template <Activation A>
void scaleBySlope(const float* __restrict dy, const float* __restrict y, float* __restrict dz,
                  int64_t size, float alpha) {
  for (int64_t i = 0; i < size; ++i) dz[i] = dy[i] * slope<A>(y[i], alpha);
}

// Below this many elements per part the derivative stays on one thread: 2^16 floats read twice
// and written once take ~20–40 µs, about what waking a worker costs.
constexpr int64_t kMinSlopesPerPart = int64_t{1} << 16;

thread_local std::vector<float> scratch;

}  // namespace

void activationGrad(const float* dy, const float* y, float* dz, int64_t size,
                    Activation activation, float alpha) {
  parallelFor(size, kMinSlopesPerPart, [&](int64_t begin, int64_t end) {
    const float* d = dy + begin;
    const float* v = y + begin;
    float* out = dz + begin;
    const int64_t n = end - begin;
    switch (activation) {
      case Activation::Linear:
        for (int64_t i = 0; i < n; ++i) out[i] = d[i];
        return;
      case Activation::Relu: return scaleBySlope<Activation::Relu>(d, v, out, n, alpha);
      case Activation::Relu6: return scaleBySlope<Activation::Relu6>(d, v, out, n, alpha);
      case Activation::LeakyRelu: return scaleBySlope<Activation::LeakyRelu>(d, v, out, n, alpha);
      case Activation::Sigmoid: return scaleBySlope<Activation::Sigmoid>(d, v, out, n, alpha);
      case Activation::Elu: return scaleBySlope<Activation::Elu>(d, v, out, n, alpha);
    }
  });
}

void denseGrad(const DenseGradArgs& g) {
  const int64_t size = g.batch * g.out;
  const float* dz = g.dy;
  if (g.activation != Activation::Linear) {
    float* buffer = growScratch(scratch, static_cast<size_t>(size));
    activationGrad(g.dy, g.y, buffer, size, g.activation, g.leakyAlpha);
    dz = buffer;
  }
  if (g.dw != nullptr) {
    GemmArgs dw{g.x, dz, g.dw, nullptr, 0, 1, 1, 1, g.in, g.out, g.batch,
                true, false, Activation::Linear, 0.f};
    gemm(dw);
    sumMiddle(dz, g.db, 1, g.batch, g.out);  // db: dz summed over its rows
  }
  if (g.dx != nullptr) {
    GemmArgs dx{dz, g.w, g.dx, nullptr, 0, 1, 1, 1, g.batch, g.in, g.out,
                false, true, Activation::Linear, 0.f};
    gemm(dx);
  }
}

}  // namespace mmae
