// Register-blocked matrix products. Whole blocks of A (transposed or not) and whole untransposed
// panels of B are read in place; a transposed B and the ragged last block of either operand are
// packed into panels first. A microkernel keeps an MR×NR block of C in registers across a K slice. The instruction set is
// chosen once at run time, so one build runs on any x86-64 and uses AVX-512 where it exists.
#include "gemm.h"
#include "cpu-features.h"
#include "thread-pool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define MMAE_X86 1
#endif

namespace mmae {
namespace {

constexpr int64_t KC = 256;  // K slice: an MR×KC block of A and a KC×NR panel of B stay in cache

// Packs rows [i0, i0+mr) of op(A), k in [k0, k0+kc), as kc groups of MR floats (zero padded).
void packA(const float* a, bool transposed, int64_t m, int64_t k, int64_t i0, int64_t mr,
           int64_t k0, int64_t kc, int MR, float* out) {
  for (int64_t kk = 0; kk < kc; ++kk) {
    float* dst = out + kk * MR;
    for (int64_t i = 0; i < mr; ++i) {
      const int64_t row = i0 + i, col = k0 + kk;
      dst[i] = transposed ? a[col * m + row] : a[row * k + col];
    }
    for (int64_t i = mr; i < MR; ++i) dst[i] = 0.f;
  }
}

#if defined(__x86_64__) || defined(_M_X64)
// packB's transposed case for whole panels on AVX-512: column j of op(B) is row j of B, so each
// packed row gathers one float from each of NR rows of B (16 per gather) instead of NR strided
// scalar stores: dx = dz·Wᵀ packs all of W every call.
__attribute__((target("avx512f"))) void packTransposedAvx512(const float* b, int64_t k, int64_t j0,
                                                             int64_t k0, int64_t kc, int NR,
                                                             float* out) {
  const __m512i rows = _mm512_mullo_epi32(
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
      _mm512_set1_epi32(static_cast<int>(k)));
  for (int half = 0; half < NR; half += 16) {
    const float* base = b + (j0 + half) * k + k0;
    for (int64_t kk = 0; kk < kc; ++kk) {
      // The masked form: the plain one starts from _mm512_undefined_ps, which GCC 12 warns about.
      _mm512_storeu_ps(out + kk * NR + half,
                       _mm512_mask_i32gather_ps(_mm512_setzero_ps(), 0xFFFF, rows, base + kk, 4));
    }
  }
}
#endif

// Packs columns [j0, j0+nr) of op(B), k in [k0, k0+kc), as kc rows of NR floats (zero padded).
void packB(const float* b, bool transposed, int64_t k, int64_t n, int64_t j0, int64_t nr,
           int64_t k0, int64_t kc, int NR, float* out) {
#if defined(__x86_64__) || defined(_M_X64)
  // 16 gathered offsets of k floats must fit in int32.
  if (transposed && nr == NR && NR % 16 == 0 && cpuHasAvx512() && 16 * k < (int64_t{1} << 31)) {
    return packTransposedAvx512(b, k, j0, k0, kc, NR, out);
  }
#endif
  if (transposed) {
    // Column j of op(B) is row j0 + j of B: read it contiguously, write it with stride NR.
    for (int64_t j = 0; j < nr; ++j) {
      const float* src = b + (j0 + j) * k + k0;
      for (int64_t kk = 0; kk < kc; ++kk) out[kk * NR + j] = src[kk];
    }
  } else {
    for (int64_t kk = 0; kk < kc; ++kk) std::memcpy(out + kk * NR, b + (k0 + kk) * n + j0, nr * sizeof(float));
  }
  for (int64_t kk = 0; kk < kc; ++kk)
    for (int64_t j = nr; j < NR; ++j) out[kk * NR + j] = 0.f;
}

// Every microkernel reads A's element (i, kk) at ap[i·rowA + kk·stepA] and B's (kk, j) at
// bp[kk·ldb + j]: a packed block (rowA 1, stepA MR, ldb NR) or the operand in place (rowA = its
// row length, stepA 1, ldb = N), so operands that need no transpose or padding are not copied.
struct Panel {
  const float* ap;
  int64_t rowA, stepA;
  const float* bp;
  int64_t ldb;
};

void kernelGeneric(int64_t kc, const Panel& p, float* tile) {
  constexpr int MR = 4, NR = 16;
  float acc[MR][NR] = {};
  for (int64_t kk = 0; kk < kc; ++kk)
    for (int i = 0; i < MR; ++i) {
      const float av = p.ap[i * p.rowA + kk * p.stepA];
      for (int j = 0; j < NR; ++j) acc[i][j] += av * p.bp[kk * p.ldb + j];
    }
  std::memcpy(tile, acc, sizeof(acc));
}

#ifdef MMAE_X86
__attribute__((target("avx2,fma"))) void kernelAvx2(int64_t kc, const Panel& p, float* tile) {
  constexpr int MR = 6, NR = 16;
  __m256 acc[MR][2];
  for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  for (int64_t kk = 0; kk < kc; ++kk) {
    const float* b = p.bp + kk * p.ldb;
    const float* a = p.ap + kk * p.stepA;
    const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    for (int i = 0; i < MR; ++i) {
      const __m256 av = _mm256_broadcast_ss(a + i * p.rowA);
      acc[i][0] = _mm256_fmadd_ps(av, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(av, b1, acc[i][1]);
    }
  }
  for (int i = 0; i < MR; ++i) {
    _mm256_storeu_ps(tile + i * NR, acc[i][0]);
    _mm256_storeu_ps(tile + i * NR + 8, acc[i][1]);
  }
}

// The 12 × 32 product of an A block and a B panel over kc, into 24 registers. Inlined into both
// AVX-512 kernels below, so the accumulators never leave the registers.
__attribute__((target("avx512f"), always_inline)) inline void multiplyAvx512(
    int64_t kc, const Panel& p, __m512 (&acc)[12][2]) {
  for (int i = 0; i < 12; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (int64_t kk = 0; kk < kc; ++kk) {
    const float* b = p.bp + kk * p.ldb;
    const float* a = p.ap + kk * p.stepA;
    const __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
    for (int i = 0; i < 12; ++i) {
      const __m512 av = _mm512_set1_ps(a[i * p.rowA]);
      acc[i][0] = _mm512_fmadd_ps(av, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(av, b1, acc[i][1]);
    }
  }
}

__attribute__((target("avx512f"))) void kernelAvx512(int64_t kc, const Panel& p, float* tile) {
  constexpr int MR = 12, NR = 32;
  __m512 acc[MR][2];
  multiplyAvx512(kc, p, acc);
  for (int i = 0; i < MR; ++i) {
    _mm512_storeu_ps(tile + i * NR, acc[i][0]);
    _mm512_storeu_ps(tile + i * NR + 16, acc[i][1]);
  }
}

// How a whole tile written straight from the registers ends: added to what an earlier K slice
// left in C, and on the last slice plus the bias and through ReLU.
struct DirectEpilogue {
  bool accumulate;
  const float* bias;  // this tile's first bias, or nullptr (no bias, or not the last slice)
  bool scalarBias, relu;
};

// kernelAvx512 for a whole tile, stored from the registers into C: no pass through a tile
// buffer and a scalar epilogue.
__attribute__((target("avx512f"))) void directAvx512(int64_t kc, const Panel& p, float* c,
                                                     int64_t ldc, const DirectEpilogue& e) {
  constexpr int MR = 12;
  __m512 acc[MR][2];
  multiplyAvx512(kc, p, acc);
  __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
  if (e.bias) {
    bias0 = e.scalarBias ? _mm512_set1_ps(e.bias[0]) : _mm512_loadu_ps(e.bias);
    bias1 = e.scalarBias ? bias0 : _mm512_loadu_ps(e.bias + 16);
  }
  const __m512 zero = _mm512_setzero_ps();
  for (int i = 0; i < MR; ++i) {
    float* row = c + i * ldc;
    // The order of the tile path: (C + tile) + bias, then the activation.
    __m512 r0 = e.accumulate ? _mm512_add_ps(_mm512_loadu_ps(row), acc[i][0]) : acc[i][0];
    __m512 r1 = e.accumulate ? _mm512_add_ps(_mm512_loadu_ps(row + 16), acc[i][1]) : acc[i][1];
    if (e.bias) {
      r0 = _mm512_add_ps(r0, bias0);
      r1 = _mm512_add_ps(r1, bias1);
    }
    if (e.relu) {  // max(0, x) returns x when x is NaN, as activate<Relu> does (masked form:
                   // the plain one starts from _mm512_undefined_ps, which GCC 12 warns about)
      r0 = _mm512_mask_max_ps(zero, 0xFFFF, zero, r0);
      r1 = _mm512_mask_max_ps(zero, 0xFFFF, zero, r1);
    }
    _mm512_storeu_ps(row, r0);
    _mm512_storeu_ps(row + 16, r1);
  }
}
#endif

struct Isa {
  const char* name;
  int mr, nr;
  void (*kernel)(int64_t, const Panel&, float*);
  // Whole tiles straight into C (Linear and ReLU epilogues), or nullptr.
  void (*direct)(int64_t, const Panel&, float*, int64_t, const DirectEpilogue&);
};

Isa detectIsa() {
#ifdef MMAE_X86
  if (cpuHasAvx512()) return {"avx512", 12, 32, kernelAvx512, directAvx512};
  if (cpuHasAvx2Fma()) return {"avx2", 6, 16, kernelAvx2, nullptr};
#endif
  return {"generic", 4, 16, kernelGeneric, nullptr};
}

const Isa& isa() {
  static const Isa chosen = detectIsa();
  return chosen;
}

// NaN passes through every activation, as in tfjs: a diverging run must show NaN, not zeros.
template <Activation A>
inline float activate(float x, float alpha) {
  if constexpr (A == Activation::Relu) return x < 0.f ? 0.f : x;
  if constexpr (A == Activation::Relu6) return x < 0.f ? 0.f : (x > 6.f ? 6.f : x);
  if constexpr (A == Activation::LeakyRelu) return x < 0.f ? alpha * x : x;
  if constexpr (A == Activation::Sigmoid) return 1.f / (1.f + std::exp(-x));
  if constexpr (A == Activation::Elu) return x >= 0.f ? x : std::expm1(x);
  return x;
}

// Where a tile of C goes: added to what an earlier K slice left (accumulate), and on the last
// slice through the bias and activation, while the tile is still in L1.
struct Epilogue {
  bool accumulate, last;
  const float* bias;  // bias for this tile's first column, or nullptr
  bool scalarBias;
  Activation activation;
  float alpha;
};

template <Activation A>
void storeRows(const float* tile, int NR, float* c, int64_t ldc, int64_t mr, int64_t nr,
               const Epilogue& e) {
  alignas(64) float bias[32] = {};  // NR ≤ 32; zeros when there is no bias
  if (e.last && e.bias)
    for (int64_t j = 0; j < nr; ++j) bias[j] = e.scalarBias ? e.bias[0] : e.bias[j];
  for (int64_t i = 0; i < mr; ++i) {
    float* __restrict row = c + i * ldc;
    const float* __restrict src = tile + i * NR;
    if (!e.last) {
      if (e.accumulate)
        for (int64_t j = 0; j < nr; ++j) row[j] += src[j];
      else
        std::memcpy(row, src, static_cast<size_t>(nr) * sizeof(float));
    } else if (e.accumulate) {
      for (int64_t j = 0; j < nr; ++j) row[j] = activate<A>(row[j] + src[j] + bias[j], e.alpha);
    } else {
      for (int64_t j = 0; j < nr; ++j) row[j] = activate<A>(src[j] + bias[j], e.alpha);
    }
  }
}

// Writes an MR×NR tile held in `tile` to C, clipped to mr×nr.
void storeTile(const float* tile, int NR, float* c, int64_t ldc, int64_t mr, int64_t nr,
               const Epilogue& e) {
  switch (e.last ? e.activation : Activation::Linear) {
    case Activation::Linear: return storeRows<Activation::Linear>(tile, NR, c, ldc, mr, nr, e);
    case Activation::Relu: return storeRows<Activation::Relu>(tile, NR, c, ldc, mr, nr, e);
    case Activation::Relu6: return storeRows<Activation::Relu6>(tile, NR, c, ldc, mr, nr, e);
    case Activation::LeakyRelu: return storeRows<Activation::LeakyRelu>(tile, NR, c, ldc, mr, nr, e);
    case Activation::Sigmoid: return storeRows<Activation::Sigmoid>(tile, NR, c, ldc, mr, nr, e);
    case Activation::Elu: return storeRows<Activation::Elu>(tile, NR, c, ldc, mr, nr, e);
  }
}

// Per-thread scratch: worker threads (data parallelism) each get their own.
thread_local std::vector<float> scratchA, scratchB;

// Which MR×NR blocks of C one call computes: rows [ib0, ib1) and columns [jb0, jb1) of blocks.
// Each element of C is the same sum in the same order whichever range holds it, so splitting C
// into ranges across threads changes no bit of the result.
struct Blocks {
  int64_t ib0, ib1, jb0, jb1;
};

void gemmOne(const GemmArgs& g, const float* a, const float* b, float* c, const Blocks& r) {
  const Isa& s = isa();
  const int64_t mBlocks = r.ib1 - r.ib0;
  alignas(64) float tile[12 * 32];
  if (g.k == 0) {  // an empty sum: C is the bias through the activation
    std::vector<float> zeros(static_cast<size_t>(s.mr * s.nr), 0.f);
    for (int64_t jb = r.jb0; jb < r.jb1; ++jb)
      for (int64_t ib = r.ib0; ib < r.ib1; ++ib) {
        const bool scalarBias = g.bias != nullptr && g.biasSize == 1;
        const Epilogue e{false, true,
                         g.bias == nullptr ? nullptr : (scalarBias ? g.bias : g.bias + jb * s.nr),
                         scalarBias, g.activation, g.leakyAlpha};
        storeTile(zeros.data(), s.nr, c + ib * s.mr * g.n + jb * s.nr, g.n,
                  std::min<int64_t>(s.mr, g.m - ib * s.mr),
                  std::min<int64_t>(s.nr, g.n - jb * s.nr), e);
      }
  }
  for (int64_t k0 = 0; k0 < g.k; k0 += KC) {
    const int64_t kc = std::min(KC, g.k - k0);
    // A block is read in place when it is whole (transposed too: its MR rows at one k are MR
    // consecutive floats); else packed. A B panel in place has its kc rows N floats apart: with
    // N a multiple of 512 they all fall in a few L1 sets and evict each other before the next A
    // block reads them again, so B is packed (contiguous) unless few A blocks will read it.
    const auto directA = [&](int64_t ib) { return (ib + 1) * s.mr <= g.m; };
    const auto directB = [&](int64_t jb) {
      return !g.transposeB && (jb + 1) * s.nr <= g.n && mBlocks <= 2;
    };
    growScratch(scratchA, static_cast<size_t>(mBlocks * s.mr * kc));
    growScratch(scratchB, static_cast<size_t>((r.jb1 - r.jb0) * s.nr * kc));
    float* packedA = scratchA.data() - r.ib0 * s.mr * kc;  // indexed by ib from r.ib0
    float* packedB = scratchB.data() - r.jb0 * s.nr * kc;
    for (int64_t ib = r.ib0; ib < r.ib1; ++ib)
      if (!directA(ib))
        packA(a, g.transposeA, g.m, g.k, ib * s.mr, std::min<int64_t>(s.mr, g.m - ib * s.mr), k0,
              kc, s.mr, packedA + ib * s.mr * kc);
    for (int64_t jb = r.jb0; jb < r.jb1; ++jb)
      if (!directB(jb))
        packB(b, g.transposeB, g.k, g.n, jb * s.nr, std::min<int64_t>(s.nr, g.n - jb * s.nr), k0,
              kc, s.nr, packedB + jb * s.nr * kc);
    for (int64_t jb = r.jb0; jb < r.jb1; ++jb) {
      Panel p{};
      if (directB(jb)) {
        p.bp = b + k0 * g.n + jb * s.nr;
        p.ldb = g.n;
      } else {
        p.bp = packedB + jb * s.nr * kc;
        p.ldb = s.nr;
      }
      for (int64_t ib = r.ib0; ib < r.ib1; ++ib) {
        if (directA(ib) && g.transposeA) {
          p.ap = a + k0 * g.m + ib * s.mr;
          p.rowA = 1;
          p.stepA = g.m;
        } else if (directA(ib)) {
          p.ap = a + ib * s.mr * g.k + k0;
          p.rowA = g.k;
          p.stepA = 1;
        } else {
          p.ap = packedA + ib * s.mr * kc;
          p.rowA = 1;
          p.stepA = s.mr;
        }
        const bool last = k0 + kc >= g.k;
        const bool scalarBias = g.bias != nullptr && g.biasSize == 1;
        const float* bias =
            g.bias == nullptr ? nullptr : (scalarBias ? g.bias : g.bias + jb * s.nr);
        float* cTile = c + ib * s.mr * g.n + jb * s.nr;
        const bool whole = (ib + 1) * s.mr <= g.m && (jb + 1) * s.nr <= g.n;
        const bool simple =
            !last || g.activation == Activation::Linear || g.activation == Activation::Relu;
        if (s.direct && whole && simple) {
          s.direct(kc, p, cTile, g.n,
                   {k0 > 0, last ? bias : nullptr, scalarBias,
                    last && g.activation == Activation::Relu});
          continue;
        }
        s.kernel(kc, p, tile);
        const Epilogue e{k0 > 0, last, bias, scalarBias, g.activation, g.leakyAlpha};
        storeTile(tile, s.nr, cTile, g.n, std::min<int64_t>(s.mr, g.m - ib * s.mr),
                  std::min<int64_t>(s.nr, g.n - jb * s.nr), e);
      }
    }
  }
}

}  // namespace

#ifdef MMAE_X86
// Small products with B transposed, such as attention's per-sample scores [8 × 128]·[8 × 128]ᵀ
// batched over hundreds of samples: the blocked path padded and packed a 12 × 32 tile and a
// transposed panel for 64 outputs, ~2.3 µs per matrix; as dot products of the contiguous rows
// of A and B, four at a time, 16 k per FMA, ~0.8 µs. (Small products with B untransposed were
// measured as fast or faster on the blocked path, so they stay there.) Linear and ReLU epilogues.
constexpr int64_t kSmallProduct = 16384;  // at most this many multiply-adds per matrix

bool smallTransposedFits(const GemmArgs& g) {
  const bool epilogue = g.activation == Activation::Linear || g.activation == Activation::Relu;
  return epilogue && g.transposeB && !g.transposeA && g.k > 0 &&
         g.m * g.n * g.k <= kSmallProduct;
}

// The sum of 16 lanes. (_mm512_reduce_add_ps and the unmasked shuffles start from an undefined
// vector, which GCC 12 warns about; the masked forms with every lane set are the same shuffles.)
__attribute__((target("avx512f"), always_inline)) inline float sum16(__m512 v) {
  v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, 0xFFFF, v, v, 0x4E));  // 256-bit halves
  v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, 0xFFFF, v, v, 0xB1));  // 128-bit quarters
  v = _mm512_add_ps(v, _mm512_mask_permute_ps(v, 0xFFFF, v, 0x4E));        // pairs
  v = _mm512_add_ps(v, _mm512_mask_permute_ps(v, 0xFFFF, v, 0xB1));        // neighbours
  return _mm512_cvtss_f32(v);
}

