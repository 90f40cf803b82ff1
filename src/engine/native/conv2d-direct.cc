#include "conv2d-direct.h"

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

// Calls f(n, oh, ow, kh, ih, row) for every output pixel and filter row with valid taps.
template <typename F>
MMAE_INLINE void forEachTapRow(const ConvShape& s, F f) {
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t oh = 0; oh < s.outH; ++oh) {
      for (int64_t ow = 0; ow < s.outW; ++ow) {
        const Row row = rowOf(s, ow);
        for (int64_t kh = 0; kh < s.fH; ++kh) {
          const int64_t ih = oh * s.strideH - s.padTop + kh * s.dilationH;
          if (ih >= 0 && ih < s.inH && row.kw0 < row.kw1) f(n, oh, ow, kh, ih, row);
        }
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

MMAE_INLINE void forward(const ConvShape& s, const float* x, const float* wt, const float* bias,
                         int64_t biasSize, Activation act, float alpha, float* y) {
  const int64_t ci = s.inC, taps = s.fH * s.fW * ci;
  const int64_t pixels = s.batch * s.outH * s.outW;
  for (int64_t p = 0; p < pixels * s.outC; ++p) {
    y[p] = bias == nullptr ? 0.f : bias[biasSize == 1 ? 0 : p % s.outC];
  }
  forEachTapRow(s, [&](int64_t n, int64_t oh, int64_t ow, int64_t kh, int64_t ih, Row row) {
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
  });
  if (act != Activation::Linear) {
    for (int64_t p = 0; p < pixels * s.outC; ++p) y[p] = activate(y[p], act, alpha);
  }
}

MMAE_INLINE void backpropInput(const ConvShape& s, const float* dy, const float* wt, float* dx) {
  const int64_t ci = s.inC, taps = s.fH * s.fW * ci;
  std::memset(dx, 0, sizeof(float) * s.batch * s.inH * s.inW * ci);
  forEachTapRow(s, [&](int64_t n, int64_t oh, int64_t ow, int64_t kh, int64_t ih, Row row) {
    float* in = dx + ((n * s.inH + ih) * s.inW + row.iw0) * ci;
    const float* g = dy + ((n * s.outH + oh) * s.outW + ow) * s.outC;
    for (int64_t c = 0; c < s.outC; ++c) {
      const float* f = wt + c * taps + (kh * s.fW + row.kw0) * ci;
      for (int64_t kw = 0; kw < row.kw1 - row.kw0; ++kw) {
        axpy(g[c], f + kw * ci, in + kw * s.dilationW * ci, ci);
      }
    }
  });
}

MMAE_INLINE void backpropFilter(const ConvShape& s, const float* x, const float* dy, float* dwt) {
  const int64_t ci = s.inC, taps = s.fH * s.fW * ci;
  std::memset(dwt, 0, sizeof(float) * taps * s.outC);
  forEachTapRow(s, [&](int64_t n, int64_t oh, int64_t ow, int64_t kh, int64_t ih, Row row) {
    const float* in = x + ((n * s.inH + ih) * s.inW + row.iw0) * ci;
    const float* g = dy + ((n * s.outH + oh) * s.outW + ow) * s.outC;
    for (int64_t c = 0; c < s.outC; ++c) {
      float* f = dwt + c * taps + (kh * s.fW + row.kw0) * ci;
      for (int64_t kw = 0; kw < row.kw1 - row.kw0; ++kw) {
        axpy(g[c], in + kw * s.dilationW * ci, f + kw * ci, ci);
      }
    }
  });
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
                            float* y) {
  forward(s, x, wt, bias, biasSize, act, alpha, y);
}

MMAE_CLONES void runBackpropInput(const ConvShape& s, const float* dy, const float* wt,
                                  float* dx) {
  backpropInput(s, dy, wt, dx);
}

MMAE_CLONES void runBackpropFilter(const ConvShape& s, const float* x, const float* dy,
                                   float* dwt) {
  backpropFilter(s, x, dy, dwt);
}

}  // namespace

void conv2dDirect(const ConvShape& s, const float* x, const float* w, const float* bias,
                  int64_t biasSize, Activation activation, float leakyAlpha, float* y) {
  float* wt = growScratch(filterScratch, static_cast<size_t>(s.fH * s.fW * s.inC * s.outC));
  byOutputChannel(s, w, wt);
  runForward(s, x, wt, bias, biasSize, activation, leakyAlpha, y);
}

void conv2dBackpropInputDirect(const ConvShape& s, const float* dy, const float* w, float* dx) {
  float* wt = growScratch(filterScratch, static_cast<size_t>(s.fH * s.fW * s.inC * s.outC));
  byOutputChannel(s, w, wt);
  runBackpropInput(s, dy, wt, dx);
}

void conv2dBackpropFilterDirect(const ConvShape& s, const float* x, const float* dy, float* dw) {
  const int64_t taps = s.fH * s.fW * s.inC;
  float* dwt = growScratch(filterScratch, static_cast<size_t>(taps * s.outC));
  runBackpropFilter(s, x, dy, dwt);
  for (int64_t c = 0; c < s.outC; ++c) {
    for (int64_t t = 0; t < taps; ++t) dw[t * s.outC + c] = dwt[c * taps + t];
  }
}

}  // namespace mmae
