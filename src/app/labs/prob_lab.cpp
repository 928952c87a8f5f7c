// prob_lab.cpp — the Probability & losses lab. [SECTION] example data · tables & chain rule ·
// cross-entropy by hand · Bayes · lab. Every fraction, entropy and posterior comes from the core.
#include "app/labs/prob_lab.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>

#include "app/lab.hpp"
#include "app/url_table.hpp"
#include "app/widgets/aggregation_tree.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
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

CountTable dataset_table(ProbDataset dataset) {
  switch (dataset) {
    case ProbDataset::DogSounds: return dog_sounds();
    case ProbDataset::Greetings: return greetings();
    case ProbDataset::SkyLand: return sky_land();
  }
  return dog_sounds();
}

void load_dataset(ProbLabState& s) {
  s.table = dataset_table(s.dataset);
  s.selected_row = 0;
}

// counts= of the address: "" while the table holds its example counts, else every count, row
// by row ("6,3,1,…").
std::string counts_text(const ProbLabState& s) {
  const std::vector<int64_t>& counts = s.table.counts.empty() ? s.url_counts : s.table.counts;
  if (counts.empty() || counts == dataset_table(s.dataset).counts) return "";
  std::string out;
  for (int64_t c : counts) out += (out.empty() ? "" : ",") + std::to_string(c);
  return out;
}

// Reads counts= for the table= before it: as many whole numbers 0..10⁶ as the table has rows,
// not all 0. Kept in url_counts until the table is loaded (start_prob_lab).
void set_counts_text(ProbLabState& s, const std::string& text) {
  if (text.empty()) return;
  const std::vector<long long> parsed = parse_url_int_list(text, 0, 1000000, "count");
  const std::vector<int64_t> counts(parsed.begin(), parsed.end());
  CountTable table = dataset_table(s.dataset);
  if (counts.size() != table.counts.size())
    throw Error(std::to_string(counts.size()) + " counts: the table has " + std::to_string(table.counts.size()) +
                " rows");
  table.counts = counts;
  table.validate();
  s.url_counts = counts;
  if (!s.table.counts.empty()) s.table.counts = counts;
}

std::vector<Hypothesis> star_wars() {
  // "Is the hooded figure Grogu?" The evidence: it used the Force. Priors and likelihoods as in
  // the lecture's example: P(Force | Grogu) = 0.95, P(Grogu) = 0.2, P(Force) = 0.3 → 0.63.
  return {{"Grogu", 0.2, 0.95}, {"another Jedi", 0.1, 0.8}, {"not Force-sensitive", 0.7, 0.03 / 0.7}};
}

// The assignment of row r of the table (the last variable varies fastest).
// [SECTION] tables & chain rule -------------------------------------------------------------

// The editable count table; a row click selects the assignment the explanation shows.
void draw_count_table(ProbLabState& s, const LabContext& ctx) {
  CountTable& t = s.table;
  const int V = int(t.variables.size()), rows = int(t.counts.size());
  const int64_t total = t.total();
  if (ImGui::BeginTable("count_table", V + 2,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::PushTextWrapPos(-1.0f);  // columns fit their text: the lab's wrapping would squeeze them
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
        if (v == 0) ctx.probes.item("row" + std::to_string(r));  // for tests that tap a row
        if (v == 0) ImGui::SameLine(0, 0);
        ImGui::TextUnformatted(t.variables[size_t(v)].values[size_t(a[size_t(v)])].c_str());
      }
      ImGui::TableNextColumn();
      int c = int(t.counts[size_t(r)]);
      ImGui::SetNextItemWidth(70);
      ImGui::BeginDisabled(ctx.locked);
      if (ImGui::InputInt("##c", &c, 0)) t.counts[size_t(r)] = std::max(0, c);
      ImGui::EndDisabled();
      ImGui::TableNextColumn();
      ImGui::Text("%lld/%lld", (long long)t.counts[size_t(r)], (long long)total);
      ImGui::PopID();
    }
    ImGui::PopTextWrapPos();
    ImGui::EndTable();
  }
}

void draw_tables_tab(ProbLabState& s, const LabContext& ctx) {
  ImGui::BeginDisabled(ctx.locked);
  ImGui::SetNextItemWidth(FitWidth(320, "data set"));
  if (EnumCombo<ProbDataset>("data set", s.dataset, kDatasets)) load_dataset(s);
  ImGui::SameLine();
  if (ImGui::Button("Reset counts")) load_dataset(s);
  ImGui::EndDisabled();
  MutedText(
      "Edit a count, click a row: its joint probability, the chain rule that builds it, and the conditionals, "
      "as fractions of counts.");
  CountTable& t = s.table;
  const int V = int(t.variables.size());
  const bool counts = ctx.shown("counts"), explain = ctx.shown("explain");
  std::optional<Panes> panes;  // side by side (or stacked) only when both are shown
  if (counts && explain) panes.emplace("tables", 440, 340);
  if (counts) draw_count_table(s, ctx);
  if (!explain) return;
  if (panes) panes->next();
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
      BulletWrapped("%s = %s = %.4f", f.text.c_str(), f.p.text().c_str(), f.p.value());
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
      BulletWrapped("%s", line.c_str());
    }
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted("The chain rule for a sentence (the lecture's example):");
    ImGui::TextUnformatted(
        "p(\"you are rich\") = p(you) · p(are | you) · p(rich | you, are) = 0.2 × 0.3 × 0.4 = 0.024");
    ImGui::Spacing();
    if (panes) panes->end();  // the tree takes the full width, under the table and the explanation
    ImGui::Separator();
    ImGui::TextUnformatted("The aggregation tree: counts split one variable at a time, p(branch | above) on each edge");
    AggregationTree(s.table, s.selected_row);
  } catch (const Error& e) {
    ErrorText(e.what());
  }
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

