// roc_lab.cpp — the ROC & AUC lab. [SECTION] URL · scorers · training job · histogram with
// threshold · confusion · ROC curve · lab. Every count, rate and area comes from core/eval/roc.hpp.
#include "app/labs/roc_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/url_table.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/frame_budget.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/plot.hpp"
#include "core/error.hpp"
#include "core/linear/features.hpp"
#include "core/linear/linear_train.hpp"

namespace implay::app {

// [SECTION] URL ---------------------------------------------------------------------------

namespace {

constexpr UrlWord<RocSource> kSourceWords[] = {{RocSource::Toy, "toy"}, {RocSource::Mnist, "mnist"}};

}  // namespace

const UrlTable<RocLabState>& roc_url_table() {
  using S = RocLabState;
  static const UrlTable<S> table = {
      {url_tab<S, kSourceWords>(
           "the tab: the 1-D toy or MNIST digit A vs digit B", [](auto& s) -> auto& { return s.source; }),
       url_float<S>(
           "threshold", -10, 10, "the decision threshold", [](auto& s) -> auto& { return s.threshold; }),
       url_float<S>(
           "separation", 0, 5, "the toy's separation of A", [](auto& s) -> auto& { return s.toy.separation; }),
       url_float<S>(
           "spread", 0.1, 3, "the toy's spread", [](auto& s) -> auto& { return s.toy.spread; }),
       url_float<S>(
           "separation_b", 0, 5, "the toy's separation of B", [](auto& s) -> auto& { return s.toy_b_separation; }),
       url_int<S>(
           "seed", 0, 1000000, "the toy's scores", [](auto& s) -> auto& { return s.toy.seed; }),
       url_int<S>(
           "a", 0, 9, "MNIST: the positive digit", [](auto& s) -> auto& { return s.digit_a; }),
       url_int<S>(
           "b", 0, 9, "MNIST: the negative digit (not a)", [](auto& s) -> auto& { return s.digit_b; }),
       url_bool<S>(
           "compare", "draw the second classifier too", [](auto& s) -> auto& { return s.compare; })},
      {{"settings", "the sliders above the plots"},
       {"histogram", "the score histograms and the confusion table"},
       {"summary", "the sentence under the lab's heading"}}};
  return table;
}

// Digit B is another digit than A (the sliders keep it so too).
void apply_roc_url(RocLabState& s, UrlParams&) {
  if (s.digit_a == s.digit_b) s.digit_b = (s.digit_a + 1) % 10;
}

namespace {

// One meaning per colour on this page: the histogram's classes (blue, orange) and the ROC plot's
// classifiers (green, purple) never share a colour, so "orange" is always "negatives".
constexpr ImU32 kPositivesColor = IM_COL32(0, 114, 178, 110);
constexpr ImU32 kNegativesColor = IM_COL32(213, 94, 0, 110);
constexpr ImU32 kClassifierAColor = IM_COL32(0, 158, 115, 255);
constexpr ImU32 kClassifierBColor = IM_COL32(204, 121, 167, 255);
constexpr ImU32 kClassifierAFill = IM_COL32(0, 158, 115, 40);  // the area under A's curve

}  // namespace

namespace {

// [SECTION] scorers -----------------------------------------------------------------------

void score(ScoredSet& set, std::string name, std::vector<double> scores, std::vector<int> labels) {
  set.name = std::move(name);
  set.scores = std::move(scores);
  set.labels = std::move(labels);
  set.curve = roc_curve(set.scores, set.labels);
  set.valid = true;
}

void update_toy(RocLabState& s) {
  ScoreToy a = make_score_toy(s.toy);
  ScoreToyParams pb = s.toy;
  pb.separation = s.toy_b_separation;
  ScoreToy b = make_score_toy(pb);
  char name[64];
  std::snprintf(name, sizeof name, "A: separation %.2f", s.toy.separation);
  score(s.a, name, std::move(a.scores), std::move(a.labels));
  std::snprintf(name, sizeof name, "B: separation %.2f", double(s.toy_b_separation));
  score(s.b, name, std::move(b.scores), std::move(b.labels));
}

// Images of digits A (label 1) and B (label 0) from a set.
LabeledImages digits_a_vs_b(const LabeledImages& set, int a, int b) {
  LabeledImages out;
  out.rows = set.rows;
  out.cols = set.cols;
  // Reserved once: growing 9 MB of pixels (the full set's 3s and 8s) step by step took a frame.
  const auto n = std::count_if(set.labels.begin(), set.labels.end(), [&](uint8_t l) { return l == a || l == b; });
  out.pixels.reserve(size_t(n) * size_t(set.dim()));
  out.labels.reserve(size_t(n));
  for (int i = 0; i < set.count; ++i) {
    const int l = set.labels[size_t(i)];
    if (l != a && l != b) continue;
    const auto img = set.image(i);
    out.pixels.insert(out.pixels.end(), img.begin(), img.end());
    out.labels.push_back(l == a ? 1 : 0);
    ++out.count;
  }
  return out;
}

// [SECTION] training job ---------------------------------------------------------------------

constexpr double kFrameBudgetMs = 12.0;  // compute per frame, so the page stays ≥ 30 fps

// A logistic (BCE) classifier: 3 epochs of Adam from the trainer's default seed.
TrainOptions logistic_options() {
  TrainOptions o;
  o.objective.loss = LossKind::BinaryLogistic;
  o.epochs = 3;
  o.evaluate_initial = false;
  return o;
}

void start_classifier(RocClassifierJob& c, std::string name, const FeatureOptions& features, const RocTrainJob& job) {
  c.name = std::move(name);
  c.extractor = FeatureExtractor(features, job.train.rows, job.train.cols);
  c.train_x.resize(job.train.count, c.extractor.dim());
  c.test_x.resize(job.test.count, c.extractor.dim());
}

std::unique_ptr<RocTrainJob> start_job(const DataState& data, const RocMnistKey& key) {
  auto job = std::make_unique<RocTrainJob>();
  job->key = key;
  job->train = digits_a_vs_b(data.train, key.digit_a, key.digit_b);
  job->test = digits_a_vs_b(data.test, key.digit_a, key.digit_b);
  FeatureOptions pixels, hog;
  hog.kind = FeatureKind::Hog;
  start_classifier(job->classifiers[0], "logistic on raw pixels", pixels, *job);
  start_classifier(job->classifiers[1], "logistic on HoG features", hog, *job);
  return job;
}

// Features of images [done, count) into the rows of out (count, F) until the budget is spent.
// With unit scaling, transform_one of each image is what fit_transform / transform compute.
bool extract_rows(const FeatureExtractor& extractor, const LabeledImages& images, RowMatrixXf& out, int& done,
                  Clock::time_point t0, double budget_ms) {
  while (done < images.count) {
    extractor.transform_one(images.image(done), std::span<float>(out.row(done).data(), size_t(out.cols())));
    if ((++done & 15) == 0 && ms_since(t0) >= budget_ms) break;
  }
  return done == images.count;
}

// One slice of at most about budget_ms: features of the training and test images, then the
// minibatches, classifier after classifier. True when both are trained.
bool step_job(RocTrainJob& job, double budget_ms) {
  const auto t0 = Clock::now();
  while (job.current < 2 && ms_since(t0) < budget_ms) {
    RocClassifierJob& c = job.classifiers[job.current];
    if (!extract_rows(c.extractor, job.train, c.train_x, c.train_rows, t0, budget_ms)) break;
    if (!extract_rows(c.extractor, job.test, c.test_x, c.test_rows, t0, budget_ms)) break;
    if (!c.trainer) c.trainer = std::make_unique<LinearTrainer>(c.train_x, job.train.labels, 2, logistic_options());
    while (!c.trainer->done() && ms_since(t0) < budget_ms) c.trainer->step(1);
    if (!c.trainer->done()) break;
    if (!c.trainer->failure().empty()) throw Error(c.trainer->failure());
    ++job.current;
  }
  job.ms += ms_since(t0);
  return job.current == 2;
}

// Work done / all work, 0..1. Shares measured natively on the full set's 3 vs 8: raw-pixel
// features are almost free, HoG features take about a third of the time.
float job_progress(const RocTrainJob& job) {
  struct Share {
    double features, training;
  };
  constexpr Share kShares[2] = {{0.05, 0.30}, {0.30, 0.35}};
  const double rows = std::max(1, job.train.count + job.test.count);
  double p = 0;
  for (int k = 0; k < 2; ++k) {
    const RocClassifierJob& c = job.classifiers[k];
    p += kShares[k].features * (c.train_rows + c.test_rows) / rows;
    if (c.trainer) p += kShares[k].training * c.trainer->progress();
  }
  return float(std::clamp(p, 0.0, 1.0));
}

// Scores s₁ − s₀ (the logit of "digit A") of a trained classifier on the test images.
std::vector<double> test_scores(const RocClassifierJob& c) {
  const Eigen::MatrixXf s = scores(c.trainer->model(), c.test_x);  // (T, 2)
  std::vector<double> out(static_cast<size_t>(c.test_x.rows()));
  for (Eigen::Index i = 0; i < c.test_x.rows(); ++i) out[size_t(i)] = double(s(i, 1) - s(i, 0));
  return out;
}

void finish_job(RocLabState& s) {
  RocTrainJob& job = *s.job;
  const std::vector<int> labels(job.test.labels.begin(), job.test.labels.end());
  score(s.a, job.classifiers[0].name, test_scores(job.classifiers[0]), labels);
  score(s.b, job.classifiers[1].name, test_scores(job.classifiers[1]), labels);
  s.mnist_key = job.key;
  s.job_ms = job.ms;
  s.threshold = 0.0;  // the logit 0 is p = ½
  s.job.reset();
}

// [SECTION] histogram with threshold -------------------------------------------------------

void draw_histograms(RocLabState& s, const ScoredSet& set, Probes& probes, bool locked) {
  const auto [lo_it, hi_it] = std::minmax_element(set.scores.begin(), set.scores.end());
  const double lo = *lo_it - 0.05 * (*hi_it - *lo_it), hi = *hi_it + 0.05 * (*hi_it - *lo_it);
  const int bins = 40;
  std::vector<double> pos(bins, 0), neg(bins, 0);
  for (size_t i = 0; i < set.scores.size(); ++i) {
    const int b = std::clamp(int((set.scores[i] - lo) / (hi - lo) * bins), 0, bins - 1);
    (set.labels[i] ? pos : neg)[size_t(b)] += 1;
  }
  const double top = std::max(*std::max_element(pos.begin(), pos.end()), *std::max_element(neg.begin(), neg.end()));
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  probes.rect("hist", origin, ImVec2(origin.x + ImGui::GetContentRegionAvail().x, origin.y + 220));
  Plot plot("hist", ImVec2(-1, 220), {lo, hi}, {0, top * 1.1}, "score (predict positive when score ≥ threshold)",
            "examples");
  ImDrawList* dl = plot.draw_list();
  const double w = (hi - lo) / bins;
  for (int b = 0; b < bins; ++b) {
    const double x0 = lo + b * w;
    dl->AddRectFilled(plot.to_screen(x0, 0), plot.to_screen(x0 + w, neg[size_t(b)]), kNegativesColor);
    dl->AddRectFilled(plot.to_screen(x0, 0), plot.to_screen(x0 + w, pos[size_t(b)]), kPositivesColor);
    plot.avoid(x0, 0, x0 + w, std::max(neg[size_t(b)], pos[size_t(b)]));  // the legend keeps off the bars
  }
  plot.vline(s.threshold, IM_COL32(20, 20, 20, 255), "threshold");
  plot.line(std::vector<double>{}, std::vector<double>{}, kPositivesColor | IM_COL32_A_MASK, 2.0f, "positives");
  plot.line(std::vector<double>{}, std::vector<double>{}, kNegativesColor | IM_COL32_A_MASK, 2.0f, "negatives");
  // Drag the threshold: press anywhere on the plot and move (not under lock=1, like its slider).
  if (locked) return;
  if (plot.hovered() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) s.threshold = std::clamp(plot.mouse_x(), lo, hi);
  if (plot.hovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
}

// [SECTION] confusion ------------------------------------------------------------------------

void draw_confusion(const ThresholdMetrics& m) {
  if (ImGui::BeginTable("confusion", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::PushTextWrapPos(-1.0f);  // columns fit their text: the lab's wrapping would squeeze them
    ImGui::TableSetupColumn("");
    ImGui::TableSetupColumn("predicted positive");
    ImGui::TableSetupColumn("predicted negative");
    ImGui::TableHeadersRow();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("actual positive");
    ImGui::TableNextColumn();
    ImGui::TextColored(ImVec4(0, 0.45f, 0.2f, 1), "TP = %d", m.tp);
    ImGui::TableNextColumn();
    ImGui::TextColored(ImVec4(0.7f, 0.2f, 0.1f, 1), "FN = %d", m.fn);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("actual negative");
    ImGui::TableNextColumn();
    ImGui::TextColored(ImVec4(0.7f, 0.2f, 0.1f, 1), "FP = %d", m.fp);
    ImGui::TableNextColumn();
    ImGui::TextColored(ImVec4(0, 0.45f, 0.2f, 1), "TN = %d", m.tn);
    ImGui::PopTextWrapPos();
    ImGui::EndTable();
  }
  ImGui::Text("TPR = TP/(TP+FN) = %d/%d = %.3f", m.tp, m.tp + m.fn, m.tpr);
  ImGui::Text("FPR = FP/(FP+TN) = %d/%d = %.3f", m.fp, m.fp + m.tn, m.fpr);
  if (std::isfinite(m.precision))
    ImGui::Text("precision = TP/(TP+FP) = %d/%d = %.3f", m.tp, m.tp + m.fp, m.precision);
  else
    ImGui::TextDisabled("precision: nothing predicted positive");
  ImGui::Text("accuracy = %d/%d = %.3f", m.tp + m.tn, m.tp + m.tn + m.fp + m.fn, m.accuracy);
}

// [SECTION] ROC curve -------------------------------------------------------------------------

const char* segment_meaning(const RocPoint& from, const RocPoint& to) {
  if (to.tp > from.tp && to.fp == from.fp) return "up: more true positives without any new false positive";
  if (to.tp == from.tp && to.fp > from.fp) return "right: more false positives only";
  return "diagonal: positives and negatives with the same score enter together";
}

// A click on the ROC plot picks the curve's point nearest to it (in FPR/TPR units) and moves the
// threshold there; the first point (nothing positive, threshold +∞) maps to the slider's top.
void set_threshold_at_nearest_point(RocLabState& s, double fpr, double tpr) {
  const auto& pts = s.a.curve.points;
  if (pts.size() < 2) return;
  size_t best = 0;
  for (size_t k = 1; k < pts.size(); ++k)
    if (std::hypot(pts[k].fpr - fpr, pts[k].tpr - tpr) < std::hypot(pts[best].fpr - fpr, pts[best].tpr - tpr)) best = k;
  s.threshold = best == 0 ? pts[1].threshold + 0.5 : pts[best].threshold;
}

void draw_roc(RocLabState& s, const ThresholdMetrics& at, Probes& probes, bool locked) {
  // Square, as large as the pane allows with the AUC note (three lines) under it.
  const float size = FitSquare(260.0f, 420.0f, ImGui::GetTextLineHeightWithSpacing() * 3);
  Plot plot("roc", ImVec2(size, size), {0, 1}, {0, 1}, "false positive rate (FPR)", "true positive rate (TPR)");
  probes.rect("roc_area", plot.to_screen(0, 1), plot.to_screen(1, 0));  // the unit square of FPR × TPR
  if (!locked && plot.hovered() && ImGui::IsMouseClicked(ImGuiMouseButton_Left))
    set_threshold_at_nearest_point(s, plot.mouse_x(), plot.mouse_y());
  std::vector<double> fa, ta, fb, tb;
  for (const auto& p : s.a.curve.points) fa.push_back(p.fpr), ta.push_back(p.tpr);
  plot.fill_under(fa, ta, 0.0, kClassifierAFill);
  const double diag[] = {0, 1};
  plot.line(diag, diag, IM_COL32(0, 0, 0, 60), 1.0f);
  char label[96];
  std::snprintf(label, sizeof label, "%s (AUC %.3f)", s.a.name.c_str(), s.a.curve.auc);
  plot.line(fa, ta, kClassifierAColor, 2.5f, label);
  if (s.compare && s.b.valid) {
    for (const auto& p : s.b.curve.points) fb.push_back(p.fpr), tb.push_back(p.tpr);
    std::snprintf(label, sizeof label, "%s (AUC %.3f)", s.b.name.c_str(), s.b.curve.auc);
    plot.line(fb, tb, kClassifierBColor, 2.0f, label);
  }
  const double px[] = {at.fpr}, py[] = {at.tpr};
  plot.scatter(px, py, IM_COL32(20, 20, 20, 255), 6.0f);
  // Hover: the segment under the mouse and what moving along it means.
  s.hovered_segment = -1;
  if (plot.hovered()) {
    const auto& pts = s.a.curve.points;
    double best = 0.03;
    for (size_t k = 1; k < pts.size(); ++k) {
      // Distance from the mouse to segment k in plot units.
      const double ax = pts[k - 1].fpr, ay = pts[k - 1].tpr, bx = pts[k].fpr, by = pts[k].tpr;
      const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
      const double t =
          len2 > 0 ? std::clamp(((plot.mouse_x() - ax) * dx + (plot.mouse_y() - ay) * dy) / len2, 0.0, 1.0) : 0;
      const double d = std::hypot(plot.mouse_x() - (ax + t * dx), plot.mouse_y() - (ay + t * dy));
      if (d < best) best = d, s.hovered_segment = int(k);
    }
    if (s.hovered_segment > 0) {
      const RocPoint &from = pts[size_t(s.hovered_segment - 1)], &to = pts[size_t(s.hovered_segment)];
      plot.draw_list()->AddLine(plot.to_screen(from.fpr, from.tpr), plot.to_screen(to.fpr, to.tpr),
                                IM_COL32(0, 0, 0, 255), 5.0f);
      ImGui::BeginTooltip();
      ImGui::TextUnformatted(segment_meaning(from, to));
      ImGui::Text("threshold %.3f → %.3f: TP %d → %d, FP %d → %d", from.threshold, to.threshold, from.tp, to.tp,
                  from.fp, to.fp);
      ImGui::EndTooltip();
    }
  }
}

}  // namespace

// [SECTION] lab ----------------------------------------------------------------------------

void update_roc_lab(RocLabState& s, LabContext& ctx) {
  if (s.job) ctx.keep_awake();       // the training job steps this frame and needs the next one
  if (s.source != s.shown_source) {  // a tab click: the other source's curves go
    s.a.valid = s.b.valid = false;
    s.toy_key = {};
    s.mnist_key = {};
    s.job.reset();
    s.shown_source = s.source;
  }
  const auto t0 = Clock::now();
  try {
    if (s.source == RocSource::Toy) {
      const RocToyKey key{s.toy.separation, s.toy.spread, s.toy_b_separation};
      if (key == s.toy_key) return;
      s.toy_key = key;
      s.error.clear();
      update_toy(s);
      return;
    }
    if (!ctx.data.ready()) return;
    // A new digit or new data restarts the job; the curves shown stay until it finishes.
    const RocMnistKey key{s.digit_a, s.digit_b, ctx.data.generation};
    if (key != (s.job ? s.job->key : s.mnist_key)) {
      s.error.clear();
      s.job = start_job(ctx.data, key);  // selecting and allocating is this frame's work
      s.job->longest_slice_ms = ms_since(t0);
      return;
    }
    if (!s.job) return;
    const bool done = step_job(*s.job, kFrameBudgetMs);
    s.job->longest_slice_ms = std::max(s.job->longest_slice_ms, ms_since(t0));
    if (done) {
      s.job_longest_slice_ms = s.job->longest_slice_ms;
      finish_job(s);
    }
  } catch (const Error& e) {
    s.error = e.what();
    if (s.job) s.mnist_key = s.job->key;  // not retried until a setting changes
    s.a.valid = s.b.valid = false;
    s.job.reset();
  }
}

namespace {

// What runs, for the status bar.
std::string roc_activity(const RocLabState& s) {
  if (!s.job) return "";
  return "ROC: training two classifiers " + std::to_string(int(100 * job_progress(*s.job))) + " %";
}

}  // namespace

void background_roc_lab(RocLabState& s, LabContext& ctx) {
  ctx.activity = roc_activity(s);
  if (!s.job) return;
  ctx.keep_awake();
  try {
    if (step_job(*s.job, kFrameBudgetMs)) finish_job(s);
  } catch (const Error& e) {
    s.error = e.what();
    s.mnist_key = s.job->key;
    s.a.valid = s.b.valid = false;
    s.job.reset();
  }
}

namespace {

// The job's progress under the sliders; the curves below (if any) are the previous digits'.
void draw_job_progress(const RocLabState& s) {
  const float p = job_progress(*s.job);
  ImGui::AlignTextToFramePadding();
  ImGui::Text("Training the two classifiers… %.0f %%", 100.0 * p);
  ImGui::SameLine();
  ImGui::ProgressBar(p, ImVec2(220, 0), "");
  if (s.a.valid) {
    ImGui::SameLine(0, 16);
    ImGui::TextDisabled("the curves below are still %d vs %d", s.mnist_key.digit_a, s.mnist_key.digit_b);
  }
}

}  // namespace

void draw_roc_lab(RocLabState& s, LabContext& ctx) {
  ctx.activity = roc_activity(s);
  LabHeading(
      ctx.fonts.heading, "ROC & AUC",
      ctx.shown("summary")
          ? "A discriminator scores each example; a threshold turns scores into decisions. Sliding it trades true "
            "positives for false positives: the ROC curve, and the area under it."
          : nullptr);
  static constexpr const char* kTabNames[] = {"1-D toy", "MNIST: digit A vs digit B"};
  LabTabs("roc_tabs", kTabNames, s.source, s.select_tab);
  if (s.source != s.shown_source) s.a.valid = s.b.valid = false;  // update brings the new curves
  ImGui::BeginDisabled(ctx.locked);
  if (s.source == RocSource::Toy && ctx.shown("settings")) {
    float sep = float(s.toy.separation), spread = float(s.toy.spread);
    ImGui::SetNextItemWidth(FitWidth(220, "separation of A"));
    ImGui::SliderFloat("separation of A", &sep, 0.0f, 4.0f, "%.2f");
    SameLineIfFits(LabeledWidth(160, "spread"));  // the row wraps before a slider gets short
    ImGui::SetNextItemWidth(FitWidth(220, "spread"));
    ImGui::SliderFloat("spread", &spread, 0.2f, 2.5f, "%.2f");
    SameLineIfFits(LabeledWidth(160, "separation of B"));
    ImGui::SetNextItemWidth(FitWidth(220, "separation of B"));
    ImGui::SliderFloat("separation of B", &s.toy_b_separation, 0.0f, 4.0f, "%.2f");
    s.toy.separation = sep, s.toy.spread = spread;
  } else if (s.source == RocSource::Mnist) {
    if (!draw_data_needed(ctx)) {
      ImGui::EndDisabled();
      return;
    }
  }
  if (s.source == RocSource::Mnist && ctx.shown("settings")) {
    ImGui::SetNextItemWidth(FitWidth(160, "positive digit A"));
    ImGui::SliderInt("positive digit A", &s.digit_a, 0, 9);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(FitWidth(160, "negative digit B"));
    ImGui::SliderInt("negative digit B", &s.digit_b, 0, 9);
    ctx.probes.item("digit_b");
    if (s.digit_a == s.digit_b) s.digit_b = (s.digit_a + 1) % 10;
    ImGui::SameLine();
    HelpMarker(
        "Two logistic-regression (BCE) classifiers are trained here on the loaded training images of the two "
        "digits, one on raw pixels, one on HoG features; the curves are on the test images.");
  }
  if (s.source == RocSource::Mnist && s.job) draw_job_progress(s);
  if (!s.error.empty()) ErrorText(s.error);
  if (!s.a.valid) {
    ImGui::EndDisabled();
    return;
  }
  ImGui::Checkbox("compare with the second classifier", &s.compare);
  ImGui::EndDisabled();
  if (s.compare && s.b.valid) {
    ImGui::SameLine(0, 20);
    ImGui::Text("AUC %.3f vs %.3f: %+.3f", s.a.curve.auc, s.b.curve.auc, s.a.curve.auc - s.b.curve.auc);
  }
  const ThresholdMetrics at = metrics_at_threshold(s.a.scores, s.a.labels, s.threshold);
  // The scores and the confusion on the left, the ROC square (up to 420 px) on the right; one
  // under the other when the square would be smaller than 300 px.
  const float roc_side = std::min(420.0f, ImGui::GetContentRegionAvail().x * 0.45f);
  Panes panes("roc", ImGui::GetContentRegionAvail().x - roc_side - ImGui::GetStyle().ItemSpacing.x, 300.0f);
  ImGui::TextWrapped("Scores of %s (%d positives, %d negatives). Drag on the plot to move the threshold.",
                     s.a.name.c_str(), s.a.curve.positives, s.a.curve.negatives);
  if (ctx.shown("histogram")) draw_histograms(s, s.a, ctx.probes, ctx.locked);
  float t = float(s.threshold);
  ImGui::BeginDisabled(ctx.locked);
  ImGui::SetNextItemWidth(FitWidth(260, "threshold"));
  if (ImGui::SliderFloat("threshold", &t, float(s.a.curve.points.back().threshold) - 0.5f,
                         float(s.a.curve.points[1].threshold) + 0.5f, "%.3f"))
    s.threshold = t;
  ImGui::EndDisabled();
  if (ctx.shown("histogram")) draw_confusion(at);
  panes.next();
  draw_roc(s, at, ctx.probes, ctx.locked);
  ImGui::TextWrapped(
      "AUC = %.4f: the trapezoid area, equal to the chance that a random positive scores above a "
      "random negative (ties count ½). Hover the curve to read what each step means; click it to set the "
      "threshold there.",
      s.a.curve.auc);
}

namespace {

// The confusion at the current threshold as the ROC plot's dot shows it.
nlohmann::json at_threshold_json(const RocLabState& s) {
  if (!s.a.valid) return nullptr;
  const ThresholdMetrics m = metrics_at_threshold(s.a.scores, s.a.labels, s.threshold);
  return {{"tpr", m.tpr}, {"fpr", m.fpr}};
}

}  // namespace

nlohmann::json roc_state_json(const RocLabState& s) {
  return {{"source", int(s.source)},
          {"auc_a", s.a.valid ? s.a.curve.auc : -1.0},
          {"auc_b", s.b.valid ? s.b.curve.auc : -1.0},
          {"threshold", s.threshold},
          {"at", at_threshold_json(s)},
          {"valid", s.a.valid},
          {"training", s.job != nullptr},
          {"progress", s.job ? double(job_progress(*s.job)) : 0.0},
          {"training_ms", s.job ? s.job->ms : s.job_ms},
          {"longest_slice_ms", s.job ? s.job->longest_slice_ms : s.job_longest_slice_ms}};
}

}  // namespace implay::app
