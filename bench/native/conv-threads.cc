// W5's convolutions, upsamplings and their gradients (batch 128) on mmae's native kernels at 1
// and 2 threads, per call: CPU time on 1 thread; on 2, the process's CPU time, the calling
// thread's and the worker's, and the critical path, the larger of those two, which is what a
// call takes on two free cores. CPU times, unlike wall times, hold on a machine whose cores other
// processes share (the fastest call's wall time is printed too). An argument keeps only the rows whose
// name contains it. Build and run (one line):
//   g++ -O3 -std=c++17 -fno-math-errno -ffp-contract=off -fopenmp-simd -pthread
//   -I src/engine/native bench/native/conv-threads.cc src/engine/native/conv2d.cc
//   src/engine/native/conv2d-direct.cc src/engine/native/gemm.cc src/engine/native/resize.cc
//   src/engine/native/max-pool.cc src/engine/native/thread-pool.cc src/engine/native/dense-grad.cc
//   src/engine/native/reduce-sum.cc -o /tmp/conv-threads
//   && /tmp/conv-threads
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "conv2d.h"
#include "max-pool.h"
#include "resize.h"
#include "thread-pool.h"

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double cpuSeconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Per call, over ~0.4 s of calls: the fastest call's wall time, the process's CPU time and the
// calling thread's own CPU time (the workers' is the difference).
struct Timing {
  double fastest, cpu, caller;
};

Timing timeCalls(const std::function<void()>& f) {
  for (int i = 0; i < 2; ++i) f();
  double fastest = 1e30;
  const double start = now(), cpu0 = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID),
               caller0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
  int calls = 0;
  for (; calls < 5 || (now() - start < 0.4 && calls < 2000); ++calls) {
    const double t = now();
    f();
    fastest = std::min(fastest, now() - t);
  }
  return {fastest * 1e3, (cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0) / calls * 1e3,
          (cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - caller0) / calls * 1e3};
}

struct Layer {
  const char* name;
  int64_t inH, inC, outC, stride;
};

std::vector<float> randoms(size_t n, std::mt19937& random) {
  std::normal_distribution<float> normal;
  std::vector<float> v(n);
  for (float& x : v) x = normal(random);
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string only = argc > 1 ? argv[1] : "";
  const int64_t batch = 128;
  const Layer layers[] = {{"enc1 28x28x1 -> 14x14x32, s2", 28, 1, 32, 2},
                          {"enc2 14x14x32 -> 7x7x64, s2", 14, 32, 64, 2},
                          {"dec1 14x14x64 -> 14x14x64", 14, 64, 64, 1},
                          {"dec2 28x28x64 -> 28x28x32", 28, 64, 32, 1},
                          {"dec3 28x28x32 -> 28x28x1", 28, 32, 1, 1}};
  std::mt19937 random(1);
  std::printf(
      "| kernel | 1 thread: CPU ms | 2 threads: CPU ms | caller | worker | critical path | "
      "fastest call, 1 thread | 2 threads |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
  double total1 = 0, totalPath = 0;
  const auto row = [&](const std::string& name, const std::function<void()>& f) {
    if (!only.empty() && name.find(only) == std::string::npos) return;
    mmae::setThreads(1);
    const Timing one = timeCalls(f);
    mmae::setThreads(2);
    const Timing two = timeCalls(f);
    // On two free cores a call takes about as long as the busier of its two threads.
    const double path = std::max(two.caller, two.cpu - two.caller);
    total1 += one.cpu;
    totalPath += path;
    std::printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f (%.2f×) | %.2f | %.2f |\n",
                name.c_str(), one.cpu, two.cpu, two.caller, two.cpu - two.caller, path,
                one.cpu / path, one.fastest, two.fastest);
    std::fflush(stdout);
  };
  for (const Layer& l : layers) {
    const int64_t outH = l.inH / l.stride;
    const int64_t pad = l.stride == 1 ? 1 : 0;  // 'same' for 3×3: stride 2 pads bottom/right
    const mmae::ConvShape s{batch, l.inH, l.inH, l.inC, outH, outH, l.outC, 3, 3,
                            l.stride, l.stride, 1, 1, pad, pad};
    auto x = randoms(batch * l.inH * l.inH * l.inC, random);
    auto w = randoms(9 * l.inC * l.outC, random);
    auto bias = randoms(l.outC, random);
    auto dy = randoms(batch * outH * outH * l.outC, random);
    std::vector<float> y(dy.size()), dx(x.size()), dw(w.size());
    const std::string name = l.name;
    row(name + " forward", [&] {
      mmae::conv2d(s, x.data(), w.data(), bias.data(), l.outC, mmae::Activation::Relu, 0.f,
                   y.data());
    });
    row(name + " input grad",
        [&] { mmae::conv2dBackpropInput(s, dy.data(), w.data(), dx.data()); });
    row(name + " filter grad",
        [&] { mmae::conv2dBackpropFilter(s, x.data(), dy.data(), dw.data()); });
  }
  for (const auto& [in, c] : {std::pair<int64_t, int64_t>{7, 64}, {14, 64}}) {
    const mmae::ResizeShape s{batch, in, in, c, 2 * in, 2 * in, false, false};
    auto x = randoms(batch * in * in * c, random);
    auto dy = randoms(batch * 4 * in * in * c, random);
    std::vector<float> y(dy.size()), dx(x.size());
    const std::string name = "nearest x2 " + std::to_string(in) + "x" + std::to_string(in) +
                             "x" + std::to_string(c);
    row(name, [&] { mmae::resizeNearest(x.data(), y.data(), s); });
    row(name + " grad", [&] { mmae::resizeNearestGrad(dy.data(), dx.data(), s); });
    row("bilinear x2 " + name.substr(11), [&] { mmae::resizeBilinear(x.data(), y.data(), s); });
    row("bilinear x2 " + name.substr(11) + " grad",
        [&] { mmae::resizeBilinearGrad(dy.data(), dx.data(), s); });
  }
  {
    const mmae::PoolShape s{batch, 28, 28, 32, 14, 14, 2, 2, 2, 2, 1, 1, 0, 0};
    auto x = randoms(batch * 28 * 28 * 32, random);
    auto dy = randoms(batch * 14 * 14 * 32, random);
    std::vector<float> y(dy.size()), dx(x.size());
    row("maxPool 2x2 s2 28x28x32", [&] { mmae::maxPool(x.data(), y.data(), s); });
    row("maxPool 2x2 s2 28x28x32 grad",
        [&] { mmae::maxPoolGrad(x.data(), dy.data(), dx.data(), s); });
  }
  std::printf("| **total** | %.2f | | | | %.2f (%.2f×) | | |\n", total1, totalPath,
              total1 / totalPath);
}
