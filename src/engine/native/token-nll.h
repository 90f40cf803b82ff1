// Softmax cross-entropy of token logits against token ids, summed over the positions that hold a
// token (pad excluded), one value per sample; and its gradient. The text decoder's loss as one
// call each way instead of ~14 kernels (oneHot, logSoftmax's max/exp/sum/log, mul, sum, cast, …).
#pragma once
#include <cstdint>

namespace mmae {

struct TokenNllShape {
  int64_t rows, positions, vocab;
  int32_t pad;
};

// out[r] = Σ_{p: id ≠ pad} logsumexp(logits[r, p, :]) − logits[r, p, id]; a position whose id
// lies outside the vocabulary counts for nothing, as in the oneHot composition (a zero row).
void tokenNll(const float* logits, const int32_t* ids, float* out, const TokenNllShape& s);

// dlogits[r, p, v] = (softmax(logits[r, p, :])_v − [v = id]) · dy[r], zero where out[r] has no
// term (pad or out-of-vocabulary positions).
void tokenNllGrad(const float* logits, const int32_t* ids, const float* dy, float* dlogits,
                  const TokenNllShape& s);

}  // namespace mmae
