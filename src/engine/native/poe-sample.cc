#include "poe-sample.h"

#include "gemm.h"  // growScratch

#include <algorithm>
#include <cmath>
#include <vector>

namespace mmae {
namespace {

constexpr float kMinLogVar = -12.0f, kMaxLogVar = 12.0f;

thread_local std::vector<float> scratch;

// Each expert's precision a·e^(−log σ²) for every row and dimension ([experts][rows·latent]),
// computed once and shared by every subset the expert belongs to; in a per-thread scratch buffer
// that only grows (every step asks for the same size).
const float* precisions(const PoeShape& shape, const float* const* params,
                        const float* const* present) {
  const int64_t L = shape.latent;
  float* w = growScratch(scratch, static_cast<size_t>(shape.experts * shape.rows * L));
  for (int64_t m = 0; m < shape.experts; ++m) {
    float* out = w + m * shape.rows * L;
    for (int64_t row = 0; row < shape.rows; ++row) {
      const float* logvar = params[m] + row * 2 * L + L;
      for (int64_t j = 0; j < L; ++j) {
        out[row * L + j] =
            std::exp(-std::clamp(logvar[j], kMinLogVar, kMaxLogVar)) * present[m][row];
      }
    }
  }
  return w;
}

// One subset's product at one row and dimension: T = base + Σ w_m, N = Σ w_m μ_m, mean N / T.
struct Product {
  float precision, mean;
};

Product product(const PoeShape& shape, const float* const* params, const float* w,
                const uint8_t* member, int64_t row, int64_t j) {
  const int64_t L = shape.latent, plane = shape.rows * L;
  float precision = shape.basePrecision, weightedMean = 0.0f;
  for (int64_t m = 0; m < shape.experts; ++m) {
    if (!member[m]) continue;
    const float wm = w[m * plane + row * L + j];
    precision += wm;
    weightedMean += wm * params[m][row * 2 * L + j];
  }
  return {precision, weightedMean / precision};
}

}  // namespace

// With log σ² = −log T: σ = T^(−½) and σ² = 1 / T.
void poeSample(const PoeShape& shape, const float* const* params, const float* const* present,
               const float* const* eps, float* const* z, float* const* kl) {
  const int64_t L = shape.latent;
  const float* w = precisions(shape, params, present);
  for (int64_t s = 0; s < shape.subsets; ++s) {
    const uint8_t* member = shape.member + s * shape.experts;
    for (int64_t row = 0; row < shape.rows; ++row) {
      float klSum = 0.0f;
      for (int64_t j = 0; j < L; ++j) {
        const Product q = product(shape, params, w, member, row, j);
        const float variance = 1.0f / q.precision;
        z[s][row * L + j] = q.mean + std::sqrt(variance) * eps[s][row * L + j];
        klSum += (q.mean * q.mean + variance) - (1.0f - std::log(q.precision));
      }
      kl[s][row] = klSum * 0.5f;
    }
  }
}

void poeSampleGrad(const PoeShape& shape, const float* const* params, const float* const* present,
                   const float* const* eps, const float* const* dz, const float* const* dkl,
                   float* const* dparams) {
  const int64_t L = shape.latent, plane = shape.rows * L;
  const float* w = precisions(shape, params, present);
  for (int64_t m = 0; m < shape.experts; ++m) std::fill_n(dparams[m], shape.rows * 2 * L, 0.0f);
  for (int64_t s = 0; s < shape.subsets; ++s) {
    const uint8_t* member = shape.member + s * shape.experts;
    for (int64_t row = 0; row < shape.rows; ++row) {
      const float gk = dkl[s][row];
      for (int64_t j = 0; j < L; ++j) {
        const Product q = product(shape, params, w, member, row, j);
        const float gz = dz[s][row * L + j];
        const float variance = 1.0f / q.precision;
        // z = M + σ·ε and kl = ½ Σ (M² + σ² − log σ² − 1), with M = N / T and log σ² = −log T.
        const float dMean = gz + gk * q.mean;
        const float dLogvar =
            gz * eps[s][row * L + j] * std::sqrt(variance) * 0.5f + gk * 0.5f * (variance - 1.0f);
        const float dPrecision = -(dLogvar + dMean * q.mean) * variance;
        const float dWeightedMean = dMean * variance;
        for (int64_t m = 0; m < shape.experts; ++m) {
          if (!member[m]) continue;
          const float* p = params[m] + row * 2 * L;
          float* d = dparams[m] + row * 2 * L;
          const float wm = w[m * plane + row * L + j];
          d[j] += dWeightedMean * wm;
          // w = a·e^(−log σ²): dw/d log σ² = −w; the clip passes the gradient inside its range.
          const float raw = p[L + j];
          if (raw >= kMinLogVar && raw <= kMaxLogVar) d[L + j] -= (dWeightedMean * p[j] + dPrecision) * wm;
        }
      }
    }
  }
}

}  // namespace mmae
