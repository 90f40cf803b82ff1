#include "dense-grad.h"

#include <cmath>
#include <cstring>
#include <vector>

namespace mmae {
namespace {

// d act / d z written in terms of the output y = act(z), which the forward pass saved.
float slope(float y, Activation activation, float alpha) {
  if (std::isnan(y)) return y;  // tfjs's step() keeps NaN: a diverging run must show it
  switch (activation) {
    case Activation::Linear: return 1.f;
    case Activation::Relu: return y > 0.f ? 1.f : 0.f;
    case Activation::Relu6: return y > 0.f && y < 6.f ? 1.f : 0.f;
    case Activation::LeakyRelu: return y > 0.f ? 1.f : alpha;
    case Activation::Sigmoid: return y * (1.f - y);
    case Activation::Elu: return y > 0.f ? 1.f : y + 1.f;
  }
  return 1.f;
}

thread_local std::vector<float> scratch;

}  // namespace

void denseGrad(const DenseGradArgs& g) {
  const int64_t size = g.batch * g.out;
  const float* dz = g.dy;
  if (g.activation != Activation::Linear) {
    scratch.resize(static_cast<size_t>(size));
    for (int64_t i = 0; i < size; ++i) scratch[i] = g.dy[i] * slope(g.y[i], g.activation, g.leakyAlpha);
    dz = scratch.data();
  }
  GemmArgs dw{g.x, dz, g.dw, nullptr, 0, 1, 1, 1, g.in, g.out, g.batch,
              true, false, Activation::Linear, 0.f};
  gemm(dw);
  for (int64_t j = 0; j < g.out; ++j) g.db[j] = 0.f;
  for (int64_t r = 0; r < g.batch; ++r) {
    const float* row = dz + r * g.out;
    for (int64_t j = 0; j < g.out; ++j) g.db[j] += row[j];
  }
  if (!g.inputGradient) {
    std::memset(g.dx, 0, static_cast<size_t>(g.batch * g.in) * sizeof(float));
    return;
  }
  GemmArgs dx{dz, g.w, g.dx, nullptr, 0, 1, 1, 1, g.batch, g.in, g.out,
              false, true, Activation::Linear, 0.f};
  gemm(dx);
}

}  // namespace mmae
