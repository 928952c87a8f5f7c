// information.cpp — entropy, cross-entropy, KL and BCE with their steps; see information.hpp.
#include "core/eval/information.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace implay {
namespace {

std::string number_text(double x) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", x);
  return text;
}

void check_same_length(std::span<const double> a, std::span<const double> b, const char* a_name, const char* b_name) {
  if (a.empty() || b.empty()) throw Error(std::string(a.empty() ? a_name : b_name) + " is empty");
  if (a.size() != b.size())
    throw Error(std::string(a_name) + " has " + std::to_string(a.size()) + " values, " + b_name + " has " +
                std::to_string(b.size()) + " (they must have the same length)");
}

void check_unit_interval(std::span<const double> v, const char* name, bool only_nonnegative) {
  for (size_t i = 0; i < v.size(); ++i) {
    const bool bad = !std::isfinite(v[i]) || v[i] < 0 || (!only_nonnegative && v[i] > 1);
    if (bad)
      throw Error(std::string(name) + "[" + std::to_string(i) + "] = " + number_text(v[i]) +
                  (only_nonnegative ? " is negative or not finite" : " is outside [0, 1]"));
  }
}

}  // namespace

double clip_probability(double q, double eps) { return std::min(std::max(q, eps), 1.0); }

double entropy(std::span<const double> p) {
  double h = 0;
  for (const double pi : p)
    if (pi > 0) h -= pi * std::log(pi);  // 0 log 0 = 0
  return h;
}

CrossEntropySteps cross_entropy_steps(std::span<const double> p, std::span<const double> q, double eps) {
  check_same_length(p, q, "p", "q");
  check_unit_interval(p, "p", true);
  check_unit_interval(q, "q", true);
  CrossEntropySteps s;
  for (size_t i = 0; i < p.size(); ++i) {
    const double qc = clip_probability(q[i], eps);
    const double g = qc < 1 ? -std::log(qc) : 0.0;  // not −0.0 for q = 1
    s.q_clipped.push_back(qc);
    s.g.push_back(g);
    s.pg.push_back(p[i] * g);
    s.cross_entropy += p[i] * g;
    if (p[i] > 0) s.kl += p[i] * (std::log(p[i]) + g);  // p log(p / q)
  }
  s.entropy = entropy(p);
  return s;
}

double cross_entropy(std::span<const double> p, std::span<const double> q, double eps) {
  return cross_entropy_steps(p, q, eps).cross_entropy;
}

double kl_divergence(std::span<const double> p, std::span<const double> q, double eps) {
  return cross_entropy_steps(p, q, eps).kl;
}

double categorical_cross_entropy(int y, std::span<const double> q, double eps) {
  if (y < 0 || size_t(y) >= q.size())
    throw Error("class " + std::to_string(y) + " is outside 0.." + std::to_string(int(q.size()) - 1));
  check_unit_interval(q, "q", true);
  return -std::log(clip_probability(q[size_t(y)], eps));
}

double categorical_cross_entropy_batch(std::span<const int> labels, std::span<const double> q, int classes,
                                       double eps) {
  if (labels.empty()) throw Error("categorical cross-entropy of an empty batch");
  if (classes <= 0 || q.size() != labels.size() * size_t(classes))
    throw Error("q has " + std::to_string(q.size()) + " values, expected " + std::to_string(labels.size()) +
                " rows x " + std::to_string(classes) + " classes");
  double total = 0;
  for (size_t n = 0; n < labels.size(); ++n)
    total += categorical_cross_entropy(labels[n], q.subspan(n * size_t(classes), size_t(classes)), eps);
  return total / double(labels.size());
}

BinaryCrossEntropySteps binary_cross_entropy_steps(std::span<const double> y, std::span<const double> yhat,
                                                   double eps) {
  check_same_length(y, yhat, "y", "yhat");
  check_unit_interval(y, "y", false);
  check_unit_interval(yhat, "yhat", false);
  BinaryCrossEntropySteps s;
  for (size_t i = 0; i < y.size(); ++i) {
    const double yc = std::min(std::max(yhat[i], eps), 1.0 - eps);
    const double a = -std::log(yc), b = -std::log(1.0 - yc);  // yc is inside (0, 1): both > 0
    s.yhat_clipped.push_back(yc);
    s.log_yhat.push_back(a);
    s.log_one_minus.push_back(b);
    s.losses.push_back(y[i] * a + (1.0 - y[i]) * b);
    s.mean += s.losses.back();
  }
  s.mean /= double(y.size());
  return s;
}

double binary_cross_entropy(std::span<const double> y, std::span<const double> yhat, double eps) {
  return binary_cross_entropy_steps(y, yhat, eps).mean;
}

}  // namespace implay