// The by-hand examples' inputs: row i edits a[i] and b[i] side by side, labelled "a_i, b_i"
// (p and q, y and ŷ); then the cursor goes beside the group for the steps, or under it when
// narrow. id: a PushID base unique in the tab; a_format: a's format (b's is "%.3f").
void draw_input_pairs(int id, std::span<double> a, std::span<double> b, std::array<const char*, 2> names,
                      const char* a_format) {
  ImGui::BeginGroup();
  for (size_t i = 0; i < a.size(); ++i) {
    ImGui::PushID(id + int(i));
    ImGui::SetNextItemWidth(FitWidth(140, "##a"));
    ImGui::InputDouble("##a", &a[i], 0, 0, a_format);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(FitWidth(140, "##b"));
    ImGui::InputDouble("##b", &b[i], 0, 0, "%.3f");
    ImGui::SameLine();
    ImGui::Text("%s%d, %s%d", names[0], int(i), names[1], int(i));
    ImGui::PopID();
  }
  ImGui::EndGroup();
  SameLineIfFits(300, 30);
}

// The worked steps beside the inputs, as one group: `show` computes and draws them; inputs the
// core refuses (q not a distribution, a label out of range) show its message instead.
template <class Show>
void draw_steps(Show show) {
  ImGui::BeginGroup();
  try {
    show();
  } catch (const Error& e) {
    ErrorText(e.what());
  }
  ImGui::EndGroup();
}

