// cmd_roc.cpp — `implay roc` (the ROC curve and AUC of core/eval/roc.hpp for a `label,score` CSV, and
// the counts at one threshold) and `implay entropy` (cross-entropy, entropy and KL of
// core/eval/information.hpp step by step, or binary cross-entropy with --bce), for vectors typed in.
//
// Index: [helpers] [implay roc] [implay entropy]
//
// Exit codes as main.cpp: `roc` exits 1 for an unreadable file or a bad row (file and line named),
// 2 for bad usage; every problem with `entropy`'s --p / --q is bad usage (exit 2).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "core/data/csv.hpp"
#include "core/error.hpp"
#include "core/eval/information.hpp"
#include "core/eval/roc.hpp"

namespace implay::cli {
namespace {

// [SECTION] helpers ------------------------------------------------------------------------------

// Shortest round-trip text of a double ("0.75", "1e-14").
std::string short_text(double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof(text), value);
  return std::string(text, result.ptr);
}

// [SECTION] implay roc ---------------------------------------------------------------------------

struct RocCliOptions {
  std::string input;                // --input CSV
  std::optional<double> threshold;  // --threshold: also print the counts there
  bool json = false;                // one JSON object instead of the table
};

int run_roc(const RocCliOptions& options) {
  const RocData data = load_roc_csv(options.input);
  RocCurve curve;
  try {
    curve = roc_curve(data.scores, data.labels);
  } catch (const Error& e) {
    throw Error(options.input + ": " + e.what());
  }
  if (options.json) {
    nlohmann::ordered_json out;
    out["auc"] = curve.auc;
    nlohmann::ordered_json fpr = nlohmann::ordered_json::array(), tpr = nlohmann::ordered_json::array(),
                           thresholds = nlohmann::ordered_json::array();  // (points)
    for (const RocPoint& p : curve.points) {
      fpr.push_back(p.fpr);
      tpr.push_back(p.tpr);
      // JSON has no infinity: the first point's threshold (+inf, nothing predicted positive) is null.
      thresholds.push_back(std::isinf(p.threshold) ? nlohmann::ordered_json(nullptr)
                                                   : nlohmann::ordered_json(p.threshold));
    }
    out["fpr"] = std::move(fpr);
    out["tpr"] = std::move(tpr);
    out["thresholds"] = std::move(thresholds);
    if (options.threshold) {
      const ThresholdMetrics m = metrics_at_threshold(data.scores, data.labels, *options.threshold);
      out["at"] = {{"threshold", m.threshold}, {"tp", m.tp}, {"fp", m.fp}, {"tn", m.tn}, {"fn", m.fn}};
    }
    std::cout << out.dump() << '\n';
    return 0;
  }
  std::cout << "roc: " << options.input << ": " << data.labels.size() << " examples (" << curve.positives
            << " positive, " << curve.negatives << " negative); predict 1 when score >= threshold\n";
  std::cout << "AUC: " << fixed4(curve.auc) << " (trapezoid rule; tied scores form one diagonal step)\n";
  std::cout << "threshold     FPR     TPR   FP/N   TP/P\n";
  for (const RocPoint& p : curve.points) {
    std::cout << pad_left(std::isinf(p.threshold) ? "inf" : short_text(p.threshold), 9) << pad_left(fixed4(p.fpr), 8)
              << pad_left(fixed4(p.tpr), 8) << pad_left(std::to_string(p.fp) + "/" + std::to_string(curve.negatives), 7)
              << pad_left(std::to_string(p.tp) + "/" + std::to_string(curve.positives), 7) << '\n';
  }
  if (options.threshold) {
    const ThresholdMetrics m = metrics_at_threshold(data.scores, data.labels, *options.threshold);
    std::cout << "at threshold " << short_text(m.threshold) << ": TP " << m.tp << ", FP " << m.fp << ", TN " << m.tn
              << ", FN " << m.fn << "\n  TPR " << m.tp << "/" << m.tp + m.fn << " = " << fixed4(m.tpr) << ", FPR "
              << m.fp << "/" << m.fp + m.tn << " = " << fixed4(m.fpr) << ", precision "
              << (m.tp + m.fp ? std::to_string(m.tp) + "/" + std::to_string(m.tp + m.fp) + " = " + fixed4(m.precision)
                              : std::string("undefined (nothing predicted positive)"))
              << ", accuracy " << m.tp + m.tn << "/" << data.labels.size() << " = " << fixed4(m.accuracy) << '\n'
              << "  confusion matrix (rows: true class, columns: predicted class):\n"
              << "  true.pred     0     1\n"
              << "          0" << pad_left(std::to_string(m.tn), 6) << pad_left(std::to_string(m.fp), 6) << '\n'
              << "          1" << pad_left(std::to_string(m.fn), 6) << pad_left(std::to_string(m.tp), 6) << '\n';
  }
  return 0;
}

void add_roc(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("roc", "ROC curve and AUC of a binary scorer, from a label,score CSV");
  auto options = std::make_shared<RocCliOptions>();
  cmd->add_option("--input", options->input, "CSV with a header label,score: labels 0/1, finite scores")->required();
  cmd->add_option("--threshold", options->threshold,
                  "also print TP, FP, TN, FN and the confusion matrix there (a finite number)")
      ->check(finite_number());
  cmd->add_flag("--json", options->json, "print one JSON object: auc, fpr, tpr, thresholds (the first, +inf, as null)");
  cmd->footer(
      "Predicts 1 when score >= threshold; one curve point per distinct score. "
      "AUC equals scikit-learn's roc_auc_score.");
  cmd->callback([&run, options] { run = [options] { return run_roc(*options); }; });
}

// [SECTION] implay entropy -----------------------------------------------------------------------

struct EntropyCliOptions {
  std::string p_text, q_text;  // --p, --q as typed
  bool bce = false;            // binary cross-entropy: p = targets y, q = predictions ŷ
  bool json = false;
  std::vector<double> p, q;  // (C) or (N) parsed once parsing succeeded
};

// "1,0,0" → (1, 0, 0); an error message names the bad entry.
std::string parse_vector(const std::string& text, std::vector<double>* out) {
  std::vector<double> values;
  std::vector<std::string_view> fields;
  split_csv_fields(text, fields);
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::optional<double> v = parse_csv_number(fields[i]);
    if (!v) return "value " + std::to_string(i + 1) + ": \"" + std::string(fields[i]) + "\" is not a finite number";
    values.push_back(*v);
  }
  if (out) *out = std::move(values);
  return {};
}

