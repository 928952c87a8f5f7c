// prob_lab.hpp — the Probability & losses lab's state: count tables (the lecture's kinds of data
// sets, editable) with joint, marginal and conditional probabilities and the chain rule;
// cross-entropy and BCE computed step by step; Bayes, MAP and MLE. prob_lab.cpp draws;
// core/eval/probability.hpp and core/eval/information.hpp compute.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/eval/probability.hpp"

namespace implay::app {

struct LabContext;
template <class State>
struct UrlTable;

enum class ProbTab { Tables, CrossEntropy, Bayes };
enum class ProbDataset { DogSounds, Greetings, SkyLand };  // the example count tables

struct ProbLabState {
  ProbTab tab = ProbTab::Tables;
  bool select_tab = true;
  ProbDataset dataset = ProbDataset::DogSounds;  // which example table is loaded
  CountTable table;                              // editable counts
  std::vector<int64_t> url_counts;               // counts= of the link, until the table is loaded
  int selected_row = 0;                          // the assignment whose joint / chain rule is shown
  // Cross-entropy by hand: one example (p, q over 3 classes) and a BCE batch (y, ŷ).
  double p[3] = {1, 0, 0};
  double q[3] = {0.75, 0.2, 0.05};
  int batch_labels[3] = {0, 1, 2};  // a categorical batch: true classes and rows of q
  double batch_q[9] = {0.75, 0.2, 0.05, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4};
  double y[4] = {1, 0, 1, 0};
  double yhat[4] = {0.9, 0.2, 0.6, 0.01};
  // Bayes: the Star Wars example, editable.
  std::vector<Hypothesis> hypotheses;
};

// ?mode=tables|ce|bayes&table=dogs|greetings|sky&row=3: what the address holds.
const UrlTable<ProbLabState>& prob_url_table();
void start_prob_lab(ProbLabState& s, LabContext& ctx);  // loads the example table and hypotheses
void draw_prob_lab(ProbLabState& s, LabContext& ctx);
nlohmann::json prob_state_json(const ProbLabState& s);

}  // namespace implay::app
