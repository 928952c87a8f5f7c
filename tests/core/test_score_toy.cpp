// Tests of core/eval/score_toy.hpp: counts, labels, the separation of the means, determinism.
#include <doctest/doctest.h>

#include <numeric>

#include "core/eval/score_toy.hpp"
#include "test_support.hpp"

using namespace implay;
using implay::testing::error_of;

TEST_CASE("make_score_toy draws P positives then N negatives around their means") {
  const ScoreToy toy = make_score_toy({2.0, 0.5, 3000, 1000, 7});
  REQUIRE(toy.scores.size() == 4000);
  CHECK(std::accumulate(toy.labels.begin(), toy.labels.end(), 0) == 3000);
  const double mean_pos = std::accumulate(toy.scores.begin(), toy.scores.begin() + 3000, 0.0) / 3000;
  const double mean_neg = std::accumulate(toy.scores.begin() + 3000, toy.scores.end(), 0.0) / 1000;
  CHECK(mean_pos == doctest::Approx(2.0).epsilon(0.02));
  CHECK(mean_neg == doctest::Approx(0.0).scale(1.0).epsilon(0.05));
  CHECK(make_score_toy({2.0, 0.5, 3000, 1000, 7}).scores == toy.scores);
}

TEST_CASE("make_score_toy rejects a non-positive spread or empty classes") {
  CHECK(error_of([] { make_score_toy({1.0, 0.0, 10, 10, 1}); }).find("spread must be positive") != std::string::npos);
  CHECK(error_of([] { make_score_toy({1.0, 1.0, 0, 10, 1}); }).find("at least one positive") != std::string::npos);
}
