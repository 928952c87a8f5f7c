// probability.cpp — counts to probabilities, the chain rule and Bayes; see probability.hpp.
#include "core/eval/probability.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/error.hpp"

namespace implay {

void CountTable::validate() const {
  if (variables.empty() || variables.size() > 4)
    throw Error("a count table needs 1 to 4 variables, this one has " + std::to_string(variables.size()));
  size_t cells = 1;
  for (const Variable& v : variables) {
    if (v.values.empty()) throw Error("variable \"" + v.name + "\" has no values");
    cells *= v.values.size();
  }
  if (counts.size() != cells)
    throw Error("the count table has " + std::to_string(counts.size()) + " counts, its variables need " +
                std::to_string(cells));
  for (size_t i = 0; i < counts.size(); ++i)
    if (counts[i] < 0) throw Error("count " + std::to_string(i) + " is negative (" + std::to_string(counts[i]) + ")");
  if (total() == 0) throw Error("every count is 0: no probabilities to estimate");
}

int64_t CountTable::total() const { return std::accumulate(counts.begin(), counts.end(), int64_t{0}); }

int CountTable::variable_index(const std::string& name) const {
  for (size_t v = 0; v < variables.size(); ++v)
    if (variables[v].name == name) return int(v);
  throw Error("no variable named \"" + name + "\"");
}

int CountTable::value_index(int variable, const std::string& value) const {
  const Variable& v = variables.at(size_t(variable));
  for (size_t i = 0; i < v.values.size(); ++i)
    if (v.values[i] == value) return int(i);
  throw Error("variable \"" + v.name + "\" has no value \"" + value + "\"");
}

Assignment CountTable::assignment(const std::vector<std::pair<std::string, std::string>>& named) const {
  Assignment a(variables.size(), kAny);
  for (const auto& [name, value] : named) {
    const int v = variable_index(name);
    a[size_t(v)] = value_index(v, value);
  }
  return a;
}

int64_t CountTable::count(const Assignment& a) const {
  validate();
  if (a.size() != variables.size())
    throw Error("an assignment names " + std::to_string(a.size()) + " variables, the table has " +
                std::to_string(variables.size()));
  int64_t sum = 0;
  for (size_t cell = 0; cell < counts.size(); ++cell) {
    // Decode the cell's value indices, last variable fastest.
    size_t rest = cell;
    bool match = true;
    for (size_t v = variables.size(); v-- > 0;) {
      const int value = int(rest % variables[v].values.size());
      rest /= variables[v].values.size();
      if (a[v] != kAny && a[v] != value) match = false;
    }
    if (match) sum += counts[cell];
  }
  return sum;
}

Fraction probability(const CountTable& table, const Assignment& a) { return {table.count(a), table.total()}; }

Fraction conditional(const CountTable& table, const Assignment& event, const Assignment& given) {
  if (event.size() != given.size()) throw Error("event and condition have different numbers of variables");
  Assignment both = given;
  for (size_t v = 0; v < event.size(); ++v) {
    if (event[v] == kAny) continue;
    if (both[v] != kAny && both[v] != event[v])
      throw Error("variable \"" + table.variables[v].name + "\" is set to two different values");
    both[v] = event[v];
  }
  return {table.count(both), table.count(given)};
}

CountTable marginal_table(const CountTable& table, const std::vector<int>& keep) {
  table.validate();
  CountTable out;
  for (const int v : keep) out.variables.push_back(table.variables.at(size_t(v)));
  size_t cells = 1;
  for (const Variable& v : out.variables) cells *= v.values.size();
  out.counts.assign(cells, 0);
  for (size_t cell = 0; cell < cells; ++cell) {
    Assignment a(table.variables.size(), kAny);
    size_t rest = cell;
    for (size_t k = keep.size(); k-- > 0;) {
      const size_t n = out.variables[k].values.size();
      a[size_t(keep[k])] = int(rest % n);
      rest /= n;
    }
    out.counts[cell] = table.count(a);
  }
  return out;
}

namespace {
std::string term(const CountTable& table, int v, int value) {
  return table.variables[size_t(v)].name + "=" + table.variables[size_t(v)].values[size_t(value)];
}
}  // namespace

ChainRule chain_rule(const CountTable& table, const Assignment& full, const std::vector<int>& order_in) {
  table.validate();
  if (full.size() != table.variables.size()) throw Error("the chain rule needs a value for every variable");
  for (size_t v = 0; v < full.size(); ++v)
    if (full[v] == kAny) throw Error("the chain rule needs a value for variable \"" + table.variables[v].name + "\"");
  std::vector<int> order = order_in;
  if (order.empty())
    for (size_t v = 0; v < full.size(); ++v) order.push_back(int(v));
  if (order.size() != full.size()) throw Error("the chain rule's order must list every variable once");
  ChainRule out;
  out.product = 1;
  Assignment given(full.size(), kAny);
  std::string given_text;
  for (const int v : order) {
    if (v < 0 || size_t(v) >= full.size() || given[size_t(v)] != kAny)
      throw Error("the chain rule's order must list every variable once");
    Assignment event(full.size(), kAny);
    event[size_t(v)] = full[size_t(v)];
    ChainFactor f;
    f.p = conditional(table, event, given);
    f.text = "p(" + term(table, v, full[size_t(v)]) + (given_text.empty() ? "" : " | " + given_text) + ")";
    out.product *= f.p.value();
    out.factors.push_back(f);
    given[size_t(v)] = full[size_t(v)];
    given_text += (given_text.empty() ? "" : ", ") + term(table, v, full[size_t(v)]);
  }
  out.joint = probability(table, full);
  return out;
}

double bayes_posterior(double likelihood, double prior, double evidence) {
  if (!(evidence > 0)) throw Error("Bayes: the evidence P(e) must be positive");
  return likelihood * prior / evidence;
}

BayesResult bayes(const std::vector<Hypothesis>& hypotheses) {
  if (hypotheses.empty()) throw Error("Bayes: no hypotheses");
  BayesResult r;
  for (const Hypothesis& h : hypotheses) {
    if (!(h.prior >= 0 && h.prior <= 1) || !(h.likelihood >= 0 && h.likelihood <= 1))
      throw Error("Bayes: hypothesis \"" + h.name + "\" needs a prior and a likelihood in [0, 1]");
    r.unnormalised.push_back(h.likelihood * h.prior);
    r.evidence += r.unnormalised.back();
  }
  if (!(r.evidence > 0)) throw Error("Bayes: every prior x likelihood is 0, so P(e) = 0");
  for (size_t i = 0; i < hypotheses.size(); ++i) {
    r.posterior.push_back(r.unnormalised[i] / r.evidence);
    if (r.posterior[i] > r.posterior[size_t(r.map)]) r.map = int(i);
    if (hypotheses[i].likelihood > hypotheses[size_t(r.mle)].likelihood) r.mle = int(i);
  }
  return r;
}

void set_prior(std::vector<Hypothesis>& hypotheses, size_t i, double prior) {
  assert(i < hypotheses.size());
  if (hypotheses.size() == 1) {
    hypotheses[0].prior = 1;
    return;
  }
  prior = std::clamp(prior, 0.0, 1.0);
  double others = 0;
  for (size_t j = 0; j < hypotheses.size(); ++j)
    if (j != i) others += hypotheses[j].prior;
  const double rest = 1 - prior;
  for (size_t j = 0; j < hypotheses.size(); ++j) {
    if (j == i) continue;
    // In proportion to what each had; evenly when the others had nothing to scale.
    hypotheses[j].prior = others > 0 ? hypotheses[j].prior / others * rest : rest / double(hypotheses.size() - 1);
  }
  hypotheses[i].prior = prior;
}

}  // namespace implay
