#include "max-pool.h"

#include "thread-pool.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace mmae {
namespace {

// The taps of one output position along one axis that fall inside the image: first, count.
struct Span {
  int64_t first, count;
};

Span span(int64_t out, int64_t stride, int64_t pad, int64_t filter, int64_t dilation,
          int64_t in) {
  const int64_t corner = out * stride - pad;
  int64_t k = 0;
  while (k < filter && corner + k * dilation < 0) ++k;
  int64_t end = k;
  while (end < filter && corner + end * dilation < in) ++end;
  return {corner + k * dilation, end - k};
}

// Where a value is greater than the max so far, it becomes the max and its pixel the argmax.
void takeGreater(const float* __restrict v, float* __restrict m, int32_t* __restrict at,
                 int32_t pixel, int64_t n) {
  // A mask, not a select: GCC does not if-convert the select of the index here.
  for (int64_t d = 0; d < n; ++d) {
    const float value = v[d], current = m[d];
    const int32_t take = -static_cast<int32_t>(value > current);
    at[d] = (pixel & take) | (at[d] & ~take);
    m[d] = value > current ? value : current;
  }
}

thread_local std::vector<float> best;
thread_local std::vector<int32_t> where;

// The first maximum of each channel of one window into best[] and where[] (its pixel's index in
// the image, −1 when the window holds no number). 32-bit indices, so that the select vectorises
// on SSE2 too (the addon is built for baseline x86-64).
void windowMax(const float* image, const PoolShape& s, Span rows, Span cols, float* m,
               int32_t* at) {
  const int64_t c = s.channels;
  std::fill(m, m + c, -std::numeric_limits<float>::infinity());
  std::fill(at, at + c, -1);
  for (int64_t i = 0; i < rows.count; ++i) {
    const int64_t row = rows.first + i * s.dilationHeight;
    for (int64_t j = 0; j < cols.count; ++j) {
      const int64_t col = cols.first + j * s.dilationWidth;
      const int32_t pixel = static_cast<int32_t>(row * s.inWidth + col);
      takeGreater(image + pixel * c, m, at, pixel, c);
    }
  }
}

// Below this many input floats read per part a pool stays on one thread: 2^18 floats (1 MB)
// take ~50–100 µs here, more than waking a worker and joining it (10–40 µs).
constexpr int64_t kMinFloatsPerPart = int64_t{1} << 18;

int64_t atLeast(int64_t floats) {
  return (kMinFloatsPerPart + floats - 1) / std::max<int64_t>(1, floats);
}

}  // namespace

// The forward pool is split over output rows (image b, row r), each written by one thread; the
// gradient over images, each image's dx summed by one thread in the order of the single-threaded
// loop. Either way every output has the same bits on any number of threads.
void maxPool(const float* x, float* y, const PoolShape& s) {
  const int64_t c = s.channels;
  const int64_t rowReads = s.outWidth * s.filterHeight * s.filterWidth * c;
  parallelFor(s.batch * s.outHeight, atLeast(rowReads), [&](int64_t first, int64_t last) {
    float* out = y + first * s.outWidth * c;
    for (int64_t i = first; i < last; ++i) {
      const int64_t b = i / s.outHeight, r = i % s.outHeight;
      const float* image = x + b * s.inHeight * s.inWidth * c;
      const Span rows = span(r, s.strideHeight, s.padTop, s.filterHeight, s.dilationHeight,
                             s.inHeight);
      for (int64_t col = 0; col < s.outWidth; ++col, out += c) {
        const Span cols = span(col, s.strideWidth, s.padLeft, s.filterWidth, s.dilationWidth,
                               s.inWidth);
        float* __restrict o = out;
        std::fill(o, o + c, -std::numeric_limits<float>::infinity());
        for (int64_t k = 0; k < rows.count; ++k) {
          const int64_t row = rows.first + k * s.dilationHeight;
          for (int64_t j = 0; j < cols.count; ++j) {
            const float* __restrict v =
                image + (row * s.inWidth + cols.first + j * s.dilationWidth) * c;
#pragma omp simd
            for (int64_t d = 0; d < c; ++d) o[d] = v[d] > o[d] ? v[d] : o[d];
          }
        }
      }
    }
  });
}

void maxPoolGrad(const float* x, const float* dy, float* dx, const PoolShape& s) {
  const int64_t c = s.channels, imageSize = s.inHeight * s.inWidth * c;
  const int64_t imageReads = s.outHeight * s.outWidth * s.filterHeight * s.filterWidth * c;
  parallelFor(s.batch, atLeast(imageReads), [&](int64_t first, int64_t last) {
    best.resize(static_cast<size_t>(c));
    where.resize(static_cast<size_t>(c));
    float* m = best.data();
    const int32_t* at = where.data();
    std::fill(dx + first * imageSize, dx + last * imageSize, 0.f);
    const float* g = dy + first * s.outHeight * s.outWidth * c;
    for (int64_t b = first; b < last; ++b) {
      const float* image = x + b * imageSize;
      float* grad = dx + b * imageSize;
      for (int64_t r = 0; r < s.outHeight; ++r) {
        const Span rows = span(r, s.strideHeight, s.padTop, s.filterHeight, s.dilationHeight,
                               s.inHeight);
        for (int64_t col = 0; col < s.outWidth; ++col, g += c) {
          const Span cols = span(col, s.strideWidth, s.padLeft, s.filterWidth, s.dilationWidth,
                                 s.inWidth);
          windowMax(image, s, rows, cols, m, where.data());
          for (int64_t d = 0; d < c; ++d) {
            if (at[d] >= 0) grad[at[d] * c + d] += g[d];
          }
        }
      }
    }
  });
}

}  // namespace mmae
