// test_probability.cpp — counts to probabilities, the chain rule and Bayes of core/eval/probability.hpp:
// a hand-counted dog-sound table and the lecture's Grogu example (0.95·0.2/0.3 ≈ 0.633; MAP 0.19 vs 0.08).
#include <doctest/doctest.h>

#include <vector>

#include "core/eval/probability.hpp"
#include "test_support.hpp"

using namespace implay;
using implay::testing::error_of;

namespace {
// 60 observed dog sounds, counts by mood, place and sound (the last varies fastest):
//                     growl bark silent
//   angry, home          3    5     2     (10)
//   angry, !home         6    3     1     (10)
//   calm,  home          1    4    15     (20)
//   calm,  !home         2    8    10     (20)
CountTable dog_table() {
  return {{{"mood", {"angry", "calm"}}, {"place", {"home", "!home"}}, {"sound", {"growl", "bark", "silent"}}},
          {3, 5, 2, 6, 3, 1, 1, 4, 15, 2, 8, 10}};
}
}  // namespace

TEST_CASE("dog sounds: joint, marginal and conditional counts by hand") {
  const CountTable t = dog_table();
  CHECK(t.total() == 60);
  const Fraction joint = probability(t, t.assignment({{"mood", "angry"}, {"place", "!home"}, {"sound", "growl"}}));
  CHECK(joint.text() == "6/60");
  CHECK(joint.value() == doctest::Approx(0.1));
  CHECK(probability(t, t.assignment({{"sound", "growl"}})).text() == "12/60");  // 3 + 6 + 1 + 2
  const Fraction growl =
      conditional(t, t.assignment({{"sound", "growl"}}), t.assignment({{"mood", "angry"}, {"place", "!home"}}));
  CHECK(growl.text() == "6/10");  // p(growl | angry, !home)
  CHECK(growl.value() == doctest::Approx(0.6));
  CHECK(conditional(t, t.assignment({{"mood", "angry"}}), t.assignment({{"sound", "growl"}})).text() == "9/12");
  const CountTable mood_sound = marginal_table(t, {0, 2});
  CHECK(mood_sound.counts == std::vector<int64_t>{9, 8, 3, 3, 12, 25});
  CHECK(mood_sound.variables[1].name == "sound");
}

TEST_CASE("chain rule: p(angry, !home, growl) = 20/60 · 10/20 · 6/10 = 0.1") {
  const CountTable t = dog_table();
  const ChainRule c = chain_rule(t, t.assignment({{"mood", "angry"}, {"place", "!home"}, {"sound", "growl"}}));
  REQUIRE(c.factors.size() == 3);
  CHECK(c.factors[0].text == "p(mood=angry)");
  CHECK(c.factors[0].p.text() == "20/60");
  CHECK(c.factors[1].text == "p(place=!home | mood=angry)");
  CHECK(c.factors[1].p.text() == "10/20");
  CHECK(c.factors[2].text == "p(sound=growl | mood=angry, place=!home)");
  CHECK(c.factors[2].p.text() == "6/10");
  CHECK(c.product == doctest::Approx(0.1));
  CHECK(c.joint.value() == doctest::Approx(c.product));
  // Another order gives the same product: p(growl) p(angry | growl) p(!home | growl, angry).
  const ChainRule d =
      chain_rule(t, t.assignment({{"mood", "angry"}, {"place", "!home"}, {"sound", "growl"}}), {2, 0, 1});
  CHECK(d.factors[0].p.text() == "12/60");
  CHECK(d.factors[1].p.text() == "9/12");
  CHECK(d.factors[2].p.text() == "6/9");
  CHECK(d.product == doctest::Approx(0.1));
}