__attribute__((target("avx512f"))) void smallTransposedAvx512(const GemmArgs& g, const float* a,
                                                              const float* b, float* c) {
  const int64_t m = g.m, n = g.n, k = g.k;
  const auto maskOf = [](int64_t left) {
    return left >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1);
  };
  for (int64_t i = 0; i < m; ++i) {
    const float* aRow = a + i * k;
    float* cRow = c + i * n;
    for (int64_t j = 0; j < n; j += 4) {
      const int64_t count = std::min<int64_t>(4, n - j);
      __m512 d[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                     _mm512_setzero_ps()};
      for (int64_t k0 = 0; k0 < k; k0 += 16) {
        const __mmask16 mask = maskOf(k - k0);
        const __m512 av = _mm512_maskz_loadu_ps(mask, aRow + k0);
        for (int64_t t = 0; t < count; ++t) {
          d[t] = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(mask, b + (j + t) * k + k0), d[t]);
        }
      }
      for (int64_t t = 0; t < count; ++t) {
        float v = sum16(d[t]);
        if (g.bias) v += g.biasSize == 1 ? g.bias[0] : g.bias[j + t];
        // NaN passes through ReLU, as activate<Relu> lets it.
        cRow[j + t] = g.activation == Activation::Relu && v < 0.f ? 0.f : v;
      }
    }
  }
}
#endif

