/**
 * Mean Euclidean norm of codes (posterior means for VAEs). Compared between the training and the
 * test split it shows a shift that a linear probe cannot: the probe only needs the direction of a
 * code, a decoder needs its place, and held-out inputs (a new speaker's voice) that land nearer
 * the origin than training inputs get the decoder's ambiguous, averaged outputs.
 */
export function meanCodeNorm(codes: Float32Array, latentSize: number): number | undefined {
  const rows = codes.length / latentSize;
  if (rows === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    let squares = 0;
    for (let j = 0; j < latentSize; j++) squares += codes[i * latentSize + j]! ** 2;
    sum += Math.sqrt(squares);
  }
  return sum / rows;
}
