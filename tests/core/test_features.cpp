// test_features.cpp — image features of core/linear/features.hpp: pixel scaling, intensity histograms
// that sum to 1, HoG orientation (a vertical edge lands in the horizontal-gradient bin 0, a
// horizontal edge in the 90° bins, a diagonal in its bin) and normalization, mean subtraction
// fitted on the training set, spec strings, and errors.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/linear/features.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::error_of;

// An 8×8 image: a step edge. vertical: columns ≥ 4 are 255 (left dark, right bright);
// otherwise rows ≥ 4 are 255.
std::vector<uint8_t> step_edge(bool vertical) {
  std::vector<uint8_t> image(64, 0);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x)
      if ((vertical ? x : y) >= 4) image[size_t(y * 8 + x)] = 255;
  return image;
}

// Sum of each orientation bin over all cells: (bins).
std::vector<float> bin_totals(const std::vector<float>& hog, int bins) {
  std::vector<float> totals(static_cast<size_t>(bins), 0.0f);
  for (size_t k = 0; k < hog.size(); ++k) totals[k % size_t(bins)] += hog[k];
  return totals;
}

LabeledImages two_images() {
  LabeledImages images;
  images.count = 2;
  images.rows = 2;
  images.cols = 2;
  images.pixels = {0, 255, 51, 102, 255, 255, 0, 0};
  images.labels = {0, 1};
  return images;
}

}  // namespace

TEST_CASE("pixel features: byte / 255 in [0, 1]") {
  const std::vector<uint8_t> image = {0, 51, 255};
  std::vector<float> out(3);
  pixel_features(image, out);
  CHECK(out[0] == 0.0f);
  CHECK(out[1] == doctest::Approx(0.2));
  CHECK(out[2] == 1.0f);
}

TEST_CASE("intensity histogram: equal-width bins, fractions that sum to 1") {
  const std::vector<uint8_t> image = {0, 0, 15, 16, 128, 255, 255, 240};
  std::vector<float> h(16);
  intensity_histogram(image, 16, h);  // bin k = value·16/256 = value / 16
  CHECK(h[0] == 3.0f / 8);            // 0, 0, 15
  CHECK(h[1] == 1.0f / 8);            // 16
  CHECK(h[8] == 1.0f / 8);            // 128
  CHECK(h[15] == 3.0f / 8);           // 240, 255, 255
  CHECK(std::accumulate(h.begin(), h.end(), 0.0f) == doctest::Approx(1.0));
  std::vector<float> two(2);
  intensity_histogram(image, 2, two);
  CHECK(two[0] == 0.5f);
  CHECK(two[1] == 0.5f);
}

TEST_CASE("HoG: a vertical edge puts its mass in the horizontal-gradient bin 0") {
  const int bins = 9;
  std::vector<float> hog(size_t(2 * 2 * bins));  // 8×8 image, 4×4 cells: 2×2 cells
  hog_features(step_edge(true), 8, 8, 4, bins, HogNormalization::Cell, hog);
  const std::vector<float> totals = bin_totals(hog, bins);
  CHECK(totals[0] > 0);
  for (int k = 1; k < bins; ++k) CHECK(totals[size_t(k)] == 0.0f);
  // The edge lies between columns 3 and 4, so left and right cells both see it; each cell's
  // histogram is one bin of magnitude m, normalized to m / √(m² + ε²) ≈ 1.
  CHECK(hog[0] == doctest::Approx(1.0).epsilon(0.01));
  CHECK(hog[size_t(bins)] == doctest::Approx(1.0).epsilon(0.01));
}

TEST_CASE("HoG: a horizontal edge (gradient along y) splits between the bins around 90 degrees") {
  const int bins = 9;  // centres 0°, 20°, ..., 160°: 90° is halfway between 80° and 100°
  std::vector<float> hog(size_t(2 * 2 * bins));
  hog_features(step_edge(false), 8, 8, 4, bins, HogNormalization::Cell, hog);
  const std::vector<float> totals = bin_totals(hog, bins);
  CHECK(totals[4] > 0);
  CHECK(totals[4] == doctest::Approx(totals[5]));
  CHECK(totals[0] == 0.0f);
  std::vector<float> four(size_t(2 * 2 * 4));  // 4 bins: 90° is bin 2 exactly
  hog_features(step_edge(false), 8, 8, 4, 4, HogNormalization::Cell, four);
  const std::vector<float> t4 = bin_totals(four, 4);
  CHECK(t4[2] > 0);
  CHECK(t4[0] + t4[1] + t4[3] == 0.0f);
}

TEST_CASE("HoG: a 45-degree diagonal edge lands in the 40/60 degree bins, unsigned") {
  // Bright below the anti-diagonal x + y > 7 ... gradient points to (+1, +1): 45°.
  std::vector<uint8_t> image(64, 0);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x)
      if (x + y > 7) image[size_t(y * 8 + x)] = 255;
  std::vector<float> hog(size_t(2 * 2 * 9));
  hog_features(image, 8, 8, 4, 9, HogNormalization::Cell, hog);
  const std::vector<float> totals = bin_totals(hog, 9);
  // 45° = 2.25 bin widths: ¾ to the 40° bin, ¼ to the 60° bin (interior pixels; border
  // pixels see one-sided differences at the same angle).
  CHECK(totals[2] > 0);
  CHECK(totals[2] == doctest::Approx(3 * totals[3]).epsilon(0.01));
  // Unsigned: the opposite polarity (dark below) gives the same histogram.
  for (uint8_t& v : image) v = uint8_t(255 - v);
  std::vector<float> inverted(hog.size());
  hog_features(image, 8, 8, 4, 9, HogNormalization::Cell, inverted);
  for (size_t k = 0; k < hog.size(); ++k) CHECK(inverted[k] == doctest::Approx(hog[k]));
}