TEST_CASE("Grogu: Bayes 0.95 · 0.2 / 0.3 ≈ 0.633; MAP compares 0.19 with 0.08") {
  CHECK(bayes_posterior(0.95, 0.2, 0.3) == doctest::Approx(0.6333333));
  const BayesResult r = bayes({{"Grogu", 0.2, 0.95}, {"not Grogu", 0.8, 0.1}});
  CHECK(r.unnormalised[0] == doctest::Approx(0.19));
  CHECK(r.unnormalised[1] == doctest::Approx(0.08));
  CHECK(r.evidence == doctest::Approx(0.27));
  CHECK(r.posterior[0] == doctest::Approx(0.19 / 0.27));
  CHECK(r.map == 0);
  CHECK(r.mle == 0);
  // A strong prior can overturn the likelihood: MLE picks h0 (0.9 > 0.5), MAP picks h1.
  const BayesResult s = bayes({{"h0", 0.1, 0.9}, {"h1", 0.9, 0.5}});
  CHECK(s.mle == 0);
  CHECK(s.map == 1);  // 0.09 vs 0.45
}

TEST_CASE("set_prior keeps the priors a distribution: the others share 1 - prior in proportion") {
  // The lab's example: Grogu 0.2, another Jedi 0.1, not Force-sensitive 0.7.
  std::vector<Hypothesis> h = {{"Grogu", 0.2, 0.95}, {"Jedi", 0.1, 0.8}, {"neither", 0.7, 0.03 / 0.7}};
  set_prior(h, 0, 0.6);
  // The other two had 0.1 : 0.7 and now share 0.4 in that ratio: 0.05 and 0.35.
  CHECK(h[0].prior == doctest::Approx(0.6));
  CHECK(h[1].prior == doctest::Approx(0.05));
  CHECK(h[2].prior == doctest::Approx(0.35));
  CHECK(h[0].prior + h[1].prior + h[2].prior == doctest::Approx(1.0));
  // The likelihoods are untouched, and P(Force) now comes from a distribution.
  CHECK(h[1].likelihood == doctest::Approx(0.8));
  CHECK(bayes(h).evidence == doctest::Approx(0.6 * 0.95 + 0.05 * 0.8 + 0.35 * 0.03 / 0.7));
  // Dragging one prior to 1 leaves nothing for the others; dragging it back shares evenly.
  set_prior(h, 2, 1.0);
  CHECK(h[0].prior == doctest::Approx(0.0));
  CHECK(h[1].prior == doctest::Approx(0.0));
  set_prior(h, 2, 0.5);
  CHECK(h[0].prior == doctest::Approx(0.25));
  CHECK(h[1].prior == doctest::Approx(0.25));
  // Out of range is clamped, and a lone hypothesis is certain.
  set_prior(h, 1, 1.7);
  CHECK(h[1].prior == doctest::Approx(1.0));
  CHECK(h[0].prior + h[2].prior == doctest::Approx(0.0));
  std::vector<Hypothesis> one = {{"only", 0.3, 0.5}};
  set_prior(one, 0, 0.3);
  CHECK(one[0].prior == doctest::Approx(1.0));
}

TEST_CASE("bad tables and hypotheses are implay::Errors") {
  CountTable t = dog_table();
  CHECK(error_of([&] { t.assignment({{"colour", "red"}}); }) == "no variable named \"colour\"");
  CHECK(error_of([&] { t.assignment({{"mood", "sleepy"}}); }) == "variable \"mood\" has no value \"sleepy\"");
  t.counts.pop_back();
  CHECK(error_of([&] {
          t.total();
          probability(t, Assignment(3, kAny));
        }) == "the count table has 11 counts, its variables need 12");
  CHECK(error_of([] { bayes({}); }) == "Bayes: no hypotheses");
  CHECK(error_of([] { bayes({{"h", 0, 0.5}}); }) == "Bayes: every prior x likelihood is 0, so P(e) = 0");
  const CountTable d = dog_table();
  CHECK(error_of([&] {
          chain_rule(d, d.assignment({{"mood", "angry"}}));
        }) == "the chain rule needs a value for variable \"place\"");
}
