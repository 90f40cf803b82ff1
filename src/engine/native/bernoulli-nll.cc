// exp and log1p are written out (plain arithmetic, no library call): once per element in portable
// C++ and sixteen at a time in AVX-512, chosen at run time. glibc's scalar log1pf(expf(·)) took
// ~16 ns per pixel, slower than the tfjs kernels it replaced.
#include "bernoulli-nll.h"
#include "cpu-features.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define MMAE_X86 1
#endif

namespace mmae {
namespace {

// exp(y) for y ≤ 0 (and NaN): Cody–Waite reduction to |r| ≤ ln2/2 and Cephes' degree-6
// polynomial, within 2 ulp; below −87.3 the result would be denormal and is flushed to 0.
inline float expNonPositive(float y) {
  const float clamped = y < -87.3f ? -87.3f : y;
  const float n = std::floor(clamped * 1.44269504088896341f + 0.5f);
  float r = clamped - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  const float result = p * scale;
  return y < -87.3f ? 0.f : result;
}

// log(1 + t) for t ∈ [0, 1]: 2·atanh(s) with s = t / (2 + t) ∈ [0, 1/3], by its odd series to
// s¹³ (truncation below 2e-8 relative).
inline float log1pUnit(float t) {
  const float s = t / (2.f + t);
  const float s2 = s * s;
  float q = 1.f / 13.f;
  q = q * s2 + 1.f / 11.f;
  q = q * s2 + 1.f / 9.f;
  q = q * s2 + 1.f / 7.f;
  q = q * s2 + 1.f / 5.f;
  q = q * s2 + 1.f / 3.f;
  q = q * s2 + 1.f;
  return 2.f * s * q;
}

// One pixel's NLL, max(v, 0) − v·z + log1p(exp(−|v|)): the portable loop and the AVX-512 tails.
inline float pixelNll(float v, float z) {
  return (v > 0.f ? v : 0.f) - v * z + log1pUnit(expNonPositive(-std::fabs(v)));
}

void bernoulliNllPortable(const float* x, const float* z, float* out, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    const float* zr = z + r * cols;
    float sum = 0.f;
#pragma omp simd reduction(+ : sum)
    for (int64_t j = 0; j < cols; ++j) sum += pixelNll(xr[j], zr[j]);
    out[r] = sum;
  }
}

void bernoulliNllGradPortable(const float* __restrict x, const float* __restrict z,
                      const float* __restrict dy, float* __restrict dx, float* __restrict dz,
                      int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    const float* __restrict zr = z + r * cols;
    float* __restrict dxr = dx + r * cols;
    float* __restrict dzr = dz + r * cols;
    const float g = dy[r];
#pragma omp simd
    for (int64_t j = 0; j < cols; ++j) {
      const float v = xr[j];
      const float e = expNonPositive(-std::fabs(v));  // σ(v) without overflow on either side
      const float sigmoid = (v >= 0.f ? 1.f : e) / (1.f + e);
      dxr[j] = (sigmoid - zr[j]) * g;
      dzr[j] = -v * g;
    }
  }
}

#ifdef MMAE_X86

// expNonPositive and log1pUnit on sixteen lanes, the same constants and order.
__attribute__((target("avx512f"))) inline __m512 expNonPositive16(__m512 y) {
  const __m512 limit = _mm512_set1_ps(-87.3f);
  const __mmask16 tiny = _mm512_cmp_ps_mask(y, limit, _CMP_LT_OQ);
  const __m512 clamped = _mm512_max_ps(y, limit);  // NaN y: max returns limit, fixed below
  const __m512 n = _mm512_roundscale_ps(
      _mm512_add_ps(_mm512_mul_ps(clamped, _mm512_set1_ps(1.44269504088896341f)),
                    _mm512_set1_ps(0.5f)),
      _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_sub_ps(clamped, _mm512_mul_ps(n, _mm512_set1_ps(0.693359375f)));
  r = _mm512_sub_ps(r, _mm512_mul_ps(n, _mm512_set1_ps(-2.12194440e-4f)));
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(5.0000001201e-1f));
  p = _mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(p, _mm512_mul_ps(r, r)), r), _mm512_set1_ps(1.f));
  const __m512i bits = _mm512_slli_epi32(
      _mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23);
  __m512 result = _mm512_mul_ps(p, _mm512_castsi512_ps(bits));
  result = _mm512_mask_mov_ps(result, tiny, _mm512_setzero_ps());
  const __mmask16 nan = _mm512_cmp_ps_mask(y, y, _CMP_UNORD_Q);
  return _mm512_mask_mov_ps(result, nan, y);
}

