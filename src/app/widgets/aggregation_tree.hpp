// aggregation_tree.hpp — the lecture's aggregation tree of a count table: the root holds every
// count, each level splits by one more variable (named above its column), each edge carries
// p(value | the values above) next to the child (a fraction of counts, or a decimal once the
// counts run to six digits; above the child's label when the region is narrow), the leaves are
// the table's rows.
// Shared by the Probability lab and the Sketch lab.
#pragma once
#include <vector>

#include "core/eval/probability.hpp"
#include "imgui.h"

namespace implay::app {

// A count table's row r as a value index per variable (the last variable varies fastest).
Assignment assignment_of(const CountTable& table, int row);

// The size the tree will take within max_width, for laying out what goes beside it. Narrower
// than its one-line layout, the tree writes each edge's p above the child's label instead of
// before it (columns half as wide, rows twice as tall).
ImVec2 aggregation_tree_size(const CountTable& table, float max_width = 1e9f);

// Draws the tree at the cursor, within the region's width. Clicking a leaf sets selected_row;
// returns true then. leaf_centres (optional) gets each leaf label's centre in CSS pixels, for
// browser tests that click like a person.
bool AggregationTree(const CountTable& table, int& selected_row, std::vector<ImVec2>* leaf_centres = nullptr);

}  // namespace implay::app
