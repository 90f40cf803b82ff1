#include "conv2d.h"

#include "conv2d-direct.h"
#include "dense-grad.h"
#include "thread-pool.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace mmae {
namespace {

// Column buffer budget: images per chunk are chosen so that a chunk's columns fit in ~4 MB
// (the whole batch of W5's widest layer would be 231 MB), and at least one image.
constexpr int64_t kChunkFloats = int64_t{1} << 20;

// A batch is cut into at least this many chunks where it has the images (W5's 128 into chunks
// of at most 8), so that the pool has chunks to share out even when one chunk's columns would
// hold the whole batch. The chunks depend on the shape alone, never on the thread count: the
// filter gradient sums its chunks' partial products in chunk order, so its bits are the same
// on any number of threads.
constexpr int64_t kMinChunks = 16;

// Below this many multiply-adds per part a convolution's chunks stay on one thread. Lower than
// gemm.cc's 2^22: a convolution's chunk also copies its columns (im2col, col2im), work that the
// multiply-add count leaves out; enc1 of W5 (one input channel, 7.2M multiply-adds, ~0.5 ms)
// then still splits.
constexpr int64_t kMinMultiplyAddsPerPart = int64_t{1} << 20;

int64_t patchSize(const ConvShape& s) { return s.fH * s.fW * s.inC; }

int64_t imagesPerChunk(const ConvShape& s) {
  const int64_t perImage = std::max<int64_t>(1, s.outH * s.outW * patchSize(s));
  const int64_t share = (s.batch + kMinChunks - 1) / kMinChunks;
  return std::clamp<int64_t>(std::min(kChunkFloats / perImage, share), 1,
                             std::max<int64_t>(1, s.batch));
}

// How the batch is cut, and how many chunks one part of the pool's work takes at least.
struct Chunks {
  int64_t images, count, minPerPart;
};

Chunks chunksOf(const ConvShape& s) {
  const int64_t images = imagesPerChunk(s);
  const int64_t macs =
      std::max<int64_t>(1, images * s.outH * s.outW * patchSize(s) * std::max<int64_t>(1, s.outC));
  return {images, (s.batch + images - 1) / images,
          (kMinMultiplyAddsPerPart + macs - 1) / macs};
}

// Runs body(n0, images) for every chunk: across the pool's threads by chunk when there are at
// least as many chunks as threads (each thread then copies and multiplies its own chunks, the
// products inside on one thread), else one chunk after another with each product split inside
// (gemm.cc). Every chunk computes the same either way.
template <typename Body>
void forEachChunk(const ConvShape& s, const Chunks& c, Body body) {
  const auto run = [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i) {
      const int64_t n0 = i * c.images;
      body(n0, std::min(c.images, s.batch - n0));
    }
  };
  if (c.count >= threads()) {
    parallelFor(c.count, c.minPerPart, run);
  } else {
    run(0, c.count);
  }
}

// A 1×1, stride-1, unpadded convolution reads x as its own columns.
bool columnsAreInput(const ConvShape& s) {
  return s.fH == 1 && s.fW == 1 && s.strideH == 1 && s.strideW == 1 && s.padTop == 0 &&
         s.padLeft == 0 && s.outH == s.inH && s.outW == s.inW;
}

// A few floats (one input channel's taps) by a loop; a call to memcpy costs more than they do.
inline void copyFloats(float* __restrict dst, const float* __restrict src, int64_t n) {
  if (n < 16) {
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
  } else {
    std::memcpy(dst, src, sizeof(float) * static_cast<size_t>(n));
  }
}

inline void zeroFloats(float* dst, int64_t n) {
  if (n < 16) {
    for (int64_t i = 0; i < n; ++i) dst[i] = 0.f;
  } else {
    std::memset(dst, 0, sizeof(float) * static_cast<size_t>(n));
  }
}

