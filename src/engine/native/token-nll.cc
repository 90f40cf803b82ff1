#include "token-nll.h"

#include <cmath>

namespace mmae {
namespace {

float maxOf(const float* row, int64_t n) {
  float m = row[0];
  for (int64_t v = 1; v < n; ++v) m = row[v] > m ? row[v] : m;
  return m;
}

}  // namespace

void tokenNll(const float* logits, const int32_t* ids, float* out, const TokenNllShape& s) {
  for (int64_t r = 0; r < s.rows; ++r) {
    float sum = 0.f;
    for (int64_t p = 0; p < s.positions; ++p) {
      const int32_t id = ids[r * s.positions + p];
      if (id == s.pad || id < 0 || id >= s.vocab) continue;
      const float* row = logits + (r * s.positions + p) * s.vocab;
      const float m = maxOf(row, s.vocab);
      float total = 0.f;
      for (int64_t v = 0; v < s.vocab; ++v) total += std::exp(row[v] - m);
      const float logSumExp = m + std::log(total);
      sum += logSumExp - row[id];
    }
    out[r] = sum;
  }
}

void tokenNllGrad(const float* logits, const int32_t* ids, const float* dy, float* dlogits,
                  const TokenNllShape& s) {
  for (int64_t r = 0; r < s.rows; ++r) {
    const float g = dy[r];
    for (int64_t p = 0; p < s.positions; ++p) {
      const int64_t at = (r * s.positions + p) * s.vocab;
      const int32_t id = ids[r * s.positions + p];
      float* d = dlogits + at;
      if (id == s.pad || id < 0 || id >= s.vocab) {
        for (int64_t v = 0; v < s.vocab; ++v) d[v] = 0.f;
        continue;
      }
      const float* row = logits + at;
      const float m = maxOf(row, s.vocab);
      float total = 0.f;
      for (int64_t v = 0; v < s.vocab; ++v) total += (d[v] = std::exp(row[v] - m));
      const float scale = g / total;
      for (int64_t v = 0; v < s.vocab; ++v) d[v] *= scale;
      d[id] -= g;
    }
  }
}

}  // namespace mmae