void draw_ce_tab(ProbLabState& s) {
  MutedText(
      "Categorical cross-entropy of one example, exactly as the NumPy by hand: g = −log q, then p∘g, then the "
      "sum. q is clipped to [ε, 1] with ε = 10⁻¹⁴ so that log 0 stays finite (−log ε ≈ 32.2).");
  draw_input_pairs(0, {s.p, 3}, {s.q, 3}, {"p", "q"}, "%.3f");
  draw_steps([&] {
    const CrossEntropySteps st = cross_entropy_steps(s.p, s.q);
    show_array("q (clipped)", st.q_clipped);
    show_array("g = −log q", st.g);
    show_array("p∘g", st.pg);
    ImGui::Text("H(p, q) = Σ p∘g = %.4f", st.cross_entropy);
    ImGui::Text("H(p) = %.4f,  KL(p‖q) = %.4f  (H(p, q) = H(p) + KL)", st.entropy, st.kl);
  });
  ImGui::Separator();
  ImGui::TextUnformatted("A batch: the mean of −log q[n, yₙ] over examples (rows of q, the true class yₙ).");
  for (int n = 0; n < 3; ++n) {
    ImGui::PushID(200 + n);
    ImGui::SetNextItemWidth(FitWidth(90, "##label"));
    ImGui::InputInt("##label", &s.batch_labels[n], 1);
    s.batch_labels[n] = std::clamp(s.batch_labels[n], 0, 2);
    for (int c = 0; c < 3; ++c) {
      ImGui::SameLine();
      ImGui::PushID(c);
      ImGui::SetNextItemWidth(FitWidth(90, "##q"));
      ImGui::InputDouble("##q", &s.batch_q[n * 3 + c], 0, 0, "%.3f");
      ImGui::PopID();
    }
    SameLineIfFits(240);
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
  draw_input_pairs(100, {s.y, 4}, {s.yhat, 4}, {"y", "ŷ"}, "%.0f");
  draw_steps([&] {
    const BinaryCrossEntropySteps st = binary_cross_entropy_steps(s.y, s.yhat);
    show_array("−log ŷ", st.log_yhat);
    show_array("−log(1 − ŷ)", st.log_one_minus);
    show_array("losses", st.losses);
    ImGui::Text("BCE = mean = %.4f", st.mean);
  });
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

void draw_bayes_tab(ProbLabState& s, Probes& probes) {
  MutedText(
      "A hooded figure used the Force. Who is it? Posterior ∝ likelihood × prior: MAP picks the largest "
      "posterior, MLE the largest likelihood (ignoring the prior).");
  if (ImGui::Button("Reset the example")) s.hypotheses = star_wars();
  if (ImGui::BeginTable("hyp", 3, ImGuiTableFlags_SizingFixedFit)) {
    ImGui::PushTextWrapPos(-1.0f);  // columns fit their text: the lab's wrapping would squeeze them
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
      // A dragged prior takes its share from the others, so the priors stay a distribution.
      double prior = s.hypotheses[i].prior;
      if (ImGui::SliderScalar("##prior", ImGuiDataType_Double, &prior, &(const double&)0.0, &(const double&)1.0,
                              "%.3f"))
        set_prior(s.hypotheses, i, prior);
      probes.item("prior_" + std::to_string(i));
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(160);
      ImGui::SliderScalar("##lik", ImGuiDataType_Double, &s.hypotheses[i].likelihood, &(const double&)0.0,
                          &(const double&)1.0, "%.3f");
      ImGui::PopID();
    }
    ImGui::PopTextWrapPos();
    ImGui::EndTable();
  }
  double prior_sum = 0;
  for (const Hypothesis& h : s.hypotheses) prior_sum += h.prior;
  ImGui::Text("Σ P(h) = %.3f", prior_sum);
  ImGui::SameLine();
  HelpMarker(
      "The hypotheses cover every case, so their priors form a distribution: dragging one prior "
      "rescales the others to share what is left.");
  try {
    const BayesResult r = bayes(s.hypotheses);
    ImGui::Text("P(Force) = Σ P(Force | h) P(h) = %.4f", r.evidence);
    for (size_t i = 0; i < s.hypotheses.size(); ++i) {
      ImGui::Text("P(%s | Force) = %.3f × %.3f / %.3f = %.4f", s.hypotheses[i].name.c_str(), s.hypotheses[i].likelihood,
                  s.hypotheses[i].prior, r.evidence, r.posterior[i]);
      if (ImGui::GetContentRegionMax().x >= 560 + 220) ImGui::SameLine(560);  // bars in a column, or under
      ImGui::ProgressBar(float(r.posterior[i]), ImVec2(FitWidth(220), 0));
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

namespace {

constexpr UrlWord<ProbTab> kTabWords[] = {
    {ProbTab::Tables, "tables"}, {ProbTab::CrossEntropy, "ce"}, {ProbTab::Bayes, "bayes"}};
constexpr UrlWord<ProbDataset> kDatasetWords[] = {
    {ProbDataset::DogSounds, "dogs"}, {ProbDataset::Greetings, "greetings"}, {ProbDataset::SkyLand, "sky"}};

}  // namespace

const UrlTable<ProbLabState>& prob_url_table() {
  using S = ProbLabState;
  static const UrlTable<S> table = {
      {url_tab<S, kTabWords>(
           "the tab: tables & the chain rule, cross-entropy, Bayes", [](auto& s) -> auto& { return s.tab; }),
       url_enum<S, kDatasetWords>(
           "table", "the example count table", [](auto& s) -> auto& { return s.dataset; }),
       url_text<S>("counts", "one whole number 0–1000000 per row, comma-separated",
                   "the table's counts as edited (left out while they are the example's)", counts_text,
                   set_counts_text),
       url_int<S>(
           "row", 0, 63, "the table's selected row", [](auto& s) -> auto& { return s.selected_row; })},
      {{"counts", "the editable count table"},
       {"explain", "the joint, marginal and chain-rule explanation beside it"},
       {"summary", "the sentence under the lab's heading"}}};
  return table;
}

void start_prob_lab(ProbLabState& s, LabContext&) {
  const int row = s.selected_row;  // a link's row= survives loading its table
  load_dataset(s);
  if (s.url_counts.size() == s.table.counts.size()) s.table.counts = s.url_counts;  // a link's counts=
  s.selected_row = std::clamp(row, 0, int(s.table.counts.size()) - 1);
  s.hypotheses = star_wars();
}

void draw_prob_lab(ProbLabState& s, LabContext& ctx) {
  LabHeading(
      ctx.fonts.heading, "Probability & losses",
      ctx.shown("summary")
          ? "Image models are built from joint and conditional probabilities and trained with cross-entropy: every "
            "exercise of the lecture, live."
          : nullptr);
  static constexpr const char* kTabNames[] = {"Tables & the chain rule", "Cross-entropy by hand", "Bayes, MAP and MLE"};
  if (!LabTabs("prob_tabs", kTabNames, s.tab, s.select_tab)) return;
  switch (s.tab) {
    case ProbTab::Tables: draw_tables_tab(s, ctx); break;
    case ProbTab::CrossEntropy: draw_ce_tab(s); break;
    case ProbTab::Bayes: draw_bayes_tab(s, ctx.probes); break;
  }
}

nlohmann::json prob_state_json(const ProbLabState& s) {
  nlohmann::json priors = nlohmann::json::array();
  for (const Hypothesis& h : s.hypotheses) priors.push_back(h.prior);
  return {{"tab", int(s.tab)},
          {"dataset", int(s.dataset)},
          {"counts", s.table.counts},
          {"row", s.selected_row},
          {"priors", priors}};
}

}  // namespace implay::app
