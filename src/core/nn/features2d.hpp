// features2d.hpp — TF Playground's inputs for points of the plane: x, y, x², y², xy, sin x, sin y,
// chosen by a list such as "x,y,xy" (saved with a model as its feature spec), and the expansion
// of points (N, 2) into a feature matrix (N, F) for the MLP of mlp.hpp. The points are the toy
// sets' (data/toy2d.hpp), in [-1, 1]².
#pragma once
#include <Eigen/Core>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/matrix.hpp"

namespace implay {

// TF Playground draws its points in [-6, 6]² and feeds the products of those values; ours live in
// [-1, 1]², so x, y and the products stay in [-1, 1] (inputs of the scale the initializations
// assume), while the sines use 6x: sin(6x) over [-1, 1] has the same two periods as TF
// Playground's sin x over [-6, 6] (sin x itself would be nearly the line x there, a useless copy).
inline constexpr float kSinFeatureScale = 6.0f;

enum class Feature2d {
  X,         // x
  Y,         // y
  XSquared,  // x²
  YSquared,  // y²
  XY,        // x·y
  SinX,      // sin(6x)
  SinY,      // sin(6y)
};

inline constexpr Feature2d kAllFeatures2d[] = {Feature2d::X,  Feature2d::Y,    Feature2d::XSquared, Feature2d::YSquared,
                                               Feature2d::XY, Feature2d::SinX, Feature2d::SinY};

// "x", "y", "x2", "y2", "xy", "sinx", "siny" (for lists, the CLI and URLs).
const char* feature2d_name(Feature2d feature);
// The formula for the UI: "x", "y", "x²", "y²", "xy", "sin(6x)", "sin(6y)" (UTF-8).
const char* feature2d_formula(Feature2d feature);
// The value of one feature at the point (x, y).
float feature2d_value(Feature2d feature, float x, float y);

// "x,y,xy" → {X, Y, XY}, in the order given; spaces around a name are ignored. Throws
// implay::Error naming the bad token (and the valid names), a repeated one, or an empty list.
std::vector<Feature2d> parse_feature_list(std::string_view text);
// {X, Y, XY} → "x,y,xy": what parse_feature_list reads back.
std::string feature_list_spec(std::span<const Feature2d> features);

// points: (N, 2) row-major (x, y) → (N, F), column f = features[f] of each point. The second
// form writes into out, which must be (N, F) (asserted): the lab's region grid, every frame.
RowMatrixXf expand_features(std::span<const float> points, std::span<const Feature2d> features);
void expand_features(std::span<const float> points, std::span<const Feature2d> features, Eigen::Ref<RowMatrixXf> out);

}  // namespace implay
