/**
 * The source-per-target scale of tfjs's resize kernels (no half-pixel centres, which their
 * gradient kernels do not support either): with alignCorners the corner pixels map exactly.
 */
export function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/** Shapes and attributes both resize gradient kernels receive. */
export interface ResizeGradArgs {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly depth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly alignCorners: boolean;
}

export function resizeGradArgs(
  imagesShape: number[],
  dyShape: number[],
  alignCorners: unknown,
): ResizeGradArgs {
  const [batch = 1, inHeight = 1, inWidth = 1, depth = 1] = imagesShape;
  const [, outHeight = 1, outWidth = 1] = dyShape;
  return {
    batch,
    inHeight,
    inWidth,
    depth,
    outHeight,
    outWidth,
    alignCorners: alignCorners === true,
  };
}
