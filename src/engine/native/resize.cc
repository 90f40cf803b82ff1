#include "resize.h"

#include "thread-pool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace mmae {
namespace {

double scaleOf(int64_t in, int64_t out, bool alignCorners) {
  return alignCorners && out > 1 ? static_cast<double>(in - 1) / static_cast<double>(out - 1)
                                 : static_cast<double>(in) / static_cast<double>(out);
}

// The source index of each target index along one axis.
std::vector<int64_t> nearestTaps(int64_t in, int64_t out, const ResizeShape& s) {
  const double scale = scaleOf(in, out, s.alignCorners);
  std::vector<int64_t> taps(static_cast<size_t>(out));
  for (int64_t t = 0; t < out; ++t) {
    const double source = s.halfPixelCenters ? scale * (t + 0.5) : scale * t;
    // JavaScript's Math.round, which tfjs uses: halves round up.
    int64_t nearest =
        static_cast<int64_t>(s.alignCorners ? std::floor(source + 0.5) : std::floor(source));
    nearest = std::min(in - 1, nearest);
    if (s.halfPixelCenters) nearest = std::max<int64_t>(0, nearest);
    taps[static_cast<size_t>(t)] = nearest;
  }
  return taps;
}

struct Lerp {
  int64_t low, high;
  float frac;  // the weight of `high`; `low` gets 1 − frac
};

std::vector<Lerp> bilinearTaps(int64_t in, int64_t out, const ResizeShape& s) {
  const double scale = scaleOf(in, out, s.alignCorners);
  std::vector<Lerp> taps(static_cast<size_t>(out));
  for (int64_t t = 0; t < out; ++t) {
    const double source = s.halfPixelCenters ? scale * (t + 0.5) - 0.5 : scale * t;
    const int64_t low = std::max<int64_t>(0, static_cast<int64_t>(std::floor(source)));
    const int64_t high = std::min<int64_t>(in - 1, static_cast<int64_t>(std::ceil(source)));
    const float frac = static_cast<float>(source - static_cast<double>(low));
    taps[static_cast<size_t>(t)] = {low, high, frac};
  }
  return taps;
}

// The channel loops, apart so that each vectorises (restrict pointers, one loop each).
void addTo(float* __restrict to, const float* __restrict from, int64_t n) {
  for (int64_t d = 0; d < n; ++d) to[d] += from[d];
}

void addScaled(float* __restrict to, const float* __restrict from, float w, int64_t n) {
  for (int64_t d = 0; d < n; ++d) to[d] += from[d] * w;
}

// tfjs's order of operations: across the columns first, then down the rows.
void lerp(const float* __restrict tl, const float* __restrict tr, const float* __restrict bl,
          const float* __restrict br, float colFrac, float rowFrac, float* __restrict out,
          int64_t n) {
  for (int64_t d = 0; d < n; ++d) {
    const float upper = tl[d] + (tr[d] - tl[d]) * colFrac;
    const float lower = bl[d] + (br[d] - bl[d]) * colFrac;
    out[d] = upper + (lower - upper) * rowFrac;
  }
}

// The bilinear gradient of images [first, last).
void bilinearGradImages(const float* dy, float* dx, const ResizeShape& s,
                        const std::vector<Lerp>& rows, const std::vector<Lerp>& cols,
                        int64_t first, int64_t last) {
  const int64_t c = s.channels, rowStride = s.inWidth * c;
  std::fill(dx + first * s.inHeight * rowStride, dx + last * s.inHeight * rowStride, 0.f);
  dy += first * s.outHeight * s.outWidth * c;
  for (int64_t b = first; b < last; ++b) {
    float* image = dx + b * s.inHeight * rowStride;
    for (const Lerp& row : rows) {
      float* top = image + row.low * rowStride;
      float* bottom = image + row.high * rowStride;
      for (const Lerp& col : cols) {
        // The forward value is Σ weight·corner, so each corner receives weight·dy. The corners
        // may coincide (an edge, an exact source coordinate): they are added one after another.
        const float wTop = 1.f - row.frac, wBottom = row.frac;
        const float wLeft = 1.f - col.frac, wRight = col.frac;
        const float weights[4] = {wTop * wLeft, wTop * wRight, wBottom * wLeft, wBottom * wRight};
        float* corners[4] = {top + col.low * c, top + col.high * c, bottom + col.low * c,
                             bottom + col.high * c};
        for (int k = 0; k < 4; ++k) addScaled(corners[k], dy, weights[k], c);
        dy += c;
      }
    }
  }
}

// Below this many floats written per part a resize stays on one thread: 2^18 floats (1 MB) take
// ~50–100 µs here, more than waking a worker and joining it (10–40 µs).
constexpr int64_t kMinFloatsPerPart = int64_t{1} << 18;

int64_t atLeast(int64_t floats) {
  return (kMinFloatsPerPart + floats - 1) / std::max<int64_t>(1, floats);
}

}  // namespace

