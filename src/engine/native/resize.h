// Nearest-neighbour and bilinear resizing of NHWC float32 images and their gradients, with
// tfjs's coordinate rules (tfjs-backend-cpu's ResizeNearestNeighbor and ResizeBilinear): the
// source coordinate of target row r is scale·r, or scale·(r + ½) (− ½ for bilinear) with
// half-pixel centres, where scale = in/out, or (in − 1)/(out − 1) with aligned corners. The
// coordinates are computed in double as tfjs computes them in JavaScript, so every target picks
// the same source pixels; the gradients are the exact adjoints of the forward passes.
#pragma once
#include <cstdint>

namespace mmae {

struct ResizeShape {
  int64_t batch, inHeight, inWidth, channels, outHeight, outWidth;
  bool alignCorners, halfPixelCenters;
};

void resizeNearest(const float* x, float* y, const ResizeShape& s);
void resizeNearestGrad(const float* dy, float* dx, const ResizeShape& s);
void resizeBilinear(const float* x, float* y, const ResizeShape& s);
void resizeBilinearGrad(const float* dy, float* dx, const ResizeShape& s);

}  // namespace mmae
