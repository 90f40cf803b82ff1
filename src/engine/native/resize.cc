#include "resize.h"

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

}  // namespace

void resizeNearest(const float* x, float* y, const ResizeShape& s) {
  const auto rows = nearestTaps(s.inHeight, s.outHeight, s);
  const auto cols = nearestTaps(s.inWidth, s.outWidth, s);
  const int64_t c = s.channels;
  for (int64_t b = 0; b < s.batch; ++b) {
    const float* image = x + b * s.inHeight * s.inWidth * c;
    for (int64_t r = 0; r < s.outHeight; ++r) {
      const float* row = image + rows[r] * s.inWidth * c;
      for (int64_t col = 0; col < s.outWidth; ++col, y += c) {
        std::memcpy(y, row + cols[col] * c, static_cast<size_t>(c) * sizeof(float));
      }
    }
  }
}

void resizeNearestGrad(const float* dy, float* dx, const ResizeShape& s) {
  const auto rows = nearestTaps(s.inHeight, s.outHeight, s);
  const auto cols = nearestTaps(s.inWidth, s.outWidth, s);
  const int64_t c = s.channels;
  std::fill(dx, dx + s.batch * s.inHeight * s.inWidth * c, 0.f);
  for (int64_t b = 0; b < s.batch; ++b) {
    float* image = dx + b * s.inHeight * s.inWidth * c;
    for (int64_t r = 0; r < s.outHeight; ++r) {
      float* row = image + rows[r] * s.inWidth * c;
      for (int64_t col = 0; col < s.outWidth; ++col, dy += c) addTo(row + cols[col] * c, dy, c);
    }
  }
}

void resizeBilinear(const float* x, float* y, const ResizeShape& s) {
  const auto rows = bilinearTaps(s.inHeight, s.outHeight, s);
  const auto cols = bilinearTaps(s.inWidth, s.outWidth, s);
  const int64_t c = s.channels, rowStride = s.inWidth * c;
  for (int64_t b = 0; b < s.batch; ++b) {
    const float* image = x + b * s.inHeight * rowStride;
    for (const Lerp& row : rows) {
      const float* top = image + row.low * rowStride;
      const float* bottom = image + row.high * rowStride;
      const float rowFrac = row.frac;
      for (const Lerp& col : cols) {
        const float *tl = top + col.low * c, *tr = top + col.high * c;
        const float *bl = bottom + col.low * c, *br = bottom + col.high * c;
        lerp(tl, tr, bl, br, col.frac, rowFrac, y, c);
        y += c;
      }
    }
  }
}

void resizeBilinearGrad(const float* dy, float* dx, const ResizeShape& s) {
  const auto rows = bilinearTaps(s.inHeight, s.outHeight, s);
  const auto cols = bilinearTaps(s.inWidth, s.outWidth, s);
  const int64_t c = s.channels, rowStride = s.inWidth * c;
  std::fill(dx, dx + s.batch * s.inHeight * rowStride, 0.f);
  for (int64_t b = 0; b < s.batch; ++b) {
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

}  // namespace mmae