// The forward resizes are split over output rows (image b, row r), each written by one thread;
// the gradients over images, each image's dx summed by one thread in the order of the
// single-threaded loop. Either way every output has the same bits on any number of threads.
void resizeNearest(const float* x, float* y, const ResizeShape& s) {
  const auto rows = nearestTaps(s.inHeight, s.outHeight, s);
  const auto cols = nearestTaps(s.inWidth, s.outWidth, s);
  const int64_t c = s.channels;
  parallelFor(s.batch * s.outHeight, atLeast(s.outWidth * c), [&](int64_t first, int64_t last) {
    float* out = y + first * s.outWidth * c;
    for (int64_t i = first; i < last; ++i) {
      const int64_t b = i / s.outHeight, r = i % s.outHeight;
      const float* row = x + (b * s.inHeight + rows[r]) * s.inWidth * c;
      for (int64_t col = 0; col < s.outWidth; ++col, out += c) {
        std::memcpy(out, row + cols[col] * c, static_cast<size_t>(c) * sizeof(float));
      }
    }
  });
}

void resizeNearestGrad(const float* dy, float* dx, const ResizeShape& s) {
  const auto rows = nearestTaps(s.inHeight, s.outHeight, s);
  const auto cols = nearestTaps(s.inWidth, s.outWidth, s);
  const int64_t c = s.channels, inImage = s.inHeight * s.inWidth * c;
  const int64_t outImage = s.outHeight * s.outWidth * c;
  parallelFor(s.batch, atLeast(outImage), [&](int64_t first, int64_t last) {
    std::fill(dx + first * inImage, dx + last * inImage, 0.f);
    for (int64_t b = first; b < last; ++b) {
      float* image = dx + b * inImage;
      const float* g = dy + b * outImage;
      for (int64_t r = 0; r < s.outHeight; ++r) {
        float* row = image + rows[r] * s.inWidth * c;
        for (int64_t col = 0; col < s.outWidth; ++col, g += c) addTo(row + cols[col] * c, g, c);
      }
    }
  });
}

void resizeBilinear(const float* x, float* y, const ResizeShape& s) {
  const auto rows = bilinearTaps(s.inHeight, s.outHeight, s);
  const auto cols = bilinearTaps(s.inWidth, s.outWidth, s);
  const int64_t c = s.channels, rowStride = s.inWidth * c;
  parallelFor(s.batch * s.outHeight, atLeast(s.outWidth * c), [&](int64_t first, int64_t last) {
    float* out = y + first * s.outWidth * c;
    for (int64_t i = first; i < last; ++i) {
      const int64_t b = i / s.outHeight;
      const Lerp& row = rows[static_cast<size_t>(i % s.outHeight)];
      const float* image = x + b * s.inHeight * rowStride;
      const float* top = image + row.low * rowStride;
      const float* bottom = image + row.high * rowStride;
      const float rowFrac = row.frac;
      for (const Lerp& col : cols) {
        const float *tl = top + col.low * c, *tr = top + col.high * c;
        const float *bl = bottom + col.low * c, *br = bottom + col.high * c;
        lerp(tl, tr, bl, br, col.frac, rowFrac, out, c);
        out += c;
      }
    }
  });
}

void resizeBilinearGrad(const float* dy, float* dx, const ResizeShape& s) {
  const auto rows = bilinearTaps(s.inHeight, s.outHeight, s);
  const auto cols = bilinearTaps(s.inWidth, s.outWidth, s);
  const int64_t outImage = s.outHeight * s.outWidth * s.channels;
  parallelFor(s.batch, atLeast(outImage), [&](int64_t first, int64_t last) {
    bilinearGradImages(dy, dx, s, rows, cols, first, last);
  });
}

}  // namespace mmae