// Cross-checks at parse time, so that they are usage errors (exit 2) like a malformed vector.
void check_entropy_arguments(EntropyCliOptions& o) {
  if (std::string problem = parse_vector(o.p_text, &o.p); !problem.empty()) throw CLI::ValidationError("--p", problem);
  if (std::string problem = parse_vector(o.q_text, &o.q); !problem.empty()) throw CLI::ValidationError("--q", problem);
  if (o.p.size() != o.q.size())
    throw CLI::ValidationError("--q", "--p has " + std::to_string(o.p.size()) + " values, --q has " +
                                          std::to_string(o.q.size()) + " (they must have the same length)");
  const char* names[2] = {"--p", "--q"};
  const std::vector<double>* vectors[2] = {&o.p, &o.q};
  for (int k = 0; k < 2; ++k) {
    double sum = 0;
    for (size_t i = 0; i < vectors[k]->size(); ++i) {
      const double v = (*vectors[k])[i];
      if (v < 0 || v > 1)
        throw CLI::ValidationError(names[k], "value " + std::to_string(i + 1) + " (" + short_text(v) +
                                                 ") is outside [0, 1]: probabilities only");
      sum += v;
    }
    if (!o.bce && std::abs(sum - 1) > 1e-6)
      throw CLI::ValidationError(names[k], "the values sum to " + short_text(sum) +
                                               ", not 1 (a distribution; use --bce for independent binary targets)");
  }
}

