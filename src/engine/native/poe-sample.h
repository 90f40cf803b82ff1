// Products of diagonal-Gaussian experts over subsets of the experts, each with one
// reparameterised sample and its KL to N(0, I): the posteriors of MVAE (the joint and each
// modality alone) and MoPoE (every non-empty subset), and their gradient. Composed from tfjs ops
// this is ~30 kernels per subset forward and more backward, each at ~10 µs of dispatch on wasm
// for a few thousand numbers.
#pragma once
#include <cstdint>

namespace mmae {

struct PoeShape {
  int64_t rows, latent, experts, subsets;
  // The precision every product starts from: 1 for the N(0, I) prior expert, a tiny floor
  // without it (a row with no expert then stays finite; callers select such rows away).
  float basePrecision;
  // member[s · experts + m] != 0 when expert m belongs to subset s.
  const uint8_t* member;
};

// params[m]: expert m's projection [rows, 2·latent] read as [μ, log σ²] (log σ² clipped to
// [−12, 12]); present[m]: [rows] 0/1, an absent expert adds no precision; eps[s]: [rows, latent]
// standard-normal draws. Writes z[s] = μ_s + σ_s·eps[s] ([rows, latent]) and kl[s] =
// KL(N(μ_s, σ_s²) ‖ N(0, I)) per row ([rows]).
void poeSample(const PoeShape& shape, const float* const* params, const float* const* present,
               const float* const* eps, float* const* z, float* const* kl);

// The gradient for the experts' projections: dparams[m] ([rows, 2·latent], overwritten) from dz[s]
// ([rows, latent]) and dkl[s] ([rows]). The clip passes the gradient where −12 ≤ log σ² ≤ 12, as
// tf.clipByValue's does.
void poeSampleGrad(const PoeShape& shape, const float* const* params, const float* const* present,
                   const float* const* eps, const float* const* dz, const float* const* dkl,
                   float* const* dparams);

}  // namespace mmae
