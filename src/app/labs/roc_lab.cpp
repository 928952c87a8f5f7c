// roc_lab.cpp — the ROC & AUC lab. [SECTION] URL · scorers · histogram with threshold ·
// confusion · ROC curve · lab. Every count, rate and area comes from core/eval/roc.hpp.
#include "app/labs/roc_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/lab.hpp"
#include "app/format.hpp"
#include "app/url_params.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/plot.hpp"
#include "core/error.hpp"
#include "core/linear/features.hpp"
#include "core/linear/linear_train.hpp"

namespace implay::app {

// [SECTION] URL ---------------------------------------------------------------------------

void apply_roc_url(RocLabState& s, UrlParams& params) {
  int mode = 0;
  if (params.take_choice("mode", mode, {"toy", "mnist"})) s.source = RocSource(mode);
  float v = 0;
  if (params.take_float("threshold", v, -10.0f, 10.0f)) s.threshold = v;
  if (params.take_float("separation", v, 0.0f, 5.0f)) s.toy.separation = v;
  if (params.take_float("spread", v, 0.1f, 3.0f)) s.toy.spread = v;
  params.take_int("a", s.digit_a, 0, 9);
  params.take_int("b", s.digit_b, 0, 9);
  if (s.digit_a == s.digit_b) s.digit_b = (s.digit_a + 1) % 10;
}

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

// A logistic (BCE) classifier on `features`, trained on train, scored s₁ − s₀ on test.
std::vector<double> logistic_scores(const FeatureOptions& features, const LabeledImages& train, const LabeledImages& test) {
  FeatureExtractor extractor(features, train.rows, train.cols);
  const RowMatrixXf x = extractor.fit_transform(train);
  TrainOptions o;
  o.objective.loss = LossKind::BinaryLogistic;
  o.epochs = 3;
  o.evaluate_initial = false;
  const TrainResult trained = train_linear(x, train.labels, 2, o);
  const RowMatrixXf tx = extractor.transform(test);
  const Eigen::MatrixXf s = scores(trained.model, tx);
  std::vector<double> out(static_cast<size_t>(test.count));
  for (int i = 0; i < test.count; ++i) out[size_t(i)] = double(s(i, 1) - s(i, 0));  // the logit of "digit A"
  return out;
}

void update_mnist(RocLabState& s, const DataState& data) {
  const LabeledImages train = digits_a_vs_b(data.train, s.digit_a, s.digit_b);
  const LabeledImages test = digits_a_vs_b(data.test, s.digit_a, s.digit_b);
  const std::vector<int> labels(test.labels.begin(), test.labels.end());
  FeatureOptions pixels, hog;
  hog.kind = FeatureKind::Hog;
  char name[64];
  std::snprintf(name, sizeof name, "logistic on raw pixels");
  score(s.a, name, logistic_scores(pixels, train, test), labels);
  std::snprintf(name, sizeof name, "logistic on HoG features");
  score(s.b, name, logistic_scores(hog, train, test), labels);
  s.mnist_generation = data.generation;
  s.threshold = 0.0;  // the logit 0 is p = ½
}

// [SECTION] histogram with threshold -------------------------------------------------------

void draw_histograms(RocLabState& s, const ScoredSet& set, Probes& probes) {
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
  Plot plot("hist", ImVec2(-1, 220), {lo, hi}, {0, top * 1.1}, "score (predict positive when score ≥ threshold)", "examples");
  ImDrawList* dl = plot.draw_list();
  const double w = (hi - lo) / bins;
  for (int b = 0; b < bins; ++b) {
    const double x0 = lo + b * w;
    dl->AddRectFilled(plot.to_screen(x0, 0), plot.to_screen(x0 + w, neg[size_t(b)]), IM_COL32(213, 94, 0, 110));
    dl->AddRectFilled(plot.to_screen(x0, 0), plot.to_screen(x0 + w, pos[size_t(b)]), IM_COL32(0, 114, 178, 110));
  }
  plot.vline(s.threshold, IM_COL32(20, 20, 20, 255), "threshold");
  plot.line(std::vector<double>{}, std::vector<double>{}, IM_COL32(0, 114, 178, 200), 2.0f, "positives");
  plot.line(std::vector<double>{}, std::vector<double>{}, IM_COL32(213, 94, 0, 200), 2.0f, "negatives");
  // Drag the threshold: press anywhere on the plot and move.
  if (plot.hovered() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) s.threshold = std::clamp(plot.mouse_x(), lo, hi);
  if (plot.hovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
}

// [SECTION] confusion ------------------------------------------------------------------------

void draw_confusion(const ThresholdMetrics& m) {
  if (ImGui::BeginTable("confusion", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
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
    ImGui::EndTable();
  }
  ImGui::Text("TPR = TP/(TP+FN) = %d/%d = %.3f", m.tp, m.tp + m.fn, m.tpr);
  ImGui::Text("FPR = FP/(FP+TN) = %d/%d = %.3f", m.fp, m.fp + m.tn, m.fpr);
  if (std::isfinite(m.precision)) ImGui::Text("precision = TP/(TP+FP) = %d/%d = %.3f", m.tp, m.tp + m.fp, m.precision);
  else ImGui::TextDisabled("precision: nothing predicted positive");
  ImGui::Text("accuracy = %d/%d = %.3f", m.tp + m.tn, m.tp + m.tn + m.fp + m.fn, m.accuracy);
}

// [SECTION] ROC curve -------------------------------------------------------------------------

const char* segment_meaning(const RocPoint& from, const RocPoint& to) {
  if (to.tp > from.tp && to.fp == from.fp) return "up: more true positives without any new false positive";
  if (to.tp == from.tp && to.fp > from.fp) return "right: more false positives only";
  return "diagonal: positives and negatives with the same score enter together";
}

void draw_roc(RocLabState& s, const ThresholdMetrics& at) {
  const float size = std::min(ImGui::GetContentRegionAvail().x, 420.0f);
  Plot plot("roc", ImVec2(size, size), {0, 1}, {0, 1}, "false positive rate (FPR)", "true positive rate (TPR)");
  std::vector<double> fa, ta, fb, tb;
  for (const auto& p : s.a.curve.points) fa.push_back(p.fpr), ta.push_back(p.tpr);
  plot.fill_under(fa, ta, 0.0, IM_COL32(0, 114, 178, 40));
  const double diag[] = {0, 1};
  plot.line(diag, diag, IM_COL32(0, 0, 0, 60), 1.0f);
  char label[96];
  std::snprintf(label, sizeof label, "%s (AUC %.3f)", s.a.name.c_str(), s.a.curve.auc);
  plot.line(fa, ta, IM_COL32(0, 114, 178, 255), 2.5f, label);
  if (s.compare && s.b.valid) {
    for (const auto& p : s.b.curve.points) fb.push_back(p.fpr), tb.push_back(p.tpr);
    std::snprintf(label, sizeof label, "%s (AUC %.3f)", s.b.name.c_str(), s.b.curve.auc);
    plot.line(fb, tb, IM_COL32(213, 94, 0, 255), 2.0f, label);
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
      const double t = len2 > 0 ? std::clamp(((plot.mouse_x() - ax) * dx + (plot.mouse_y() - ay) * dy) / len2, 0.0, 1.0) : 0;
      const double d = std::hypot(plot.mouse_x() - (ax + t * dx), plot.mouse_y() - (ay + t * dy));
      if (d < best) best = d, s.hovered_segment = int(k);
    }
    if (s.hovered_segment > 0) {
      const RocPoint &from = pts[size_t(s.hovered_segment - 1)], &to = pts[size_t(s.hovered_segment)];
      plot.draw_list()->AddLine(plot.to_screen(from.fpr, from.tpr), plot.to_screen(to.fpr, to.tpr), IM_COL32(0, 0, 0, 255), 5.0f);
      ImGui::BeginTooltip();
      ImGui::TextUnformatted(segment_meaning(from, to));
      ImGui::Text("threshold %.3f → %.3f: TP %d → %d, FP %d → %d", from.threshold, to.threshold, from.tp, to.tp, from.fp, to.fp);
      ImGui::EndTooltip();
    }
  }
}

}  // namespace

// [SECTION] lab ----------------------------------------------------------------------------

void draw_roc_lab(RocLabState& s, LabContext& ctx) {
  LabHeading(ctx.fonts.heading, "ROC & AUC",
             "A discriminator scores each example; a threshold turns scores into decisions. Sliding it trades true "
             "positives for false positives: the ROC curve, and the area under it.");
  static constexpr const char* kTabNames[] = {"1-D toy", "MNIST: digit A vs digit B"};
  const RocSource shown = s.source;
  LabTabs("roc_tabs", kTabNames, s.source, s.select_tab);
  if (s.source != shown) s.a.valid = s.b.valid = false;
  try {
    if (s.source == RocSource::Toy) {
      bool changed = !s.a.valid;
      float sep = float(s.toy.separation), spread = float(s.toy.spread);
      ImGui::SetNextItemWidth(220);
      changed |= ImGui::SliderFloat("separation of A", &sep, 0.0f, 4.0f, "%.2f");
      ImGui::SameLine();
      ImGui::SetNextItemWidth(220);
      changed |= ImGui::SliderFloat("spread", &spread, 0.2f, 2.5f, "%.2f");
      ImGui::SameLine();
      ImGui::SetNextItemWidth(220);
      changed |= ImGui::SliderFloat("separation of B", &s.toy_b_separation, 0.0f, 4.0f, "%.2f");
      s.toy.separation = sep, s.toy.spread = spread;
      if (changed) update_toy(s);
    } else {
      if (!draw_data_needed(ctx)) return;
      bool changed = !s.a.valid || s.mnist_generation != ctx.data.generation;
      ImGui::SetNextItemWidth(160);
      changed |= ImGui::SliderInt("positive digit A", &s.digit_a, 0, 9);
      ImGui::SameLine();
      ImGui::SetNextItemWidth(160);
      changed |= ImGui::SliderInt("negative digit B", &s.digit_b, 0, 9);
      if (s.digit_a == s.digit_b) s.digit_b = (s.digit_a + 1) % 10;
      ImGui::SameLine();
      HelpMarker("Two logistic-regression (BCE) classifiers are trained here on the loaded training images of the two "
                 "digits, one on raw pixels, one on HoG features; the curves are on the test images.");
      if (changed) update_mnist(s, ctx.data);
    }
    s.error.clear();
  } catch (const Error& e) {
    s.error = e.what();
  }
  if (!s.error.empty()) ErrorText(s.error);
  if (!s.a.valid) return;
  ImGui::Checkbox("compare with the second classifier", &s.compare);
  if (s.compare && s.b.valid) {
    ImGui::SameLine(0, 20);
    ImGui::Text("AUC %.3f vs %.3f: %+.3f", s.a.curve.auc, s.b.curve.auc, s.a.curve.auc - s.b.curve.auc);
  }
  const ThresholdMetrics at = metrics_at_threshold(s.a.scores, s.a.labels, s.threshold);
  ImGui::BeginGroup();
  const float left = ImGui::GetContentRegionAvail().x - 450;
  ImGui::BeginChild("roc_left", ImVec2(std::max(360.0f, left), 0), false);
  ImGui::TextWrapped("Scores of %s (%d positives, %d negatives). Drag on the plot to move the threshold.",
                     s.a.name.c_str(), s.a.curve.positives, s.a.curve.negatives);
  draw_histograms(s, s.a, ctx.probes);
  float t = float(s.threshold);
  ImGui::SetNextItemWidth(260);
  if (ImGui::SliderFloat("threshold", &t, float(s.a.curve.points.back().threshold) - 0.5f,
                         float(s.a.curve.points[1].threshold) + 0.5f, "%.3f"))
    s.threshold = t;
  draw_confusion(at);
  ImGui::EndChild();
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  draw_roc(s, at);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 420);
  ImGui::TextWrapped("AUC = %.4f: the trapezoid area, equal to the chance that a random positive scores above a "
                     "random negative (ties count ½). Hover the curve to read what each step means.", s.a.curve.auc);
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

nlohmann::json roc_state_json(const RocLabState& s) {
  return {{"source", int(s.source)},
          {"auc_a", s.a.valid ? s.a.curve.auc : -1.0},
          {"auc_b", s.b.valid ? s.b.curve.auc : -1.0},
          {"threshold", s.threshold},
          {"valid", s.a.valid}};
}

}  // namespace implay::app