int run_entropy(const EntropyCliOptions& o) {
  const std::string eps = short_text(kLogEpsilon);
  if (o.bce) {
    const BinaryCrossEntropySteps s = binary_cross_entropy_steps(o.p, o.q);
    if (o.json) {
      nlohmann::ordered_json out;
      out["losses"] = s.losses;
      out["mean"] = s.mean;
      std::cout << out.dump() << '\n';
      return 0;
    }
    std::cout << "binary cross-entropy: L_i = -[y_i log yhat_i + (1 - y_i) log(1 - yhat_i)]  (natural log; yhat "
                 "clipped to ["
              << eps << ", 1 - " << eps << "])\n";
    std::cout << "   i       y    yhat  -log yhat  -log(1-yhat)      L_i\n";
    for (size_t i = 0; i < o.p.size(); ++i)
      std::cout << pad_left(std::to_string(i), 4) << pad_left(short_text(o.p[i]), 8) << pad_left(short_text(o.q[i]), 8)
                << pad_left(fixed4(s.log_yhat[i]), 11) << pad_left(fixed4(s.log_one_minus[i]), 14)
                << pad_left(fixed4(s.losses[i]), 9) << '\n';
    std::cout << "mean BCE: (1/" << o.p.size() << ") sum L_i = " << fixed4(s.mean) << '\n';
    return 0;
  }
  const CrossEntropySteps s = cross_entropy_steps(o.p, o.q);
  if (o.json) {
    nlohmann::ordered_json out;
    out["g"] = s.g;
    out["pg"] = s.pg;
    out["cross_entropy"] = s.cross_entropy;
    out["entropy"] = s.entropy;
    out["kl"] = s.kl;
    std::cout << out.dump() << '\n';
    return 0;
  }
  std::cout << "cross-entropy H(p, q) = -sum_i p_i log q_i  (natural log; q clipped to [" << eps
            << ", 1], so -log 0 = " << fixed4(-std::log(kLogEpsilon)) << ")\n";
  std::cout << "   i       p       q  g = -log q    p * g\n";
  for (size_t i = 0; i < o.p.size(); ++i)
    std::cout << pad_left(std::to_string(i), 4) << pad_left(short_text(o.p[i]), 8) << pad_left(short_text(o.q[i]), 8)
              << pad_left(fixed4(s.g[i]), 12) << pad_left(fixed4(s.pg[i]), 9) << '\n';
  std::cout << "sum: H(p, q) = " << fixed4(s.cross_entropy) << '\n';
  std::cout << "entropy H(p) = -sum_i p_i log p_i = " << fixed4(s.entropy) << '\n';
  std::cout << "KL(p || q) = H(p, q) - H(p) = " << fixed4(s.kl) << '\n';
  return 0;
}

void add_entropy(CLI::App& app, Runner& run) {
  auto* cmd =
      app.add_subcommand("entropy", "Cross-entropy, entropy and KL divergence step by step (or BCE with --bce)");
  auto options = std::make_shared<EntropyCliOptions>();
  cmd->add_option("--p", options->p_text, "the true distribution p (with --bce: the targets y), comma-separated")
      ->required()
      ->check(CLI::Validator([](std::string& text) { return parse_vector(text, nullptr); }, "P,P,..."));
  cmd->add_option("--q", options->q_text, "the predicted distribution q (with --bce: the predictions yhat)")
      ->required()
      ->check(CLI::Validator([](std::string& text) { return parse_vector(text, nullptr); }, "Q,Q,..."));
  cmd->add_flag("--bce", options->bce,
                "binary cross-entropy of targets y (--p) and predictions yhat (--q), element-wise");
  cmd->add_flag("--json", options->json, "print one JSON object (g, pg, cross_entropy, entropy, kl; or losses, mean)");
  cmd->footer(
      "Example (the lecture's): implay entropy --p 1,0,0 --q 0.75,0.2,0.05   prints H(p, q) = 0.2877.\n"
      "Vectors of different lengths, values outside [0, 1] or (without --bce) not summing to 1 are usage "
      "errors (exit 2).");
  cmd->callback([&run, options] {
    check_entropy_arguments(*options);
    run = [options] { return run_entropy(*options); };
  });
}

}  // namespace

void add_roc_commands(CLI::App& app, Runner& run) {
  add_roc(app, run);
  add_entropy(app, run);
}

}  // namespace implay::cli
