#include "conv2d.h"

#include "conv2d-direct.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace mmae {
namespace {

// Column buffer budget: images per chunk are chosen so that a chunk's columns fit in ~4 MB
// (the whole batch of W5's widest layer would be 231 MB), and at least one image.
constexpr int64_t kChunkFloats = int64_t{1} << 20;

int64_t patchSize(const ConvShape& s) { return s.fH * s.fW * s.inC; }

int64_t imagesPerChunk(const ConvShape& s) {
  const int64_t perImage = std::max<int64_t>(1, s.outH * s.outW * patchSize(s));
  return std::clamp<int64_t>(kChunkFloats / perImage, 1, std::max<int64_t>(1, s.batch));
}

// A 1×1, stride-1, unpadded convolution reads x as its own columns.
bool columnsAreInput(const ConvShape& s) {
  return s.fH == 1 && s.fW == 1 && s.strideH == 1 && s.strideW == 1 && s.padTop == 0 &&
         s.padLeft == 0 && s.outH == s.inH && s.outW == s.inW;
}

// Rows (n, oh, ow) of images [n0, n0 + images), columns (kh, kw, ci); zero outside the input.
void im2col(const ConvShape& s, const float* x, int64_t n0, int64_t images, float* col) {
  const int64_t ci = s.inC, k = patchSize(s);
  for (int64_t n = 0; n < images; ++n) {
    const float* image = x + (n0 + n) * s.inH * s.inW * ci;
    for (int64_t oh = 0; oh < s.outH; ++oh) {
      for (int64_t ow = 0; ow < s.outW; ++ow) {
        float* row = col + ((n * s.outH + oh) * s.outW + ow) * k;
        for (int64_t kh = 0; kh < s.fH; ++kh) {
          const int64_t ih = oh * s.strideH - s.padTop + kh * s.dilationH;
          float* dst = row + kh * s.fW * ci;
          if (ih < 0 || ih >= s.inH) {
            std::memset(dst, 0, sizeof(float) * s.fW * ci);
            continue;
          }
          for (int64_t kw = 0; kw < s.fW; ++kw) {
            const int64_t iw = ow * s.strideW - s.padLeft + kw * s.dilationW;
            if (iw < 0 || iw >= s.inW) {
              std::memset(dst + kw * ci, 0, sizeof(float) * ci);
            } else {
              std::memcpy(dst + kw * ci, image + (ih * s.inW + iw) * ci, sizeof(float) * ci);
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
            const float* src = row + (kh * s.fW + kw) * ci;
            float* dst = image + (ih * s.inW + iw) * ci;
            for (int64_t c = 0; c < ci; ++c) dst[c] += src[c];
          }
        }
      }
    }
  }
}

thread_local std::vector<float> columns, partial;

}  // namespace

void conv2dIm2col(const ConvShape& s, const float* x, const float* w, const float* bias,
            int64_t biasSize, Activation activation, float leakyAlpha, float* y) {
  const int64_t k = patchSize(s), pixels = s.outH * s.outW, chunk = imagesPerChunk(s);
  const bool direct = columnsAreInput(s);
  for (int64_t n0 = 0; n0 < s.batch; n0 += chunk) {
    const int64_t images = std::min(chunk, s.batch - n0);
    const float* col = x + n0 * s.inH * s.inW * s.inC;
    if (!direct) {
      float* buffer = growScratch(columns, static_cast<size_t>(images * pixels * k));
      im2col(s, x, n0, images, buffer);
      col = buffer;
    }
    gemm({col, w, y + n0 * pixels * s.outC, bias, biasSize, 1, 1, 1, images * pixels, s.outC, k,
          false, false, activation, leakyAlpha});
  }
}

void conv2dBackpropInputIm2col(const ConvShape& s, const float* dy, const float* w, float* dx) {
  const int64_t k = patchSize(s), pixels = s.outH * s.outW, chunk = imagesPerChunk(s);
  const bool direct = columnsAreInput(s);
  if (!direct) std::memset(dx, 0, sizeof(float) * s.batch * s.inH * s.inW * s.inC);
  for (int64_t n0 = 0; n0 < s.batch; n0 += chunk) {
    const int64_t images = std::min(chunk, s.batch - n0);
    float* col = direct ? dx + n0 * pixels * k
                        : growScratch(columns, static_cast<size_t>(images * pixels * k));
    // dcol = dy · wᵀ, w read as [k, outC].
    gemm({dy + n0 * pixels * s.outC, w, col, nullptr, 0, 1, 1, 1, images * pixels, k, s.outC,
          false, true, Activation::Linear, 0.f});
    if (!direct) col2imAdd(s, col, n0, images, dx);
  }
}

void conv2dBackpropFilterIm2col(const ConvShape& s, const float* x, const float* dy, float* dw) {
  const int64_t k = patchSize(s), pixels = s.outH * s.outW, chunk = imagesPerChunk(s);
  const bool direct = columnsAreInput(s);
  const int64_t size = k * s.outC;
  if (s.batch == 0) std::memset(dw, 0, sizeof(float) * size);
  for (int64_t n0 = 0; n0 < s.batch; n0 += chunk) {
    const int64_t images = std::min(chunk, s.batch - n0);
    const float* col = x + n0 * s.inH * s.inW * s.inC;
    if (!direct) {
      float* buffer = growScratch(columns, static_cast<size_t>(images * pixels * k));
      im2col(s, x, n0, images, buffer);
      col = buffer;
    }
    // dw (+)= colᵀ · dy over this chunk's rows; the first chunk writes dw, later ones add.
    float* out = n0 == 0 ? dw : growScratch(partial, static_cast<size_t>(size));
    gemm({col, dy + n0 * pixels * s.outC, out, nullptr, 0, 1, 1, 1, k, s.outC, images * pixels,
          true, false, Activation::Linear, 0.f});
    if (n0 != 0) {
      for (int64_t i = 0; i < size; ++i) dw[i] += out[i];
    }
  }
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
