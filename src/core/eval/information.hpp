// information.hpp — entropy, cross-entropy, KL divergence, categorical cross-entropy (one example
// and a batch) and binary cross-entropy, in nats (natural log), with the intermediate arrays
// (g = −log q, p∘g, the sum) kept for the "by hand" UI and `implay entropy`.
// Neighbours: losses.hpp (losses on raw scores, with gradients), probability.hpp, roc.hpp.
#pragma once
#include <span>
#include <vector>

namespace implay {

// Probabilities are clipped to [kLogEpsilon, 1] before the log, so −log 0 is finite:
// −ln(1e-14) = 32.236, the "≈ 32" the lecture's table shows for −log(0). (The float32 machine
// epsilon 1.19e-7 would give 15.9, and the smallest normal float 1.18e-38 would give 87.3; 1e-14
// is the value that reproduces the table, and it is still far above double's underflow.)
inline constexpr double kLogEpsilon = 1e-14;

// min(max(q, eps), 1).
double clip_probability(double q, double eps = kLogEpsilon);

// H(p) = −Σ p_i log p_i, with 0 log 0 = 0 (no clipping needed). p: (C) a distribution.
double entropy(std::span<const double> p);

// Every step of H(p, q) = −Σ p_i log q_i.
struct CrossEntropySteps {
  std::vector<double> q_clipped;  // (C) min(max(q_i, eps), 1)
  std::vector<double> g;          // (C) g_i = −log q_clipped_i
  std::vector<double> pg;         // (C) p_i g_i  (p∘g)
  double cross_entropy = 0;       // Σ p_i g_i
  double entropy = 0;             // H(p)
  double kl = 0;                  // KL(p‖q) = Σ p_i (log p_i − log q_clipped_i) = H(p, q) − H(p)
};

// p, q: (C) each; throws implay::Error when the lengths differ or either is empty. Values are not
// required to sum to 1 here (the CLI checks that); a negative value throws.
CrossEntropySteps cross_entropy_steps(std::span<const double> p, std::span<const double> q, double eps = kLogEpsilon);
double cross_entropy(std::span<const double> p, std::span<const double> q, double eps = kLogEpsilon);
double kl_divergence(std::span<const double> p, std::span<const double> q, double eps = kLogEpsilon);

// Categorical CE of one example with true class y: −log q_y. q: (C).
double categorical_cross_entropy(int y, std::span<const double> q, double eps = kLogEpsilon);
// Mean over a batch: (1/N) Σ_n −log Q[n, y_n]. labels: (N), q: (N, C) row-major.
double categorical_cross_entropy_batch(std::span<const int> labels, std::span<const double> q, int classes,
                                       double eps = kLogEpsilon);

// Every step of binary cross-entropy, element-wise over y, ŷ: (N).
struct BinaryCrossEntropySteps {
  std::vector<double> yhat_clipped;   // (N) min(max(ŷ_i, eps), 1 − eps)
  std::vector<double> log_yhat;       // (N) −log ŷ_i       (the loss when y_i = 1)
  std::vector<double> log_one_minus;  // (N) −log(1 − ŷ_i)  (the loss when y_i = 0)
  std::vector<double> losses;         // (N) y_i·(−log ŷ_i) + (1 − y_i)·(−log(1 − ŷ_i))
  double mean = 0;                    // (1/N) Σ losses
};
// y: targets in [0, 1] (usually 0 or 1), yhat: predicted P(y = 1) in [0, 1]. Throws implay::Error
// on empty input, different lengths or a value outside [0, 1].
BinaryCrossEntropySteps binary_cross_entropy_steps(std::span<const double> y, std::span<const double> yhat,
                                                   double eps = kLogEpsilon);
double binary_cross_entropy(std::span<const double> y, std::span<const double> yhat, double eps = kLogEpsilon);

}  // namespace implay
