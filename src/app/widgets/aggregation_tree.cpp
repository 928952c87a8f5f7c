// aggregation_tree.cpp — the aggregation tree widget (see aggregation_tree.hpp). Columns, left
// to right: the root, then per variable [edge fraction | node label] on one line, or, stacked
// when the region is narrow, the fraction above the label; text sizes set the widths.
#include "app/widgets/aggregation_tree.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "app/theme.hpp"

namespace implay::app {

Assignment assignment_of(const CountTable& t, int r) {
  Assignment a(t.variables.size());
  for (int v = int(t.variables.size()) - 1; v >= 0; --v) {
    const int n = int(t.variables[size_t(v)].values.size());
    a[size_t(v)] = r % n;
    r /= n;
  }
  return a;
}

namespace {

// Edges read as fractions of counts ("3/4") while those stay short; with six-digit totals (the
// count model's millions of pixels) as decimals ("0.7500"), so the tree still fits.
bool edges_as_fractions(const CountTable& t) { return t.total() < 100000; }

std::string edge_text(const Fraction& f, bool as_fraction) {
  if (as_fraction) return f.text();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", f.value());
  return buf;
}

struct TreeLayout {
  float root_w, frac_w, node_w, gap, col_w, leaf_h, header_h;
  bool stacked = false;  // each edge's fraction above its child's label, not before it
  // Where the node labels of depth d start.
  float node_x(int d) const {
    if (d == 0) return 0.0f;
    return root_w + gap + float(d - 1) * col_w + (stacked ? 0.0f : frac_w + 6.0f);
  }
  float width(int depth) const { return node_x(depth) + (stacked ? std::max(frac_w, node_w) : node_w); }
};

TreeLayout layout_of(const CountTable& t, float max_width) {
  const std::string total = std::to_string(t.total());
  TreeLayout l;
  l.root_w = ImGui::CalcTextSize(("all: " + total).c_str()).x;
  l.frac_w = ImGui::CalcTextSize(edges_as_fractions(t) ? (total + "/" + total).c_str() : "0.0000").x;
  l.node_w = 0;
  for (const auto& v : t.variables)
    for (const auto& value : v.values)
      l.node_w = std::max(l.node_w, ImGui::CalcTextSize((value + ": " + total).c_str()).x);
  l.gap = 14.0f;
  l.col_w = l.frac_w + 6.0f + l.node_w + l.gap;
  l.leaf_h = ImGui::GetTextLineHeight() + 6.0f;
  l.header_h = ImGui::GetTextLineHeight() + 6.0f;
  if (l.width(int(t.variables.size())) > max_width) {
    l.stacked = true;
    l.col_w = std::max(l.frac_w, l.node_w) + l.gap;
    l.leaf_h = 2 * ImGui::GetTextLineHeight() + 8.0f;
  }
  return l;
}

}  // namespace

ImVec2 aggregation_tree_size(const CountTable& t, float max_width) {
  const TreeLayout l = layout_of(t, max_width);
  return ImVec2(l.width(int(t.variables.size())), l.header_h + l.leaf_h * float(t.counts.size()) + 4);
}

bool AggregationTree(const CountTable& t, int& selected_row, std::vector<ImVec2>* leaf_centres) {
  const int V = int(t.variables.size()), rows = int(t.counts.size());
  const float max_width = ImGui::GetContentRegionAvail().x;
  const TreeLayout l = layout_of(t, max_width);
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::Dummy(aggregation_tree_size(t, max_width));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float text_h = ImGui::GetTextLineHeight();
  if (leaf_centres) leaf_centres->clear();
  for (int d = 1; d <= V; ++d)  // the variable each column splits by
    dl->AddText(ImVec2(o.x + l.node_x(d), o.y), kMutedTextColor, t.variables[size_t(d - 1)].name.c_str());
  const float top = o.y + l.header_h;
  // A node = the first d values of a row; its y is the middle of its leaves.
  auto node_y = [&](int first_row, int leaves) { return top + l.leaf_h * (float(first_row) + float(leaves) * 0.5f); };
  std::vector<int> span(static_cast<size_t>(V + 1), 1);  // leaves under a node at depth d
  for (int d = V - 1; d >= 0; --d) span[size_t(d)] = span[size_t(d + 1)] * int(t.variables[size_t(d)].values.size());
  bool clicked = false;
  for (int d = 0; d <= V; ++d) {
    for (int first = 0; first < rows; first += span[size_t(d)]) {
      const Assignment full = assignment_of(t, first);
      Assignment prefix(static_cast<size_t>(V), kAny);
      for (int v = 0; v < d; ++v) prefix[size_t(v)] = full[size_t(v)];
      const std::string count = std::to_string(probability(t, prefix).numerator);
      const std::string label =
          d == 0 ? "all: " + count : t.variables[size_t(d - 1)].values[size_t(full[size_t(d - 1)])] + ": " + count;
      // p: the start of the label's line, vertically its middle (stacked: the lower line).
      const float middle = node_y(first, span[size_t(d)]);  // of the node's row(s)
      const ImVec2 p(o.x + l.node_x(d), middle + (l.stacked && d > 0 ? 0.5f * text_h + 1 : 0.0f));
      const float label_w = ImGui::CalcTextSize(label.c_str()).x;
      const bool selected = d == V && first == selected_row;
      if (selected)
        dl->AddRectFilled(
            ImVec2(p.x - 3, middle - l.leaf_h * 0.5f + 1),
            ImVec2(p.x + std::max(label_w, l.stacked ? l.frac_w : 0.0f) + 3, middle + l.leaf_h * 0.5f - 1),
            IM_COL32(0, 114, 178, 36), 3.0f);
      dl->AddText(ImVec2(p.x, p.y - text_h * 0.5f), selected ? kAccentColor : kInkColor, label.c_str());
      if (d < V) {
        // Edges to the children; p(child value | this node) written just before the child.
        for (int c = first; c < first + span[size_t(d)]; c += span[size_t(d + 1)]) {
          const ImVec2 q(o.x + l.node_x(d + 1), node_y(c, span[size_t(d + 1)]));  // the child's middle
          Assignment child = prefix;
          child[size_t(d)] = assignment_of(t, c)[size_t(d)];
          const std::string f = edge_text(conditional(t, child, prefix), edges_as_fractions(t));
          const float fw = ImGui::CalcTextSize(f.c_str()).x;
          if (l.stacked) {  // the fraction on the upper line, over the child's label
            dl->AddLine(ImVec2(p.x + label_w + 4, p.y), ImVec2(q.x - 4, q.y), IM_COL32(0, 0, 0, 70));
            dl->AddText(ImVec2(q.x, q.y - text_h - 1), kMutedTextColor, f.c_str());
          } else {
            dl->AddLine(ImVec2(p.x + label_w + 4, p.y), ImVec2(q.x - fw - 10, q.y), IM_COL32(0, 0, 0, 70));
            dl->AddText(ImVec2(q.x - fw - 6, q.y - text_h * 0.5f), kMutedTextColor, f.c_str());
          }
        }
      } else {
        if (leaf_centres) leaf_centres->push_back(ImVec2(p.x + label_w * 0.5f, p.y));
        if (ImGui::IsMouseHoveringRect(ImVec2(p.x - 3, middle - l.leaf_h * 0.5f),
                                       ImVec2(p.x + l.node_w, middle + l.leaf_h * 0.5f)) &&
            ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
          selected_row = first;
          clicked = true;
        }
      }
    }
  }
  return clicked;
}

}  // namespace implay::app