// Rows (n, oh, ow) of images [n0, n0 + images), columns (kh, kw, ci); zero outside the input.
void im2col(const ConvShape& s, const float* x, int64_t n0, int64_t images, float* col) {
  const int64_t ci = s.inC, k = patchSize(s);
  for (int64_t n = 0; n < images; ++n) {
    const float* image = x + (n0 + n) * s.inH * s.inW * ci;
    for (int64_t oh = 0; oh < s.outH; ++oh) {
      for (int64_t ow = 0; ow < s.outW; ++ow) {
        float* row = col + ((n * s.outH + oh) * s.outW + ow) * k;
        const int64_t iw0 = ow * s.strideW - s.padLeft;
        // With dilation 1 and the whole filter row inside the image, its taps are one run.
        const bool run = s.dilationW == 1 && iw0 >= 0 && iw0 + s.fW <= s.inW;
        for (int64_t kh = 0; kh < s.fH; ++kh) {
          const int64_t ih = oh * s.strideH - s.padTop + kh * s.dilationH;
          float* dst = row + kh * s.fW * ci;
          if (ih < 0 || ih >= s.inH) {
            zeroFloats(dst, s.fW * ci);
            continue;
          }
          if (run) {
            copyFloats(dst, image + (ih * s.inW + iw0) * ci, s.fW * ci);
            continue;
          }
          for (int64_t kw = 0; kw < s.fW; ++kw) {
            const int64_t iw = iw0 + kw * s.dilationW;
            if (iw < 0 || iw >= s.inW) {
              zeroFloats(dst + kw * ci, ci);
            } else {
              copyFloats(dst + kw * ci, image + (ih * s.inW + iw) * ci, ci);
            }
          }
        }
      }
    }
  }
}

// The adjoint of im2col: adds each column entry into the input cell it was read from.
void col2imAdd(const ConvShape& s, const float* col, int64_t n0, int64_t images, float* dx) {
  const int64_t ci = s.inC, k = patchSize(s);
  for (int64_t n = 0; n < images; ++n) {
    float* image = dx + (n0 + n) * s.inH * s.inW * ci;
    for (int64_t oh = 0; oh < s.outH; ++oh) {
      for (int64_t ow = 0; ow < s.outW; ++ow) {
        const float* row = col + ((n * s.outH + oh) * s.outW + ow) * k;
        for (int64_t kh = 0; kh < s.fH; ++kh) {
          const int64_t ih = oh * s.strideH - s.padTop + kh * s.dilationH;
          if (ih < 0 || ih >= s.inH) continue;
          for (int64_t kw = 0; kw < s.fW; ++kw) {
            const int64_t iw = ow * s.strideW - s.padLeft + kw * s.dilationW;
            if (iw < 0 || iw >= s.inW) continue;
            const float* __restrict src = row + (kh * s.fW + kw) * ci;
            float* __restrict dst = image + (ih * s.inW + iw) * ci;
            for (int64_t c = 0; c < ci; ++c) dst[c] += src[c];
          }
        }
      }
    }
  }
}

thread_local std::vector<float> columns, partials, slopes, biasChunks;

// db's chunks of output pixels (all channels of each): each chunk is summed pixel after pixel,
// then the chunks are added in order. Fixed, so the bits do not depend on the thread count.
constexpr int64_t kBiasRows = 4096;

void biasGrad(const float* dz, int64_t rows, int64_t channels, float* db) {
  const int64_t chunks = std::max<int64_t>(1, (rows + kBiasRows - 1) / kBiasRows);
  float* sums = growScratch(biasChunks, static_cast<size_t>(chunks * channels));
  const int64_t minChunks = std::max<int64_t>(1, (int64_t{1} << 18) / (kBiasRows * channels));
  parallelFor(chunks, minChunks, [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i) {
      float* __restrict sum = sums + i * channels;
      for (int64_t c = 0; c < channels; ++c) sum[c] = 0.f;
      const int64_t end = std::min(rows, (i + 1) * kBiasRows);
      for (int64_t r = i * kBiasRows; r < end; ++r) {
        const float* __restrict row = dz + r * channels;
        for (int64_t c = 0; c < channels; ++c) sum[c] += row[c];
      }
    }
  });
  for (int64_t c = 0; c < channels; ++c) db[c] = sums[c];
  for (int64_t i = 1; i < chunks; ++i) {
    const float* __restrict sum = sums + i * channels;
    for (int64_t c = 0; c < channels; ++c) db[c] += sum[c];
  }
}

}  // namespace

void conv2dIm2col(const ConvShape& s, const float* x, const float* w, const float* bias,
                  int64_t biasSize, Activation activation, float leakyAlpha, float* y) {
  const int64_t k = patchSize(s), pixels = s.outH * s.outW;
  const bool direct = columnsAreInput(s);
  forEachChunk(s, chunksOf(s), [&](int64_t n0, int64_t images) {
    const float* col = x + n0 * s.inH * s.inW * s.inC;
    if (!direct) {
      float* buffer = growScratch(columns, static_cast<size_t>(images * pixels * k));
      im2col(s, x, n0, images, buffer);
      col = buffer;
    }
    gemm({col, w, y + n0 * pixels * s.outC, bias, biasSize, 1, 1, 1, images * pixels, s.outC, k,
          false, false, activation, leakyAlpha});
  });
}

