#include "conv2d-direct.h"

#include "thread-pool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace mmae {
namespace {

#define MMAE_INLINE inline __attribute__((always_inline))

MMAE_INLINE float dot(const float* __restrict a, const float* __restrict b, int64_t n) {
  float sum = 0.f;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

MMAE_INLINE void axpy(float alpha, const float* __restrict x, float* __restrict y, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// The same activations as gemm.cc's (NaN passes through, as in tfjs).
inline float activate(float v, Activation a, float alpha) {
  switch (a) {
    case Activation::Linear: return v;
    case Activation::Relu: return v > 0.f || std::isnan(v) ? v : 0.f;
    case Activation::Relu6: return std::isnan(v) ? v : std::fmin(std::fmax(v, 0.f), 6.f);
    case Activation::LeakyRelu: return v > 0.f || std::isnan(v) ? v : alpha * v;
    case Activation::Sigmoid: return 1.f / (1.f + std::exp(-v));
    case Activation::Elu: return v > 0.f || std::isnan(v) ? v : std::expm1(v);
  }
  return v;
}

// The taps of one output pixel along one filter row: the valid kw range [kw0, kw1) and the input
// column of kw0. With dilation 1 the taps' inputs are contiguous, (kw1 − kw0)·inC floats.
struct Row {
  int64_t kw0, kw1, iw0;
};

MMAE_INLINE Row rowOf(const ConvShape& s, int64_t ow) {
  const int64_t base = ow * s.strideW - s.padLeft;
  int64_t kw0 = 0, kw1 = s.fW;
  while (kw0 < kw1 && base + kw0 * s.dilationW < 0) ++kw0;
  while (kw1 > kw0 && base + (kw1 - 1) * s.dilationW >= s.inW) --kw1;
  return {kw0, kw1, base + kw0 * s.dilationW};
}

// Calls f(n, oh, ow, kh, ih, row) for every output pixel and filter row with valid taps, over
// output rows [first, last) of the batch (row n·outH + oh).
template <typename F>
MMAE_INLINE void forEachTapRow(const ConvShape& s, int64_t first, int64_t last, F f) {
  for (int64_t r = first; r < last; ++r) {
    const int64_t n = r / s.outH, oh = r % s.outH;
    for (int64_t ow = 0; ow < s.outW; ++ow) {
      const Row row = rowOf(s, ow);
      for (int64_t kh = 0; kh < s.fH; ++kh) {
        const int64_t ih = oh * s.strideH - s.padTop + kh * s.dilationH;
        if (ih >= 0 && ih < s.inH && row.kw0 < row.kw1) f(n, oh, ow, kh, ih, row);
      }
    }
  }
}

// w [fH, fW, inC, outC] as [outC, fH, fW, inC]: each output channel's filter contiguous.
void byOutputChannel(const ConvShape& s, const float* w, float* out) {
  const int64_t taps = s.fH * s.fW * s.inC;
  for (int64_t t = 0; t < taps; ++t) {
    for (int64_t c = 0; c < s.outC; ++c) out[c * taps + t] = w[t * s.outC + c];
  }
}

thread_local std::vector<float> filterScratch;

// Output rows [first, last) of the batch (row n·outH + oh): each output is written by the call
// that holds its row, so splitting the rows changes no bit.
MMAE_INLINE void forward(const ConvShape& s, const float* x, const float* wt, const float* bias,
                         int64_t biasSize, Activation act, float alpha, float* y, int64_t first,
                         int64_t last) {
  const int64_t ci = s.inC, taps = s.fH * s.fW * ci;
  const int64_t begin = first * s.outW * s.outC, end = last * s.outW * s.outC;
  for (int64_t p = begin; p < end; ++p) {
    y[p] = bias == nullptr ? 0.f : bias[biasSize == 1 ? 0 : p % s.outC];
  }
  const auto tap = [&](int64_t n, int64_t oh, int64_t ow, int64_t kh, int64_t ih, Row row) {
    const float* in = x + ((n * s.inH + ih) * s.inW + row.iw0) * ci;
    float* out = y + ((n * s.outH + oh) * s.outW + ow) * s.outC;
    for (int64_t c = 0; c < s.outC; ++c) {
      const float* f = wt + c * taps + (kh * s.fW + row.kw0) * ci;
      if (s.dilationW == 1) {
        out[c] += dot(in, f, (row.kw1 - row.kw0) * ci);
      } else {
        for (int64_t kw = 0; kw < row.kw1 - row.kw0; ++kw) {
          out[c] += dot(in + kw * s.dilationW * ci, f + kw * ci, ci);
        }
      }
    }
  };
  forEachTapRow(s, first, last, tap);
  if (act != Activation::Linear) {
    for (int64_t p = begin; p < end; ++p) y[p] = activate(y[p], act, alpha);
  }
}

// Images [first, last): an image's dx gathers from its own output rows only, so splitting the
// batch changes no bit.
MMAE_INLINE void backpropInput(const ConvShape& s, const float* dy, const float* wt, float* dx,
                               int64_t first, int64_t last) {
  const int64_t ci = s.inC, taps = s.fH * s.fW * ci, image = s.inH * s.inW * ci;
  std::memset(dx + first * image, 0, sizeof(float) * static_cast<size_t>((last - first) * image));
  const auto tap = [&](int64_t n, int64_t oh, int64_t ow, int64_t kh, int64_t ih, Row row) {
    float* in = dx + ((n * s.inH + ih) * s.inW + row.iw0) * ci;
    const float* g = dy + ((n * s.outH + oh) * s.outW + ow) * s.outC;
    for (int64_t c = 0; c < s.outC; ++c) {
      const float* f = wt + c * taps + (kh * s.fW + row.kw0) * ci;
      for (int64_t kw = 0; kw < row.kw1 - row.kw0; ++kw) {
        axpy(g[c], f + kw * ci, in + kw * s.dilationW * ci, ci);
      }
    }
  };
  forEachTapRow(s, first * s.outH, last * s.outH, tap);
}

// The sum over images [first, last) into dwt ([outC, fH, fW, inC]).
MMAE_INLINE void backpropFilter(const ConvShape& s, const float* x, const float* dy, float* dwt,
                                int64_t first, int64_t last) {
  const int64_t ci = s.inC, taps = s.fH * s.fW * ci;
  std::memset(dwt, 0, sizeof(float) * static_cast<size_t>(taps * s.outC));
  const auto tap = [&](int64_t n, int64_t oh, int64_t ow, int64_t kh, int64_t ih, Row row) {
    const float* in = x + ((n * s.inH + ih) * s.inW + row.iw0) * ci;
    const float* g = dy + ((n * s.outH + oh) * s.outW + ow) * s.outC;
    for (int64_t c = 0; c < s.outC; ++c) {
      float* f = dwt + c * taps + (kh * s.fW + row.kw0) * ci;
      for (int64_t kw = 0; kw < row.kw1 - row.kw0; ++kw) {
        axpy(g[c], in + kw * s.dilationW * ci, f + kw * ci, ci);
      }
    }
  };
  forEachTapRow(s, first * s.outH, last * s.outH, tap);
}

// One copy of each loop per instruction set, chosen at load time (GCC's target_clones), so one
// build runs on any x86-64 and vectorises 16 wide where AVX-512 exists.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MMAE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MMAE_CLONES
#endif

MMAE_CLONES void runForward(const ConvShape& s, const float* x, const float* wt,
                            const float* bias, int64_t biasSize, Activation act, float alpha,
                            float* y, int64_t first, int64_t last) {
  forward(s, x, wt, bias, biasSize, act, alpha, y, first, last);
}

MMAE_CLONES void runBackpropInput(const ConvShape& s, const float* dy, const float* wt,
                                  float* dx, int64_t first, int64_t last) {
  backpropInput(s, dy, wt, dx, first, last);
}

MMAE_CLONES void runBackpropFilter(const ConvShape& s, const float* x, const float* dy,
                                   float* dwt, int64_t first, int64_t last) {
  backpropFilter(s, x, dy, dwt, first, last);
}

// Multiply-adds of one output row (all its channels), and the rows a part takes at least so
// that it has kMinMultiplyAddsPerPart of them: below that a loop stays on one thread. 2^20
// multiply-adds take ~0.1–0.2 ms in these loops (~5–12 GFLOP/s, BENCHMARKS.md), several times
// what waking a worker and joining it cost.
constexpr int64_t kMinMultiplyAddsPerPart = int64_t{1} << 20;

int64_t rowWork(const ConvShape& s) {
  return std::max<int64_t>(1, s.outW * s.fH * s.fW * s.inC * s.outC);
}

int64_t atLeast(int64_t work) {
  return (kMinMultiplyAddsPerPart + work - 1) / std::max<int64_t>(1, work);
}

// The filter gradient sums over the batch in chunks of this many images, each chunk into its
// own partial sum, and adds the partials in chunk order: the chunks depend on the shape alone
// (about kMinMultiplyAddsPerPart multiply-adds each), so the result has the same bits on any
// number of threads, and the threads share the chunks out.
int64_t imagesPerChunk(const ConvShape& s) {
  return std::clamp<int64_t>(atLeast(s.outH * rowWork(s)), 1, std::max<int64_t>(1, s.batch));
}

thread_local std::vector<float> chunkSums;

}  // namespace

void conv2dDirect(const ConvShape& s, const float* x, const float* w, const float* bias,
                  int64_t biasSize, Activation activation, float leakyAlpha, float* y) {
  float* wt = growScratch(filterScratch, static_cast<size_t>(s.fH * s.fW * s.inC * s.outC));
  byOutputChannel(s, w, wt);
  parallelFor(s.batch * s.outH, atLeast(rowWork(s)), [&](int64_t first, int64_t last) {
    runForward(s, x, wt, bias, biasSize, activation, leakyAlpha, y, first, last);
  });
}

void conv2dBackpropInputDirect(const ConvShape& s, const float* dy, const float* w, float* dx) {
  float* wt = growScratch(filterScratch, static_cast<size_t>(s.fH * s.fW * s.inC * s.outC));
  byOutputChannel(s, w, wt);
  parallelFor(s.batch, atLeast(s.outH * rowWork(s)), [&](int64_t first, int64_t last) {
    runBackpropInput(s, dy, wt, dx, first, last);
  });
}

void conv2dBackpropFilterDirect(const ConvShape& s, const float* x, const float* dy, float* dw) {
  const int64_t taps = s.fH * s.fW * s.inC;
  const int64_t size = taps * s.outC, images = imagesPerChunk(s);
  const int64_t chunks = std::max<int64_t>(1, (s.batch + images - 1) / images);
  float* sums = growScratch(chunkSums, static_cast<size_t>(chunks * size));
  if (s.batch == 0) std::memset(sums, 0, sizeof(float) * static_cast<size_t>(size));
  parallelFor(s.batch == 0 ? 0 : chunks, 1, [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i) {
      runBackpropFilter(s, x, dy, sums + i * size, i * images,
                        std::min(s.batch, (i + 1) * images));
    }
  });
  for (int64_t i = 1; i < chunks; ++i) {
    const float* __restrict from = sums + i * size;
    for (int64_t j = 0; j < size; ++j) sums[j] += from[j];
  }
  for (int64_t c = 0; c < s.outC; ++c) {
    for (int64_t t = 0; t < taps; ++t) dw[t * s.outC + c] = sums[c * taps + t];
  }
}

}  // namespace mmae
