// prob_lab.cpp — the Probability & losses lab. [SECTION] example data · tables & chain rule ·
// cross-entropy by hand · Bayes · lab. Every fraction, entropy and posterior comes from the core.
#include "app/labs/prob_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/lab.hpp"
#include "app/url_params.hpp"
#include "app/widgets/aggregation_tree.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/plot.hpp"
#include "core/error.hpp"
#include "core/eval/information.hpp"

namespace implay::app {
namespace {

// [SECTION] example data ----------------------------------------------------------------------
// Small count tables of the kinds the lecture uses. The counts are example numbers chosen for
// round fractions; edit them in the table.

CountTable dog_sounds() {
  CountTable t;
  t.variables = {{"mood", {"angry", "calm"}}, {"place", {"home", "!home"}}, {"sound", {"growl", "bark", "whine"}}};
  // angry,home: growl bark whine | angry,!home | calm,home | calm,!home
  t.counts = {6, 3, 1, 8, 4, 0, 1, 2, 7, 1, 5, 2};
  return t;
}

CountTable greetings() {
  CountTable t;
  t.variables = {{"context", {"Formal", "Texas"}}, {"greeting", {"good morning", "howdy", "hello"}}};
  t.counts = {12, 0, 8, 2, 14, 4};
  return t;
}

CountTable sky_land() {
  CountTable t;
  t.variables = {{"part", {"sky", "land"}}, {"colour", {"blue", "white", "green", "brown"}}};
  t.counts = {30, 10, 0, 0, 2, 1, 17, 10};
  return t;
}

constexpr EnumChoice<ProbDataset> kDatasets[] = {{ProbDataset::DogSounds, "dog sounds (mood, place, sound)"},
                                                 {ProbDataset::Greetings, "greetings (context, greeting)"},
                                                 {ProbDataset::SkyLand, "pixel-based image model (part, colour)"}};

void load_dataset(ProbLabState& s) {
  switch (s.dataset) {
    case ProbDataset::DogSounds: s.table = dog_sounds(); break;
    case ProbDataset::Greetings: s.table = greetings(); break;
    case ProbDataset::SkyLand: s.table = sky_land(); break;
  }
  s.selected_row = 0;
}

std::vector<Hypothesis> star_wars() {
  // "Is the hooded figure Grogu?" The evidence: it used the Force. Priors and likelihoods as in
  // the lecture's example: P(Force | Grogu) = 0.95, P(Grogu) = 0.2, P(Force) = 0.3 → 0.63.
  return {{"Grogu", 0.2, 0.95}, {"another Jedi", 0.1, 0.8}, {"not Force-sensitive", 0.7, 0.03 / 0.7}};
}

// The assignment of row r of the table (the last variable varies fastest).
// [SECTION] tables & chain rule -------------------------------------------------------------

void draw_tables_tab(ProbLabState& s, Probes& probes) {
  ImGui::SetNextItemWidth(320);
  if (EnumCombo<ProbDataset>("data set", s.dataset, kDatasets)) load_dataset(s);
  ImGui::SameLine();
  if (ImGui::Button("Reset counts")) load_dataset(s);
  MutedText(
      "Edit a count, click a row: its joint probability, the chain rule that builds it, and the conditionals, "
      "as fractions of counts.");
  CountTable& t = s.table;
  const int V = int(t.variables.size()), rows = int(t.counts.size());
  const int64_t total = t.total();
  ImGui::BeginChild("counts", ImVec2(440, 0), false);
  if (ImGui::BeginTable("count_table", V + 2,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit)) {
    for (const auto& v : t.variables) ImGui::TableSetupColumn(v.name.c_str());
    ImGui::TableSetupColumn("count");
    ImGui::TableSetupColumn("joint p");
    ImGui::TableHeadersRow();
    for (int r = 0; r < rows; ++r) {
      const Assignment a = assignment_of(t, r);
      ImGui::TableNextRow();
      ImGui::PushID(r);
      for (int v = 0; v < V; ++v) {
        ImGui::TableNextColumn();
        if (v == 0 && ImGui::Selectable("##row", s.selected_row == r,
                                        ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
          s.selected_row = r;
        if (v == 0) probes.item("row" + std::to_string(r));  // for tests that tap a row
        if (v == 0) ImGui::SameLine(0, 0);
        ImGui::TextUnformatted(t.variables[size_t(v)].values[size_t(a[size_t(v)])].c_str());
      }
      ImGui::TableNextColumn();
      int c = int(t.counts[size_t(r)]);
      ImGui::SetNextItemWidth(70);
      if (ImGui::InputInt("##c", &c, 0)) t.counts[size_t(r)] = std::max(0, c);
      ImGui::TableNextColumn();
      ImGui::Text("%lld/%lld", (long long)t.counts[size_t(r)], (long long)total);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();
  ImGui::SameLine(0, 24);
  ImGui::BeginChild("explain", ImVec2(0, 0), false);
  try {
    const Assignment full = assignment_of(t, s.selected_row);
    const Fraction joint = probability(t, full);
    std::string event;
    for (int v = 0; v < V; ++v)
      event +=
          (v ? ", " : "") + t.variables[size_t(v)].name + "=" + t.variables[size_t(v)].values[size_t(full[size_t(v)])];
    ImGui::Text("p(%s) = %s = %.4f", event.c_str(), joint.text().c_str(), joint.value());
    ImGui::Spacing();
    ImGui::TextUnformatted("The chain rule builds the same number one variable at a time:");
    const ChainRule chain = chain_rule(t, full);
    std::string product;
    for (const auto& f : chain.factors) {
      ImGui::BulletText("%s = %s = %.4f", f.text.c_str(), f.p.text().c_str(), f.p.value());
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%.4f", product.empty() ? "" : " × ", f.p.value());
      product += buf;
    }
    ImGui::Text("product: %s = %.4f", product.c_str(), chain.product);
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted("Marginals of each variable:");
    for (int v = 0; v < V; ++v) {
      const CountTable m = marginal_table(t, {v});
      std::string line = t.variables[size_t(v)].name + ":";
      for (size_t i = 0; i < m.counts.size(); ++i) {
        Assignment a = {int(i)};
        line += "  p(" + t.variables[size_t(v)].values[i] + ") = " + probability(m, a).text();
      }
      ImGui::BulletText("%s", line.c_str());
    }
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted("The chain rule for a sentence (the lecture's example):");
    ImGui::TextUnformatted(
        "p(\"you are rich\") = p(you) · p(are | you) · p(rich | you, are) = 0.2 × 0.3 × 0.4 = 0.024");
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted("The aggregation tree: counts split one variable at a time, p(branch | above) on each edge");
    AggregationTree(s.table, s.selected_row);
  } catch (const Error& e) {
    ErrorText(e.what());
  }
  ImGui::EndChild();
}

// [SECTION] cross-entropy by hand -------------------------------------------------------------

void show_array(const char* name, std::span<const double> v) {
  std::string line = std::string(name) + " = [";
  char buf[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.4g", i ? ", " : "", v[i]);
    line += buf;
  }
  ImGui::TextUnformatted((line + "]").c_str());
}

void draw_ce_tab(ProbLabState& s) {
  MutedText(
      "Categorical cross-entropy of one example, exactly as the NumPy by hand: g = −log q, then p∘g, then the "
      "sum. q is clipped to [ε, 1] with ε = 10⁻¹⁴ so that log 0 stays finite (−log ε ≈ 32.2).");
  ImGui::BeginGroup();
  for (int i = 0; i < 3; ++i) {
    ImGui::PushID(i);
    ImGui::SetNextItemWidth(140);
    ImGui::InputDouble("##p", &s.p[i], 0, 0, "%.3f");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(140);
    ImGui::InputDouble("##q", &s.q[i], 0, 0, "%.3f");
    ImGui::SameLine();
    ImGui::Text("p%d, q%d", i, i);
    ImGui::PopID();
  }
  ImGui::EndGroup();
  ImGui::SameLine(0, 30);
  ImGui::BeginGroup();
  try {
    const CrossEntropySteps st = cross_entropy_steps(s.p, s.q);
    show_array("q (clipped)", st.q_clipped);
    show_array("g = −log q", st.g);
    show_array("p∘g", st.pg);
    ImGui::Text("H(p, q) = Σ p∘g = %.4f", st.cross_entropy);
    ImGui::Text("H(p) = %.4f,  KL(p‖q) = %.4f  (H(p, q) = H(p) + KL)", st.entropy, st.kl);
  } catch (const Error& e) {
    ErrorText(e.what());
  }
  ImGui::EndGroup();
  ImGui::Separator();
  ImGui::TextUnformatted("A batch: the mean of −log q[n, yₙ] over examples (rows of q, the true class yₙ).");
  for (int n = 0; n < 3; ++n) {
    ImGui::PushID(200 + n);
    ImGui::SetNextItemWidth(90);
    ImGui::InputInt("##label", &s.batch_labels[n], 1);
    s.batch_labels[n] = std::clamp(s.batch_labels[n], 0, 2);
    for (int c = 0; c < 3; ++c) {
      ImGui::SameLine();
      ImGui::PushID(c);
      ImGui::SetNextItemWidth(90);
      ImGui::InputDouble("##q", &s.batch_q[n * 3 + c], 0, 0, "%.3f");
      ImGui::PopID();
    }
    ImGui::SameLine();
    try {
      ImGui::Text("y%d, q%d   −log q[%d, y] = %.4f", n, n, n,
                  categorical_cross_entropy(s.batch_labels[n], std::span<const double>(s.batch_q + n * 3, 3)));
    } catch (const Error& e) {
      ErrorText(e.what());
    }
    ImGui::PopID();
  }
  try {
    ImGui::Text("batch cross-entropy = mean = %.4f",
                categorical_cross_entropy_batch(std::span<const int>(s.batch_labels, 3),
                                                std::span<const double>(s.batch_q, 9), 3));
  } catch (const Error& e) {
    ErrorText(e.what());
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Binary cross-entropy of a batch: each example stacks (y, 1 − y) against (ŷ, 1 − ŷ).");
  ImGui::BeginGroup();
  for (int i = 0; i < 4; ++i) {
    ImGui::PushID(100 + i);
    ImGui::SetNextItemWidth(140);
    ImGui::InputDouble("##y", &s.y[i], 0, 0, "%.0f");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(140);
    ImGui::InputDouble("##yhat", &s.yhat[i], 0, 0, "%.3f");
    ImGui::SameLine();
    ImGui::Text("y%d, ŷ%d", i, i);
    ImGui::PopID();
  }
  ImGui::EndGroup();
  ImGui::SameLine(0, 30);
  ImGui::BeginGroup();
  try {
    const BinaryCrossEntropySteps st = binary_cross_entropy_steps(s.y, s.yhat);
    show_array("−log ŷ", st.log_yhat);
    show_array("−log(1 − ŷ)", st.log_one_minus);
    show_array("losses", st.losses);
    ImGui::Text("BCE = mean = %.4f", st.mean);
  } catch (const Error& e) {
    ErrorText(e.what());
  }
  ImGui::EndGroup();
  // −log q with the landmarks students meet in the tables.
  std::vector<double> xs, ys;
  for (int i = 1; i <= 400; ++i) {
    xs.push_back(i / 400.0);
    ys.push_back(-std::log(i / 400.0));
  }
  Plot plot("neglog", ImVec2(-1, 220), {0, 1}, {0, 6}, "q (probability given to the true class)", "−log q");
  plot.line(xs, ys, IM_COL32(0, 114, 178, 255), 2.5f, "−log q (q → 0: 32.2 at ε = 10⁻¹⁴)");
  const double lx[] = {1.0, 0.5, 0.1, 0.75, 0.2, 0.05}, ly[] = {0.0, 0.693, 2.303, 0.288, 1.609, 2.996};
  plot.scatter(lx, ly, IM_COL32(213, 94, 0, 255), 4.5f);
  if (plot.hovered() && plot.mouse_x() > 0)
    ImGui::SetTooltip("q = %.3f: −log q = %.3f", plot.mouse_x(), -std::log(std::max(plot.mouse_x(), 1e-14)));
}

// [SECTION] Bayes ----------------------------------------------------------------------------

void draw_bayes_tab(ProbLabState& s) {
  MutedText(
      "A hooded figure used the Force. Who is it? Posterior ∝ likelihood × prior: MAP picks the largest "
      "posterior, MLE the largest likelihood (ignoring the prior).");
  if (ImGui::Button("Reset the example")) s.hypotheses = star_wars();
  if (ImGui::BeginTable("hyp", 3, ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("hypothesis h");
    ImGui::TableSetupColumn("prior P(h)");
    ImGui::TableSetupColumn("likelihood P(Force | h)");
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < s.hypotheses.size(); ++i) {
      ImGui::PushID(int(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(s.hypotheses[i].name.c_str());
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(160);
      ImGui::SliderScalar("##prior", ImGuiDataType_Double, &s.hypotheses[i].prior, &(const double&)0.0,
                          &(const double&)1.0, "%.3f");
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(160);
      ImGui::SliderScalar("##lik", ImGuiDataType_Double, &s.hypotheses[i].likelihood, &(const double&)0.0,
                          &(const double&)1.0, "%.3f");
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  try {
    const BayesResult r = bayes(s.hypotheses);
    ImGui::Text("P(Force) = Σ P(Force | h) P(h) = %.4f", r.evidence);
    for (size_t i = 0; i < s.hypotheses.size(); ++i) {
      ImGui::Text("P(%s | Force) = %.3f × %.3f / %.3f = %.4f", s.hypotheses[i].name.c_str(), s.hypotheses[i].likelihood,
                  s.hypotheses[i].prior, r.evidence, r.posterior[i]);
      ImGui::SameLine(560);
      ImGui::ProgressBar(float(r.posterior[i]), ImVec2(220, 0));
    }
    ImGui::Text("MAP: %s (likelihood × prior = %.3f)   ·   MLE: %s (likelihood %.3f)",
                s.hypotheses[size_t(r.map)].name.c_str(), r.unnormalised[size_t(r.map)],
                s.hypotheses[size_t(r.mle)].name.c_str(), s.hypotheses[size_t(r.mle)].likelihood);
  } catch (const Error& e) {
    ErrorText(e.what());
  }
}

}  // namespace

// [SECTION] lab ----------------------------------------------------------------------------

void apply_prob_url(ProbLabState& s, UrlParams& params) {
  int mode = 0;
  if (params.take_choice("mode", mode, {"tables", "ce", "bayes"})) s.tab = ProbTab(mode), s.select_tab = true;
  int dataset = int(s.dataset);
  if (params.take_choice("table", dataset, {"dogs", "greetings", "sky"})) s.dataset = ProbDataset(dataset);
}

void start_prob_lab(ProbLabState& s, LabContext&) {
  load_dataset(s);
  s.hypotheses = star_wars();
}

void draw_prob_lab(ProbLabState& s, LabContext& ctx) {
  LabHeading(ctx.fonts.heading, "Probability & losses",
             "Image models are built from joint and conditional probabilities and trained with cross-entropy: every "
             "exercise of the lecture, live.");
  static constexpr const char* kTabNames[] = {"Tables & the chain rule", "Cross-entropy by hand", "Bayes, MAP and MLE"};
  if (!LabTabs("prob_tabs", kTabNames, s.tab, s.select_tab)) return;
  switch (s.tab) {
    case ProbTab::Tables: draw_tables_tab(s, ctx.probes); break;
    case ProbTab::CrossEntropy: draw_ce_tab(s); break;
    case ProbTab::Bayes: draw_bayes_tab(s); break;
  }
}

nlohmann::json prob_state_json(const ProbLabState& s) {
  return {{"tab", int(s.tab)}, {"dataset", int(s.dataset)}, {"row", s.selected_row}};
}

}  // namespace implay::app