// Below this many multiply-adds per part (parallelFor's minimum) a product stays on one thread.
// 2^22 multiply-adds take ~100 µs at the ~80 GFLOP/s one core reaches here, several times what
// waking a sleeping worker and joining it cost (10–40 µs in microbenchmarks on this 2-core
// machine). With 2^20, W1's 64×784×128 products were split and W1 was no faster on 2 threads
// (PyTorch is 3× slower on W1 with 2 threads); W2's larger products gain 1.3–1.4× either way
// (BENCHMARKS.md, "Native threads"; measured on a shared machine, so not tuned finer).
constexpr int64_t kMinMultiplyAddsPerPart = int64_t{1} << 22;

int64_t sharesOf(int64_t workPerItem) {
  return std::max<int64_t>(1, (kMinMultiplyAddsPerPart + workPerItem - 1) /
                                  std::max<int64_t>(1, workPerItem));
}

// One matrix, its blocks of C split across threads: over column panels when there are enough of
// them (each thread then packs only its own part of B, which matters when B is transposed and
// packed whole), else over row blocks (each thread packing all of B).
void gemmSplit(const GemmArgs& g, const float* a, const float* b, float* c) {
  const Isa& s = isa();
  const int64_t mBlocks = (g.m + s.mr - 1) / s.mr, nBlocks = (g.n + s.nr - 1) / s.nr;
  const int64_t work = std::max<int64_t>(1, g.k);
  if (nBlocks >= std::min<int64_t>(mBlocks, threads())) {
    parallelFor(nBlocks, sharesOf(g.m * s.nr * work), [&](int64_t j0, int64_t j1) {
      gemmOne(g, a, b, c, {0, mBlocks, j0, j1});
    });
  } else {
    parallelFor(mBlocks, sharesOf(s.mr * g.n * work), [&](int64_t i0, int64_t i1) {
      gemmOne(g, a, b, c, {i0, i1, 0, nBlocks});
    });
  }
}

void gemm(const GemmArgs& g) {
  const int64_t aSize = g.m * g.k, bSize = g.k * g.n, cSize = g.m * g.n;
#ifdef MMAE_X86
  const bool small = cpuHasAvx512() && smallTransposedFits(g);
#else
  const bool small = false;
#endif
  const auto matrices = [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i) {
      const float* a = g.a + (g.batchA == 1 ? 0 : i) * aSize;
      const float* b = g.b + (g.batchB == 1 ? 0 : i) * bSize;
#ifdef MMAE_X86
      if (small) {
        smallTransposedAvx512(g, a, b, g.c + i * cSize);
        continue;
      }
#endif
      gemmSplit(g, a, b, g.c + i * cSize);  // serial inside a worker: the pool is taken
    }
  };
  // A batch of matrices is split by matrix; one matrix (or fewer than there are threads) by
  // blocks of C.
  if (g.batch >= threads()) {
    parallelFor(g.batch, sharesOf(g.m * g.n * std::max<int64_t>(1, g.k)), matrices);
  } else {
    matrices(0, g.batch);
  }
}

const char* gemmIsa() { return isa().name; }

}  // namespace mmae
