// W5's five convolutions (batch 128) on mmae's native kernels, im2col + GEMM against the direct
// loops, in ms per call (an argument keeps only the layers whose name contains it) (best of 5 timings of ≥ 0.3 s each) for the forward pass (bias + relu),
// the input gradient and the filter gradient. Build and run (one line):
//   g++ -O3 -std=c++17 -fno-math-errno -ffp-contract=off -fopenmp-simd -I src/engine/native
//   bench/native/conv-shapes.cc src/engine/native/conv2d.cc src/engine/native/conv2d-direct.cc
//   src/engine/native/gemm.cc src/engine/native/thread-pool.cc src/engine/native/dense-grad.cc
//   src/engine/native/reduce-sum.cc -pthread -o /tmp/conv-shapes && /tmp/conv-shapes
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "conv2d-direct.h"
#include "conv2d.h"

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <typename F>
double msPerCall(F f) {
  for (int i = 0; i < 2; ++i) f();
  double best = 1e30;
  for (int r = 0; r < 5; ++r) {
    int calls = 0;
    const double start = now();
    while (now() - start < 0.3) {
      f();
      ++calls;
    }
    best = std::min(best, (now() - start) / calls * 1e3);
  }
  return best;
}

struct Layer {
  const char* name;
  int64_t inH, inC, outC, stride;
};

}  // namespace

int main(int argc, char** argv) {
  const int64_t batch = 128;
  const Layer layers[] = {{"enc1 28x28x1 -> 14x14x32, s2", 28, 1, 32, 2},
                          {"enc2 14x14x32 -> 7x7x64, s2", 14, 32, 64, 2},
                          {"dec1 14x14x64 -> 14x14x64", 14, 64, 64, 1},
                          {"dec2 28x28x64 -> 28x28x32", 28, 64, 32, 1},
                          {"dec3 28x28x32 -> 28x28x1", 28, 32, 1, 1},
                          // Where the two methods cross: an RGB output (W6) and wider.
                          {"28x28x32 -> 28x28x3", 28, 32, 3, 1},
                          {"28x28x32 -> 28x28x8", 28, 32, 8, 1}};
  std::mt19937 random(1);
  std::normal_distribution<float> normal;
  std::printf("| layer | method | forward | input grad | filter grad | GFLOP/s (fwd) |\n");
  std::printf("|---|---|---|---|---|---|\n");
  for (const Layer& l : layers) {
    if (argc > 1 && std::string(l.name).find(argv[1]) == std::string::npos) continue;
    const int64_t out = (l.inH + l.stride - 1) / l.stride;
    const int64_t total = (out - 1) * l.stride + 3 - l.inH;  // 'same' padding
    const mmae::ConvShape s{batch, l.inH, l.inH, l.inC, out, out, l.outC, 3, 3,
                            l.stride, l.stride, 1, 1, total / 2, total / 2};
    std::vector<float> x(batch * l.inH * l.inH * l.inC), w(9 * l.inC * l.outC), b(l.outC);
    std::vector<float> y(batch * out * out * l.outC), dy(y.size()), dx(x.size()), dw(w.size());
    for (auto* v : {&x, &w, &b, &dy}) {
      for (float& f : *v) f = normal(random);
    }
    const double flops = 2.0 * batch * out * out * l.outC * 9 * l.inC;
    for (int direct = 0; direct < 2; ++direct) {
      const double fwd = msPerCall([&] {
        (direct ? mmae::conv2dDirect : mmae::conv2dIm2col)(s, x.data(), w.data(), b.data(),
                                                          l.outC, mmae::Activation::Relu, 0.f,
                                                          y.data());
      });
      const double in = msPerCall([&] {
        (direct ? mmae::conv2dBackpropInputDirect
                : mmae::conv2dBackpropInputIm2col)(s, dy.data(), w.data(), dx.data());
      });
      const double filter = msPerCall([&] {
        (direct ? mmae::conv2dBackpropFilterDirect
                : mmae::conv2dBackpropFilterIm2col)(s, x.data(), dy.data(), dw.data());
      });
      std::printf("| %s | %s | %.2f | %.2f | %.2f | %.0f |\n", l.name,
                  direct ? "direct" : "im2col+GEMM", fwd, in, filter, flops / fwd / 1e6);
    }
  }
}
