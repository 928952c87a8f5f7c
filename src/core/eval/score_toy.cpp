// score_toy.cpp — see score_toy.hpp.
#include "core/eval/score_toy.hpp"

#include <string>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace implay {

ScoreToy make_score_toy(const ScoreToyParams& params) {
  if (!(params.spread > 0)) throw Error("spread must be positive, got " + std::to_string(params.spread));
  if (params.positives < 1 || params.negatives < 1)
    throw Error("need at least one positive and one negative, got " + std::to_string(params.positives) + " and " +
                std::to_string(params.negatives));
  Rng rng(params.seed);
  ScoreToy toy;
  // The same standard-normal draws for every setting, so dragging a slider moves the points
  // smoothly instead of re-sampling them.
  for (int i = 0; i < params.positives; ++i) {
    toy.scores.push_back(params.separation + params.spread * rng.normal());
    toy.labels.push_back(1);
  }
  for (int i = 0; i < params.negatives; ++i) {
    toy.scores.push_back(params.spread * rng.normal());
    toy.labels.push_back(0);
  }
  return toy;
}

}  // namespace implay