TEST_CASE("HoG: flat images give zeros; cell and block normalization have unit-ish norms") {
  std::vector<float> hog(size_t(2 * 2 * 9));
  hog_features(std::vector<uint8_t>(64, 200), 8, 8, 4, 9, HogNormalization::Cell, hog);
  for (float v : hog) CHECK(v == 0.0f);

  FeatureOptions options;
  options.kind = FeatureKind::Hog;
  CHECK(feature_dim(options, 28, 28) == 7 * 7 * 9);
  options.hog_normalization = HogNormalization::Block;
  CHECK(feature_dim(options, 28, 28) == 6 * 6 * 4 * 9);
  std::vector<float> block(size_t(1 * 1 * 4 * 9));
  hog_features(step_edge(true), 8, 8, 4, 9, HogNormalization::Block, block);
  float sum_sq = 0;
  for (float v : block) sum_sq += v * v;
  CHECK(sum_sq == doctest::Approx(1.0).epsilon(0.01));  // ‖v‖ / √(‖v‖² + ε²) with ‖v‖ ≫ ε
}

TEST_CASE("feature extractor: mean subtraction is fitted on the training set and reused") {
  FeatureOptions options;
  options.scaling = Scaling::MeanSubtracted;
  FeatureExtractor extractor(options, 2, 2);
  const LabeledImages train = two_images();
  CHECK(error_of([&] { extractor.transform(train); }).find("fit the mean") != std::string::npos);
  const RowMatrixXf x = extractor.fit_transform(train);  // (2, 4)
  CHECK(extractor.fitted());
  CHECK(extractor.mean()[0] == doctest::Approx(0.5));  // (0 + 255) / 2 / 255
  CHECK(extractor.mean()[3] == doctest::Approx(0.2));  // (102 + 0) / 2 / 255
  CHECK(x.colwise().sum().isZero(1e-6f));
  CHECK(x(0, 1) == doctest::Approx(0.0));  // 255 and 255: both at the mean
  std::vector<float> one(4);
  extractor.transform_one(train.image(1), one);
  for (int k = 0; k < 4; ++k) CHECK(one[size_t(k)] == doctest::Approx(x(1, k)));
  const RowMatrixXf again = extractor.transform(train.pixels, 2);
  CHECK(again.isApprox(x));

  FeatureOptions histogram;
  histogram.kind = FeatureKind::Histogram;
  histogram.histogram_bins = 4;
  FeatureExtractor h(histogram, 2, 2);
  const RowMatrixXf hx = h.fit_transform(train);
  CHECK(hx.rows() == 2);
  CHECK(hx.cols() == 4);
  CHECK(hx.rowwise().sum().isApproxToConstant(1.0f));  // unit scaling: fractions
  CHECK(hx(0, 0) == 0.5f);                             // 0 and 51 (< 64) of four pixels
}

TEST_CASE("feature spec strings round-trip; bad settings are named") {
  FeatureOptions hog;
  hog.kind = FeatureKind::Hog;
  hog.hog_cell = 7;
  hog.hog_bins = 12;
  hog.hog_normalization = HogNormalization::Block;
  hog.scaling = Scaling::MeanSubtracted;
  CHECK(feature_spec(hog) == "hog:cell=7,bins=12,norm=block,scaling=mean");
  const FeatureOptions back = parse_feature_spec(feature_spec(hog));
  CHECK(back.kind == FeatureKind::Hog);
  CHECK(back.hog_cell == 7);
  CHECK(back.hog_bins == 12);
  CHECK(back.hog_normalization == HogNormalization::Block);
  CHECK(back.scaling == Scaling::MeanSubtracted);
  CHECK(feature_spec(FeatureOptions{}) == "pixels:scaling=unit");
  CHECK(parse_feature_spec("pixels").kind == FeatureKind::Pixels);
  CHECK(parse_feature_spec("histogram:bins=32").histogram_bins == 32);

  CHECK(error_of([] { parse_feature_spec("sift"); }) ==
        "feature spec \"sift\": unknown kind \"sift\" (expected pixels, histogram or hog)");
  CHECK(error_of([] { parse_feature_spec("hog:cell=x"); }) ==
        "feature spec \"hog:cell=x\": cell=x is not a whole number");
  // Ten digits would overflow an int: refused by length, before any arithmetic (UBSan found it).
  CHECK(error_of([] { parse_feature_spec("hog:cell=8443555550"); }) ==
        "feature spec \"hog:cell=8443555550\": cell=8443555550 is not a whole number");
  CHECK(error_of([] { parse_feature_spec("pixels:bins=3"); }) ==
        "feature spec \"pixels:bins=3\": unknown key \"bins\" for pixels features");
  FeatureOptions big;
  big.kind = FeatureKind::Hog;
  big.hog_cell = 30;
  CHECK(error_of([&] { FeatureExtractor(big, 28, 28); }) == "HoG cell size 30 outside 1..28 for 28x28 images");
  big.hog_cell = 20;
  big.hog_normalization = HogNormalization::Block;
  CHECK(error_of([&] { feature_dim(big, 28, 28); }).find("at least 2x2 cells") != std::string::npos);
}