void conv2dBackpropInputIm2col(const ConvShape& s, const float* dy, const float* w, float* dx) {
  const int64_t k = patchSize(s), pixels = s.outH * s.outW, image = s.inH * s.inW * s.inC;
  const bool direct = columnsAreInput(s);
  forEachChunk(s, chunksOf(s), [&](int64_t n0, int64_t images) {
    float* col = direct ? dx + n0 * pixels * k
                        : growScratch(columns, static_cast<size_t>(images * pixels * k));
    // dcol = dy · wᵀ, w read as [k, outC].
    gemm({dy + n0 * pixels * s.outC, w, col, nullptr, 0, 1, 1, 1, images * pixels, k, s.outC,
          false, true, Activation::Linear, 0.f});
    if (!direct) {
      std::memset(dx + n0 * image, 0, sizeof(float) * static_cast<size_t>(images * image));
      col2imAdd(s, col, n0, images, dx);
    }
  });
}

void conv2dBackpropFilterIm2col(const ConvShape& s, const float* x, const float* dy, float* dw) {
  const int64_t k = patchSize(s), pixels = s.outH * s.outW;
  const bool direct = columnsAreInput(s);
  const int64_t size = k * s.outC;
  if (s.batch == 0) {
    std::memset(dw, 0, sizeof(float) * static_cast<size_t>(size));
    return;
  }
  const Chunks chunks = chunksOf(s);
  // Chunk i's colᵀ · dy goes to partial i (the first chunk's straight to dw); then dw adds the
  // others in chunk order, whichever thread computed each.
  float* partial = growScratch(partials, static_cast<size_t>((chunks.count - 1) * size));
  forEachChunk(s, chunks, [&](int64_t n0, int64_t images) {
    const float* col = x + n0 * s.inH * s.inW * s.inC;
    if (!direct) {
      float* buffer = growScratch(columns, static_cast<size_t>(images * pixels * k));
      im2col(s, x, n0, images, buffer);
      col = buffer;
    }
    const int64_t i = n0 / chunks.images;
    float* out = i == 0 ? dw : partial + (i - 1) * size;
    gemm({col, dy + n0 * pixels * s.outC, out, nullptr, 0, 1, 1, 1, k, s.outC, images * pixels,
          true, false, Activation::Linear, 0.f});
  });
  if (chunks.count > 1) {
    parallelFor(size, std::max<int64_t>(1, kMinMultiplyAddsPerPart / chunks.count),
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = 1; i < chunks.count; ++i) {
                    const float* __restrict from = partial + (i - 1) * size;
                    float* __restrict to = dw;
                    for (int64_t j = begin; j < end; ++j) to[j] += from[j];
                  }
                });
  }
}

void conv2dLayerGrad(const ConvShape& s, const float* x, const float* w, const float* y,
                     const float* dy, Activation activation, float leakyAlpha, float* dx,
                     float* dw, float* db) {
  const int64_t rows = s.batch * s.outH * s.outW, size = rows * s.outC;
  const float* dz = dy;
  if (activation != Activation::Linear) {
    float* buffer = growScratch(slopes, static_cast<size_t>(size));
    activationGrad(dy, y, buffer, size, activation, leakyAlpha);
    dz = buffer;
  }
  if (dw != nullptr) {
    conv2dBackpropFilter(s, x, dz, dw);
    if (db != nullptr) biasGrad(dz, rows, s.outC, db);
  }
  if (dx != nullptr) conv2dBackpropInput(s, dz, w, dx);
}

bool convDirect(const ConvShape& s) { return s.outC <= kDirectMaxOutChannels; }

void conv2d(const ConvShape& s, const float* x, const float* w, const float* bias,
            int64_t biasSize, Activation activation, float leakyAlpha, float* y) {
  (convDirect(s) ? conv2dDirect : conv2dIm2col)(s, x, w, bias, biasSize, activation, leakyAlpha,
                                                y);
}

void conv2dBackpropInput(const ConvShape& s, const float* dy, const float* w, float* dx) {
  (convDirect(s) ? conv2dBackpropInputDirect : conv2dBackpropInputIm2col)(s, dy, w, dx);
}

void conv2dBackpropFilter(const ConvShape& s, const float* x, const float* dy, float* dw) {
  (convDirect(s) ? conv2dBackpropFilterDirect : conv2dBackpropFilterIm2col)(s, x, dy, dw);
}

}  // namespace mmae
