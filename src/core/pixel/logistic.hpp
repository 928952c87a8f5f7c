// logistic.hpp — σ and softplus in double, stable for either sign of the logit: the conditionals
// and −log p terms of the FVSBN and the NADE (pixel_model_fvsbn.cpp, pixel_model_nade.cpp) and the
// tempered draws of sampling (pixel_model.cpp).
#pragma once
#include <cmath>

namespace implay {

// σ(a) = 1 / (1 + e^−a), without overflow for large |a|.
inline double sigmoid(double a) { return a >= 0 ? 1.0 / (1.0 + std::exp(-a)) : std::exp(a) / (1.0 + std::exp(a)); }
// softplus(a) = log(1 + e^a) = −log σ(−a), without overflow for large a.
inline double softplus(double a) { return a > 0 ? a + std::log1p(std::exp(-a)) : std::log1p(std::exp(a)); }

}  // namespace implay
