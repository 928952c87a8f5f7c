// Tests of the 2-D toy datasets (core/data/toy2d.hpp): sizes and per-class counts of every preset,
// determinism for a seed, the [-1, 1]² range, the shapes (spiral radii, XOR quadrants, rings,
// blob centres) and the errors for bad names and sizes.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "core/data/idx.hpp"
#include "core/data/toy2d.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

using namespace implay;
using implay::testing::error_of;

namespace {

bool same_bytes(const ToyData& a, const ToyData& b) {
  return a.num_classes == b.num_classes && a.labels == b.labels && a.points.size() == b.points.size() &&
         std::memcmp(a.points.data(), b.points.data(), a.points.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("preset names round-trip and a bad name is named in the error") {
  for (ToyPreset preset : kAllToyPresets) CHECK(parse_toy_preset(toy_preset_name(preset)) == preset);
  CHECK(parse_toy_preset("spiral") == ToyPreset::Spiral);
  CHECK(std::string(toy_preset_name(ToyPreset::Xor)) == "xor");
  CHECK(error_of([] { parse_toy_preset("moons"); }) ==
        "unknown toy dataset \"moons\" (expected blobs, spiral, circles, xor or uniform)");
  CHECK(error_of([] { parse_toy_preset("Spiral"); }).find("\"Spiral\"") != std::string::npos);
}

TEST_CASE("every preset gives C x P points in [-1, 1]^2, P per class, grouped by class") {
  for (ToyPreset preset : kAllToyPresets)
    for (int classes = 2; classes <= 5; ++classes)
      for (int per_class : {1, 7, 500}) {
        INFO(toy_preset_name(preset) << ", C = " << classes << ", P = " << per_class);
        const ToyData data = make_toy_data(preset, classes, per_class, 42);
        REQUIRE(data.count() == classes * per_class);
        REQUIRE(data.points.size() == size_t(2 * classes * per_class));
        CHECK(data.num_classes == classes);
        const std::vector<int> counts = count_labels(data.labels, classes);
        CHECK(counts == std::vector<int>(size_t(classes), per_class));
        bool grouped = true, in_range = true;
        for (int i = 0; i < data.count(); ++i) grouped = grouped && data.labels[size_t(i)] == i / per_class;
        for (float v : data.points) in_range = in_range && v >= -1.0f && v <= 1.0f && std::isfinite(v);
        CHECK(grouped);
        CHECK(in_range);
      }
}

TEST_CASE("the same seed gives identical bytes, another seed different points") {
  for (ToyPreset preset : kAllToyPresets) {
    INFO(toy_preset_name(preset));
    const ToyData a = make_toy_data(preset, 3, 100, 7);
    const ToyData b = make_toy_data(preset, 3, 100, 7);
    const ToyData c = make_toy_data(preset, 3, 100, 8);
    CHECK(same_bytes(a, b));
    CHECK_FALSE(same_bytes(a, c));
    CHECK(a.labels == c.labels);  // labels are by construction; only the points move
  }
}

TEST_CASE("spiral: the radius grows along each arm from 0 to 1 (r = t)") {
  const int per_class = 200;
  const ToyData data = make_toy_data(ToyPreset::Spiral, 3, per_class, 1);
  for (int c = 0; c < 3; ++c) {
    double previous = -1;
    bool increasing = true;
    for (int i = 0; i < per_class; ++i) {
      const size_t row = size_t(c * per_class + i);
      const double r = std::hypot(double(data.points[2 * row]), double(data.points[2 * row + 1]));
      increasing = increasing && r > previous;
      previous = r;
    }
    INFO("class " << c);
    CHECK(increasing);
    CHECK(previous == doctest::Approx(1.0).epsilon(1e-6));
    const size_t first = size_t(c * per_class);
    CHECK(data.points[2 * first] == 0.0f);
    CHECK(data.points[2 * first + 1] == 0.0f);
  }
}

TEST_CASE("xor with 2 classes: class = (x > 0) xor (y > 0), all four quadrants used") {
  const ToyData data = make_toy_data(ToyPreset::Xor, 2, 400, 5);
  int per_quadrant[4] = {0, 0, 0, 0};
  bool match = true;
  for (int i = 0; i < data.count(); ++i) {
    const float x = data.points[2 * size_t(i)], y = data.points[2 * size_t(i) + 1];
    const int expected = (x > 0) != (y > 0) ? 1 : 0;
    match = match && data.labels[size_t(i)] == expected;
    ++per_quadrant[(x > 0 ? 0 : 1) + (y > 0 ? 0 : 2)];
  }
  CHECK(match);
  for (int q : per_quadrant) CHECK(q > 150);  // about 200 each
}

TEST_CASE("xor with 3 classes: opposite 60-degree sectors share a class") {
  const ToyData data = make_toy_data(ToyPreset::Xor, 3, 300, 9);
  const double pi = 3.14159265358979323846;
  bool match = true;
  for (int i = 0; i < data.count(); ++i) {
    double angle = std::atan2(double(data.points[2 * size_t(i) + 1]), double(data.points[2 * size_t(i)]));
    if (angle < 0) angle += 2 * pi;
    const int sector = int(angle / (pi / 3));
    match = match && data.labels[size_t(i)] == sector % 3;
  }
  CHECK(match);
}

TEST_CASE("circles: class c lies near the ring of radius 0.9 (c + 1) / C") {
  const int classes = 4, per_class = 300;
  const ToyData data = make_toy_data(ToyPreset::Circles, classes, per_class, 2);
  for (int c = 0; c < classes; ++c) {
    double mean_radius = 0;
    for (int i = 0; i < per_class; ++i) {
      const size_t row = size_t(c * per_class + i);
      mean_radius += std::hypot(double(data.points[2 * row]), double(data.points[2 * row + 1])) / per_class;
    }
    INFO("class " << c);
    CHECK(mean_radius == doctest::Approx(0.9 * (c + 1) / classes).epsilon(0.03));
  }
}

TEST_CASE("blobs: each class's mean is near its centre on the circle of radius 0.6") {
  const int classes = 5, per_class = 400;
  const ToyData data = make_toy_data(ToyPreset::Blobs, classes, per_class, 3);
  const double pi = 3.14159265358979323846;
  for (int c = 0; c < classes; ++c) {
    double mean_x = 0, mean_y = 0;
    for (int i = 0; i < per_class; ++i) {
      const size_t row = size_t(c * per_class + i);
      mean_x += double(data.points[2 * row]) / per_class;
      mean_y += double(data.points[2 * row + 1]) / per_class;
    }
    const double phi = 2 * pi * c / classes + pi / 4;
    INFO("class " << c);
    CHECK(std::abs(mean_x - 0.6 * std::cos(phi)) < 0.04);
    CHECK(std::abs(mean_y - 0.6 * std::sin(phi)) < 0.04);
  }
}

TEST_CASE("uniform: the points fill the square whatever their label") {
  const ToyData data = make_toy_data(ToyPreset::Uniform, 2, 500, 4);
  double mean_x[2] = {0, 0};
  int positive_x = 0;
  for (int i = 0; i < data.count(); ++i) {
    mean_x[data.labels[size_t(i)]] += double(data.points[2 * size_t(i)]) / 500;
    positive_x += data.points[2 * size_t(i)] > 0;
  }
  CHECK(std::abs(mean_x[0]) < 0.1);
  CHECK(std::abs(mean_x[1]) < 0.1);
  CHECK(positive_x > 430);
  CHECK(positive_x < 570);
}

TEST_CASE("sizes outside 2..5 classes or 1..500 points per class are rejected and named") {
  CHECK(error_of([] { make_toy_data(ToyPreset::Blobs, 1, 10, 0); }) == "toy dataset: 1 classes is outside 2..5");
  CHECK(error_of([] { make_toy_data(ToyPreset::Spiral, 6, 10, 0); }) == "toy dataset: 6 classes is outside 2..5");
  CHECK(error_of([] { make_toy_data(ToyPreset::Xor, 2, 0, 0); }) ==
        "toy dataset: 0 points per class is outside 1..500");
  CHECK(error_of([] { make_toy_data(ToyPreset::Uniform, 2, 501, 0); }) ==
        "toy dataset: 501 points per class is outside 1..500");
}

TEST_CASE("options: the defaults give the 4-argument bytes; noise and sweep change the shapes") {
  for (ToyPreset preset : kAllToyPresets) {
    INFO(toy_preset_name(preset));
    CHECK(same_bytes(make_toy_data(preset, 3, 50, 21), make_toy_data(preset, 3, 50, 21, ToyOptions{})));
  }
  // Noise 0: every blob point sits on its centre; the even spiral is its formula exactly.
  const ToyData blobs = make_toy_data(ToyPreset::Blobs, 2, 5, 1, {.noise = 0.0});
  CHECK(blobs.points[0] == blobs.points[8]);
  CHECK(blobs.points[1] == blobs.points[9]);
  const ToyData even = make_toy_data(ToyPreset::Spiral, 3, 11, 1, {.noise = 0.0, .sweep = 2.0});
  const double pi = 3.14159265358979323846;
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 11; ++i) {
      const double t = i / 10.0, theta = 2 * pi * c / 3 + 2.0 * t;
      const size_t row = size_t(c * 11 + i);
      CHECK(even.points[2 * row] == doctest::Approx(t * std::cos(theta)).epsilon(1e-6));
      CHECK(even.points[2 * row + 1] == doctest::Approx(t * std::sin(theta)).epsilon(1e-6));
    }
  CHECK(error_of([] { make_toy_data(ToyPreset::Spiral, 3, 10, 0, {.noise = -1.0}); }) ==
        "toy dataset: noise -1.000000 is outside 0..10");
  CHECK(error_of([] { make_toy_data(ToyPreset::Spiral, 3, 10, 0, {.sweep = 30.0}); }) ==
        "toy dataset: spiral sweep 30.000000 radians is outside 0..25.13 (4 turns)");
}

TEST_CASE("CS231n's spiral: class j, r = linspace(0, 1), theta = linspace(4j, 4(j + 1)), point = r (sin, cos)") {
  const ToyData data = make_toy_data(ToyPreset::Spiral, 3, 100, 1, {.noise = 0.0, .spiral = SpiralStyle::Cs231n});
  for (int j = 0; j < 3; ++j)
    for (int i = 0; i < 100; i += 9) {
      const double r = i / 99.0, theta = 4.0 * j + 4.0 * r;
      const size_t row = size_t(j * 100 + i);
      CHECK(data.points[2 * row] == doctest::Approx(r * std::sin(theta)).epsilon(1e-6));
      CHECK(data.points[2 * row + 1] == doctest::Approx(r * std::cos(theta)).epsilon(1e-6));
    }
  // With the noise of the goal (0.2) the angles scatter around the same arms.
  const ToyData noisy = make_toy_data(ToyPreset::Spiral, 3, 100, 1, {.noise = 0.2, .spiral = SpiralStyle::Cs231n});
  double moved = 0;
  for (size_t k = 0; k < data.points.size(); ++k) moved += std::abs(noisy.points[k] - data.points[k]);
  CHECK(moved / double(data.points.size()) > 0.02);
  CHECK(moved / double(data.points.size()) < 0.2);
}

TEST_CASE("split_train_test: a seeded split, round(N ratio) test points, nothing lost or repeated") {
  const ToyData data = make_toy_data(ToyPreset::Circles, 3, 100, 5);
  const ToySplit split = split_train_test(data, 0.2, 9);
  CHECK(split.test.count() == 60);
  CHECK(split.train.count() == 240);
  CHECK(split.train.num_classes == 3);
  CHECK(split.test.points.size() == 120);
  // Every original point is in exactly one part (the points are distinct).
  int found = 0;
  for (int i = 0; i < data.count(); ++i) {
    int hits = 0;
    for (const ToyData* part : {&split.train, &split.test})
      for (int k = 0; k < part->count(); ++k)
        hits += part->points[2 * size_t(k)] == data.points[2 * size_t(i)] &&
                part->points[2 * size_t(k) + 1] == data.points[2 * size_t(i) + 1] &&
                part->labels[size_t(k)] == data.labels[size_t(i)];
    found += hits == 1;
  }
  CHECK(found == 300);
  CHECK(same_bytes(split.test, split_train_test(data, 0.2, 9).test));
  CHECK_FALSE(same_bytes(split.test, split_train_test(data, 0.2, 10).test));
  CHECK(split_train_test(data, 0, 1).test.count() == 0);
  CHECK(error_of([&] { split_train_test(data, 1, 1); }) == "test ratio 1.000000 is outside [0, 1)");
  CHECK(error_of([&] { split_train_test(make_toy_data(ToyPreset::Blobs, 2, 1, 1), 0.9, 1); }) ==
        "a test ratio of 0.900000 leaves none of the 2 points for training");
}
