// W2's dense layers, one at a time, on mmae's native kernels: the forward product (with bias and
// activation), dW = xᵀ·dz, dx = dz·Wᵀ and the whole backward kernel, in ms per call and GFLOP/s.
// bench/reference/dense_shapes.py times the same products on OpenBLAS. Build and run (one line):
//   g++ -O3 -std=c++17 -fno-math-errno -ffp-contract=off -I src/engine/native
//   bench/native/dense-shapes.cc src/engine/native/gemm.cc src/engine/native/dense-grad.cc
//   src/engine/native/reduce-sum.cc -o /tmp/dense-shapes && /tmp/dense-shapes
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "dense-grad.h"
#include "gemm.h"

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Milliseconds per call: a few warm-up calls, then as many as fit in 0.3 s.
template <typename F>
double msPerCall(F f) {
  for (int i = 0; i < 5; ++i) f();
  int calls = 0;
  const double start = now();
  while (now() - start < 0.3) {
    f();
    ++calls;
  }
  return (now() - start) / calls * 1e3;
}

struct Layer {
  int rows, in, out;
  mmae::Activation activation;
};

}  // namespace

int main() {
  using mmae::Activation;
  // Image encoder and text encoder on 128 rows; image and text decoders on the 256 rows of the
  // joint and the unimodal codes.
  const Layer layers[] = {
      {128, 784, 512, Activation::Relu}, {128, 512, 512, Activation::Relu},
      {128, 512, 40, Activation::Linear}, {128, 64, 256, Activation::Relu},
      {128, 256, 40, Activation::Linear}, {256, 20, 512, Activation::Relu},
      {256, 512, 512, Activation::Relu}, {256, 512, 784, Activation::Linear},
      {256, 20, 256, Activation::Relu},  {256, 256, 304, Activation::Linear},
  };
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  double total[4] = {};
  std::printf("rows   in  out | forward ms GF/s | dW ms GF/s | dx ms GF/s | denseGrad ms\n");
  for (const Layer& l : layers) {
    std::vector<float> x(l.rows * l.in), w(l.in * l.out), y(l.rows * l.out), dy(l.rows * l.out);
    std::vector<float> dx(l.rows * l.in), dw(l.in * l.out), db(l.out), bias(l.out);
    for (auto* v : {&x, &w, &dy, &bias})
      for (float& e : *v) e = normal(rng);
    const double flop = 2.0 * l.rows * l.in * l.out;
    const double ms[4] = {
        msPerCall([&] {
          mmae::gemm({x.data(), w.data(), y.data(), bias.data(), l.out, 1, 1, 1, l.rows, l.out,
                      l.in, false, false, l.activation, 0.f});
        }),
        msPerCall([&] {
          mmae::gemm({x.data(), dy.data(), dw.data(), nullptr, 0, 1, 1, 1, l.in, l.out, l.rows,
                      true, false, Activation::Linear, 0.f});
        }),
        msPerCall([&] {
          mmae::gemm({dy.data(), w.data(), dx.data(), nullptr, 0, 1, 1, 1, l.rows, l.in, l.out,
                      false, true, Activation::Linear, 0.f});
        }),
        msPerCall([&] {
          mmae::denseGrad({x.data(), w.data(), y.data(), dy.data(), dx.data(), dw.data(),
                           db.data(), l.rows, l.in, l.out, l.activation, 0.2f});
        }),
    };
    for (int i = 0; i < 4; ++i) total[i] += ms[i];
    std::printf("%4d %4d %4d | %6.3f %5.1f | %6.3f %5.1f | %6.3f %5.1f | %6.3f\n", l.rows, l.in,
                l.out, ms[0], flop / ms[0] / 1e6, ms[1], flop / ms[1] / 1e6, ms[2],
                flop / ms[2] / 1e6, ms[3]);
  }
  std::printf("total ms: forward %.3f, dW %.3f, dx %.3f, denseGrad %.3f (isa %s)\n", total[0],
              total[1], total[2], total[3], mmae::gemmIsa());
}
