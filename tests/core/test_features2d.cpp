// test_features2d.cpp — TF Playground's 2-D inputs of core/nn/features2d.hpp: names and formulas,
// the values at a point worked out by hand, the list parser (order kept; a bad, repeated or empty
// name rejected by name) and the expansion of points (N, 2) into (N, F).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/nn/features2d.hpp"
#include "test_support.hpp"

using namespace implay;
using implay::testing::error_of;

TEST_CASE("feature names round-trip through the list spec, in the order given") {
  const std::vector<Feature2d> all(std::begin(kAllFeatures2d), std::end(kAllFeatures2d));
  CHECK(feature_list_spec(all) == "x,y,x2,y2,xy,sinx,siny");
  CHECK(parse_feature_list(feature_list_spec(all)) == all);
  CHECK(parse_feature_list(" xy , x") == std::vector<Feature2d>{Feature2d::XY, Feature2d::X});
  CHECK(std::string(feature2d_formula(Feature2d::XSquared)) == "x\xc2\xb2");
  CHECK(std::string(feature2d_formula(Feature2d::SinY)) == "sin(6y)");
}

TEST_CASE("bad lists are rejected naming the token") {
  CHECK(error_of([] { parse_feature_list("x,z"); }) ==
        "feature list \"x,z\": unknown feature \"z\" (expected x, y, x2, y2, xy, sinx, siny)");
  CHECK(error_of([] { parse_feature_list("x,y,x"); }) == "feature list \"x,y,x\": \"x\" is named twice");
  CHECK(error_of([] { parse_feature_list(""); }) ==
        "feature list \"\": no features (name one or more of x, y, x2, y2, xy, sinx, siny, separated by commas)");
  CHECK(error_of([] { parse_feature_list("x,,y"); }).find("an empty name") != std::string::npos);
  CHECK(error_of([] { parse_feature_list("X"); }).find("unknown feature \"X\"") != std::string::npos);
}

TEST_CASE("values at (0.5, -0.25) by hand, and the expansion (N, 2) -> (N, F)") {
  // x² = 0.25, y² = 0.0625, xy = −0.125, sin(6·0.5) = sin 3 = 0.14112, sin(6·(−0.25)) = −sin 1.5 = −0.997495
  CHECK(feature2d_value(Feature2d::XSquared, 0.5f, -0.25f) == 0.25f);
  CHECK(feature2d_value(Feature2d::YSquared, 0.5f, -0.25f) == 0.0625f);
  CHECK(feature2d_value(Feature2d::XY, 0.5f, -0.25f) == -0.125f);
  CHECK(feature2d_value(Feature2d::SinX, 0.5f, -0.25f) == doctest::Approx(0.14112));
  CHECK(feature2d_value(Feature2d::SinY, 0.5f, -0.25f) == doctest::Approx(-0.997495));
  const std::vector<float> points = {0.5f, -0.25f, -1, 1, 0, 0};  // (3, 2)
  const std::vector<Feature2d> features = parse_feature_list("y,xy,x");
  const RowMatrixXf f = expand_features(points, features);
  REQUIRE(f.rows() == 3);
  REQUIRE(f.cols() == 3);
  CHECK(f(0, 0) == -0.25f);
  CHECK(f(0, 1) == -0.125f);
  CHECK(f(0, 2) == 0.5f);
  CHECK(f(1, 1) == -1);
  CHECK(f.row(2).isZero());
}
