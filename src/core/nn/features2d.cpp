// features2d.cpp — the 2-D input features of features2d.hpp: names, the list parser, the expansion.
#include "core/nn/features2d.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/error.hpp"

namespace implay {

const char* feature2d_name(Feature2d feature) {
  switch (feature) {
    case Feature2d::X: return "x";
    case Feature2d::Y: return "y";
    case Feature2d::XSquared: return "x2";
    case Feature2d::YSquared: return "y2";
    case Feature2d::XY: return "xy";
    case Feature2d::SinX: return "sinx";
    case Feature2d::SinY: return "siny";
  }
  return "?";
}

const char* feature2d_formula(Feature2d feature) {
  switch (feature) {
    case Feature2d::X: return "x";
    case Feature2d::Y: return "y";
    case Feature2d::XSquared: return "x\xc2\xb2";
    case Feature2d::YSquared: return "y\xc2\xb2";
    case Feature2d::XY: return "xy";
    case Feature2d::SinX: return "sin(6x)";
    case Feature2d::SinY: return "sin(6y)";
  }
  return "?";
}

float feature2d_value(Feature2d feature, float x, float y) {
  switch (feature) {
    case Feature2d::X: return x;
    case Feature2d::Y: return y;
    case Feature2d::XSquared: return x * x;
    case Feature2d::YSquared: return y * y;
    case Feature2d::XY: return x * y;
    case Feature2d::SinX: return std::sin(kSinFeatureScale * x);
    case Feature2d::SinY: return std::sin(kSinFeatureScale * y);
  }
  return 0;
}

std::vector<Feature2d> parse_feature_list(std::string_view text) {
  const std::string all = "x, y, x2, y2, xy, sinx, siny";
  std::vector<Feature2d> out;
  size_t start = 0;
  while (true) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string_view token = text.substr(start, comma - start);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token.empty())
      throw Error(
          "feature list \"" + std::string(text) + "\": " +
          (text.find_first_not_of(" \t") == std::string_view::npos ? std::string("no features") : "an empty name") +
          " (name one or more of " + all + ", separated by commas)");
    const auto* found = std::find_if(std::begin(kAllFeatures2d), std::end(kAllFeatures2d),
                                     [&](Feature2d f) { return token == feature2d_name(f); });
    if (found == std::end(kAllFeatures2d))
      throw Error("feature list \"" + std::string(text) + "\": unknown feature \"" + std::string(token) +
                  "\" (expected " + all + ")");
    if (std::find(out.begin(), out.end(), *found) != out.end())
      throw Error("feature list \"" + std::string(text) + "\": \"" + std::string(token) + "\" is named twice");
    out.push_back(*found);
    if (comma == text.size()) return out;
    start = comma + 1;
  }
}

std::string feature_list_spec(std::span<const Feature2d> features) {
  std::string out;
  for (Feature2d f : features) {
    if (!out.empty()) out += ',';
    out += feature2d_name(f);
  }
  return out;
}

void expand_features(std::span<const float> points, std::span<const Feature2d> features, Eigen::Ref<RowMatrixXf> out) {
  assert(points.size() % 2 == 0);
  const Eigen::Index n = Eigen::Index(points.size() / 2);
  assert(out.rows() == n && out.cols() == Eigen::Index(features.size()));
  for (Eigen::Index i = 0; i < n; ++i) {
    const float x = points[size_t(2 * i)], y = points[size_t(2 * i + 1)];
    for (size_t f = 0; f < features.size(); ++f) out(i, Eigen::Index(f)) = feature2d_value(features[f], x, y);
  }
}

RowMatrixXf expand_features(std::span<const float> points, std::span<const Feature2d> features) {
  RowMatrixXf out(Eigen::Index(points.size() / 2), Eigen::Index(features.size()));  // (N, F)
  expand_features(points, features, out);
  return out;
}

}  // namespace implay
