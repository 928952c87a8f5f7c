// chain_tables.cpp — count tables of binary pixels for the aggregation tree (see chain_tables.hpp).
#include "core/pixel/chain_tables.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace implay {

namespace {
Variable binary_variable(std::string name) { return Variable{std::move(name), {"0", "1"}}; }
}  // namespace

CountTable patch_count_table(const BinaryImages& images, int row, int col) {
  if (images.count < 1) throw Error("cannot count a 2x2 patch over an empty set of images");
  if (row < 0 || col < 0 || row + 2 > images.rows || col + 2 > images.cols)
    throw Error("a 2x2 patch at (" + std::to_string(row) + ", " + std::to_string(col) + ") does not fit in " +
                std::to_string(images.rows) + "x" + std::to_string(images.cols) + " images");
  CountTable t;
  const int at[4] = {row * images.cols + col, row * images.cols + col + 1, (row + 1) * images.cols + col,
                     (row + 1) * images.cols + col + 1};
  for (int v = 0; v < 4; ++v) t.variables.push_back(binary_variable("x" + std::to_string(v + 1)));
  t.counts.assign(16, 0);
  for (int n = 0; n < images.count; ++n) {
    std::span<const uint8_t> x = images.image(n);
    const int row_index = x[size_t(at[0])] * 8 + x[size_t(at[1])] * 4 + x[size_t(at[2])] * 2 + x[size_t(at[3])];
    ++t.counts[size_t(row_index)];
  }
  return t;
}

CountTable template_count_table(const ContextModel& model, int k) {
  const int max_k = std::min(model.options.neighbours, 3);
  if (k < 1 || k > max_k)
    throw Error("a template tree of " + std::to_string(k) + " neighbours (this model allows 1.." +
                std::to_string(max_k) + ")");
  std::vector<uint32_t> ones, totals;
  model.aggregate_counts(k, ones, totals);
  CountTable t;
  for (int b = 0; b < k; ++b) t.variables.push_back(binary_variable(context_neighbour_name(b)));
  t.variables.push_back(binary_variable("x"));
  const size_t contexts = size_t(1) << k;
  t.counts.assign(contexts * 2, 0);
  for (size_t table = 0; table * contexts < ones.size(); ++table)
    for (size_t c = 0; c < contexts; ++c) {
      // Row index: neighbour 0 is the first (slowest) variable, x the last; bit b of c is neighbour b.
      size_t row = 0;
      for (int b = 0; b < k; ++b) row = row * 2 + ((c >> b) & 1);
      t.counts[row * 2 + 1] += ones[table * contexts + c];
      t.counts[row * 2 + 0] += totals[table * contexts + c] - ones[table * contexts + c];
    }
  if (t.total() == 0) throw Error("the count model has counted no pixels");
  return t;
}

}  // namespace implay
