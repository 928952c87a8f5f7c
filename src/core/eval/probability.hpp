// probability.hpp — probability from counts over a few named discrete variables: joint, marginal
// and conditional probabilities as exact fractions (numerator/denominator counts) and decimals,
// the chain rule p(x1,x2,x3) = p(x1) p(x2|x1) p(x3|x1,x2) factor by factor, and Bayes' theorem
// with MAP and MLE over a set of hypotheses. Neighbours: information.hpp, roc.hpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace implay {

struct Fraction {
  int64_t numerator = 0;
  int64_t denominator = 1;  // > 0 for a defined probability; 0 when conditioning on a zero count
  double value() const { return denominator ? double(numerator) / double(denominator) : 0.0; }
  std::string text() const { return std::to_string(numerator) + "/" + std::to_string(denominator); }  // "3/4"
};

struct Variable {
  std::string name;                 // "sound"
  std::vector<std::string> values;  // ("growl", "bark", "whine")
};

// A value index per variable of a CountTable; kAny leaves that variable free (summed over).
using Assignment = std::vector<int>;  // (V)
inline constexpr int kAny = -1;

// Counts over every combination of the variables' values (a full joint table of counts).
struct CountTable {
  std::vector<Variable> variables;  // (V), 1..4 variables
  std::vector<int64_t> counts;      // (Π |values|) row-major: the last variable varies fastest

  // Checks shapes and counts (non-negative, total > 0); throws implay::Error.
  void validate() const;
  int64_t total() const;
  // The index of a variable by name, and of a value of variable v by name; throws implay::Error.
  int variable_index(const std::string& name) const;
  int value_index(int variable, const std::string& value) const;
  // Sum of the counts that agree with `a` (kAny matches every value).
  int64_t count(const Assignment& a) const;
  // An assignment from "name=value" pairs; unnamed variables are kAny.
  Assignment assignment(const std::vector<std::pair<std::string, std::string>>& named) const;
};

// P(a) = count(a) / total: a joint probability when every variable is set, a marginal otherwise.
Fraction probability(const CountTable& table, const Assignment& a);
// P(event | given) = count(event ∧ given) / count(given). Throws implay::Error when the two set
// the same variable to different values. A zero count(given) gives denominator 0.
Fraction conditional(const CountTable& table, const Assignment& event, const Assignment& given);
// The marginal table of the variables listed (by index, in that order): counts summed over the rest.
CountTable marginal_table(const CountTable& table, const std::vector<int>& keep);

struct ChainFactor {
  std::string text;  // "p(sound=growl | mood=angry, place=!home)"-style, variables in order
  Fraction p;        // the factor as counts
};
struct ChainRule {
  std::vector<ChainFactor> factors;  // p(x_order[0]), p(x_order[1] | x_order[0]), ...
  double product = 0;                // Π factors = P(full assignment)
  Fraction joint;                    // count(full assignment) / total, equal to the product
};
// The chain rule for a full assignment (every variable set), factored in `order` (variable
// indices, a permutation; empty = table order). Throws implay::Error for a partial assignment.
ChainRule chain_rule(const CountTable& table, const Assignment& full, const std::vector<int>& order = {});

// Bayes' theorem for one hypothesis: P(h | e) = P(e | h) P(h) / P(e).
double bayes_posterior(double likelihood, double prior, double evidence);

struct Hypothesis {
  std::string name;
  double prior = 0;       // P(h)
  double likelihood = 0;  // P(e | h)
};
struct BayesResult {
  std::vector<double> unnormalised;  // (H) P(e | h) P(h), proportional to the posterior
  double evidence = 0;               // P(e) = Σ unnormalised (the hypotheses are exhaustive)
  std::vector<double> posterior;     // (H) unnormalised / evidence
  int map = 0;                       // argmax posterior (first of ties): maximum a posteriori
  int mle = 0;                       // argmax likelihood (first of ties): maximum likelihood
};
// Throws implay::Error for no hypotheses, a prior or likelihood outside [0, 1], or zero evidence.
BayesResult bayes(const std::vector<Hypothesis>& hypotheses);

// Sets hypothesis i's prior to `prior` (clamped to [0, 1]) and keeps the priors a distribution:
// the others are rescaled in proportion to share 1 − prior (evenly when they were all 0), so
// P(h₀) + … + P(hₙ) = 1 after every drag. A single hypothesis always has prior 1.
void set_prior(std::vector<Hypothesis>& hypotheses, size_t i, double prior);

}  // namespace implay
