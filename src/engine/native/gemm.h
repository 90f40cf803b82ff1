// Single-precision matrix products for mmae's native kernels: C = op(A) · op(B) (+ bias, then an
// activation), row-major, batched, on memory the caller owns (the tfjs wasm heap).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mmae {

enum class Activation : int32_t { Linear = 0, Relu = 1, Relu6 = 2, LeakyRelu = 3, Sigmoid = 4, Elu = 5 };

struct GemmArgs {
  const float* a;       // batchA matrices, each M×K (or K×M when transposeA)
  const float* b;       // batchB matrices, each K×N (or N×K when transposeB)
  float* c;             // batch matrices, each M×N
  const float* bias;    // N floats, or 1 float broadcast, or nullptr
  int64_t biasSize;
  int64_t batch, batchA, batchB;  // batchA, batchB are batch or 1 (broadcast)
  int64_t m, n, k;
  bool transposeA, transposeB;
  Activation activation;
  float leakyAlpha;
};

void gemm(const GemmArgs& args);

// Grows a per-thread scratch buffer to at least n floats, never shrinking it: resize() to a size
// that alternates between calls would zero-fill the regrown part every time.
inline float* growScratch(std::vector<float>& buffer, size_t n) {
  if (buffer.size() < n) buffer.resize(n);
  return buffer.data();
}

// Which instruction set the products run on: "avx512", "avx2" or "generic".
const char* gemmIsa();

}  // namespace mmae