__attribute__((target("avx512f"))) inline __m512 log1pUnit16(__m512 t) {
  const __m512 s = _mm512_div_ps(t, _mm512_add_ps(_mm512_set1_ps(2.f), t));
  const __m512 s2 = _mm512_mul_ps(s, s);
  __m512 q = _mm512_set1_ps(1.f / 13.f);
  for (const float c : {1.f / 11.f, 1.f / 9.f, 1.f / 7.f, 1.f / 5.f, 1.f / 3.f, 1.f})
    q = _mm512_add_ps(_mm512_mul_ps(q, s2), _mm512_set1_ps(c));
  return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(2.f), s), q);
}

__attribute__((target("avx512f"))) inline __m512 absolute16(__m512 v) {
  return _mm512_castsi512_ps(
      _mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(0x7fffffff)));
}

__attribute__((target("avx512f"))) void bernoulliNllAvx512(const float* x, const float* z,
                                                           float* out, int64_t rows,
                                                           int64_t cols) {
  const int64_t whole = cols - cols % 16;
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    const float* zr = z + r * cols;
    __m512 sum = _mm512_setzero_ps();
    for (int64_t j = 0; j < whole; j += 16) {
      const __m512 v = _mm512_loadu_ps(xr + j);
      const __m512 positive = _mm512_max_ps(v, _mm512_setzero_ps());
      const __m512 soft = log1pUnit16(expNonPositive16(_mm512_sub_ps(_mm512_setzero_ps(), absolute16(v))));
      sum = _mm512_add_ps(sum, _mm512_add_ps(_mm512_sub_ps(positive, _mm512_mul_ps(v, _mm512_loadu_ps(zr + j))), soft));
    }
    float tail = 0.f;
    for (int64_t j = whole; j < cols; ++j) tail += pixelNll(xr[j], zr[j]);
    out[r] = _mm512_reduce_add_ps(sum) + tail;
  }
}

__attribute__((target("avx512f"))) void bernoulliNllGradAvx512(const float* x, const float* z,
                                                               const float* dy, float* dx,
                                                               float* dz, int64_t rows,
                                                               int64_t cols) {
  const int64_t whole = cols - cols % 16;
  const __m512 one = _mm512_set1_ps(1.f);
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    const float* zr = z + r * cols;
    const __m512 g = _mm512_set1_ps(dy[r]);
    for (int64_t j = 0; j < whole; j += 16) {
      const __m512 v = _mm512_loadu_ps(xr + j);
      const __m512 e = expNonPositive16(_mm512_sub_ps(_mm512_setzero_ps(), absolute16(v)));
      const __mmask16 negative = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LT_OQ);
      const __m512 numerator = _mm512_mask_mov_ps(one, negative, e);
      const __m512 sigmoid = _mm512_div_ps(numerator, _mm512_add_ps(one, e));
      _mm512_storeu_ps(dx + r * cols + j,
                       _mm512_mul_ps(_mm512_sub_ps(sigmoid, _mm512_loadu_ps(zr + j)), g));
      _mm512_storeu_ps(dz + r * cols + j, _mm512_mul_ps(_mm512_sub_ps(_mm512_setzero_ps(), v), g));
    }
    if (whole < cols)
      bernoulliNllGradPortable(xr + whole, zr + whole, dy + r,
                               dx + r * cols + whole, dz + r * cols + whole, 1, cols - whole);
  }
}

#endif

}  // namespace

void bernoulliNll(const float* x, const float* z, float* out, int64_t rows, int64_t cols) {
#ifdef MMAE_X86
  if (cpuHasAvx512()) return bernoulliNllAvx512(x, z, out, rows, cols);
#endif
  bernoulliNllPortable(x, z, out, rows, cols);
}

void bernoulliNllGrad(const float* x, const float* z, const float* dy, float* dx, float* dz,
                      int64_t rows, int64_t cols) {
#ifdef MMAE_X86
  if (cpuHasAvx512()) return bernoulliNllGradAvx512(x, z, dy, dx, dz, rows, cols);
#endif
  bernoulliNllGradPortable(x, z, dy, dx, dz, rows, cols);
}

}  // namespace mmae
