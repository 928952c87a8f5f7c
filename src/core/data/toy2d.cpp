// toy2d.cpp — the generators of the 2-D toy datasets (see toy2d.hpp for the formulas).
#include "core/data/toy2d.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace implay {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 2.0 * kPi;

// Uniform in [-1, 1).
double uniform_signed(Rng& rng) { return 2.0 * rng.uniform() - 1.0; }

// Class of a point of the XOR preset (see toy2d.hpp).
int xor_class(double x, double y, int num_classes) {
  if (num_classes == 2) return (x > 0) != (y > 0) ? 1 : 0;
  double angle = std::atan2(y, x);  // (-π, π]
  if (angle < 0) angle += kTwoPi;   // [0, 2π)
  const int sector = std::min(2 * num_classes - 1, int(angle / (kPi / num_classes)));
  return sector % num_classes;
}

}  // namespace

ToyPreset parse_toy_preset(std::string_view name) {
  for (ToyPreset preset : kAllToyPresets)
    if (name == toy_preset_name(preset)) return preset;
  throw Error("unknown toy dataset \"" + std::string(name) + "\" (expected blobs, spiral, circles, xor or uniform)");
}

const char* toy_preset_name(ToyPreset preset) {
  switch (preset) {
    case ToyPreset::Blobs: return "blobs";
    case ToyPreset::Spiral: return "spiral";
    case ToyPreset::Circles: return "circles";
    case ToyPreset::Xor: return "xor";
    case ToyPreset::Uniform: return "uniform";
  }
  return "?";
}

ToyData make_toy_data(ToyPreset preset, int num_classes, int points_per_class, uint64_t seed) {
  return make_toy_data(preset, num_classes, points_per_class, seed, ToyOptions{});
}

ToyData make_toy_data(ToyPreset preset, int num_classes, int points_per_class, uint64_t seed,
                      const ToyOptions& options) {
  if (options.noise && !(*options.noise >= 0 && *options.noise <= 10))
    throw Error("toy dataset: noise " + std::to_string(*options.noise) + " is outside 0..10");
  if (!(options.sweep >= 0 && options.sweep <= 4 * kTwoPi))
    throw Error("toy dataset: spiral sweep " + std::to_string(options.sweep) +
                " radians is outside 0..25.13 (4 turns)");
  if (num_classes < 2 || num_classes > 5)
    throw Error("toy dataset: " + std::to_string(num_classes) + " classes is outside 2..5");
  if (points_per_class < 1 || points_per_class > 500)
    throw Error("toy dataset: " + std::to_string(points_per_class) + " points per class is outside 1..500");
  const int C = num_classes, P = points_per_class;
  // Each preset's own spread unless the options set one (the literals are the defaults).
  const double blob_sigma = options.noise.value_or(0.18), spiral_sigma = options.noise.value_or(0.2);
  const double ring_sigma = options.noise.value_or(0.12), sweep = options.sweep;
  Rng rng(seed);
  ToyData data;
  data.num_classes = C;
  data.points.reserve(size_t(C) * size_t(P) * 2);
  data.labels.reserve(size_t(C) * size_t(P));
  auto add_point = [&](double x, double y, int label) {
    data.points.push_back(std::clamp(float(x), -1.0f, 1.0f));
    data.points.push_back(std::clamp(float(y), -1.0f, 1.0f));
    data.labels.push_back(uint8_t(label));
  };

  for (int c = 0; c < C; ++c)
    for (int i = 0; i < P; ++i) {
      const double t = P > 1 ? double(i) / double(P - 1) : 0.0;  // position along the class, 0..1
      switch (preset) {
        case ToyPreset::Blobs: {
          // centre_c = 0.6 · (cos φ_c, sin φ_c), φ_c = 2πc/C + π/4; point = centre_c + σ · N(0, I)
          const double phi = kTwoPi * c / C + kPi / 4;
          const double nx = rng.normal(), ny = rng.normal();
          add_point(0.6 * std::cos(phi) + blob_sigma * nx, 0.6 * std::sin(phi) + blob_sigma * ny, c);
          break;
        }
        case ToyPreset::Spiral: {
          if (options.spiral == SpiralStyle::Cs231n) {
            // r = t, θ = sweep·c + sweep·t + σ · N(0, 1), point = r · (sin θ, cos θ)
            const double theta = sweep * c + sweep * t + spiral_sigma * rng.normal();
            add_point(t * std::sin(theta), t * std::cos(theta), c);
          } else {
            // r = t, θ = 2πc/C + sweep·t + σ · N(0, 1), point = r · (cos θ, sin θ)
            const double theta = kTwoPi * c / C + sweep * t + spiral_sigma * rng.normal();
            add_point(t * std::cos(theta), t * std::sin(theta), c);
          }
          break;
        }
        case ToyPreset::Circles: {
          // r = r_c + σ · spacing · N(0, 1), r_c = spacing · (c + 1), spacing = 0.9 / C
          const double spacing = 0.9 / C;
          const double angle = kTwoPi * rng.uniform();
          const double r = spacing * (c + 1) + ring_sigma * spacing * rng.normal();
          add_point(r * std::cos(angle), r * std::sin(angle), c);
          break;
        }
        case ToyPreset::Xor: {
          // Rejection sampling: uniform in the square until the point falls in a sector of class c.
          // The class is decided on the float coordinates that are stored.
          float x = 0, y = 0;
          do {
            x = float(uniform_signed(rng));
            y = float(uniform_signed(rng));
          } while (xor_class(x, y, C) != c);
          add_point(x, y, c);
          break;
        }
        case ToyPreset::Uniform: {
          const double x = uniform_signed(rng), y = uniform_signed(rng);
          add_point(x, y, c);
          break;
        }
      }
    }
  return data;
}

ToySplit split_train_test(const ToyData& data, double test_ratio, uint64_t seed) {
  if (!(test_ratio >= 0 && test_ratio < 1))
    throw Error("test ratio " + std::to_string(test_ratio) + " is outside [0, 1)");
  const int n = data.count();
  const int test_count = int(std::lround(double(n) * test_ratio));
  if (test_count >= n)
    throw Error("a test ratio of " + std::to_string(test_ratio) + " leaves none of the " + std::to_string(n) +
                " points for training");
  std::vector<int> order(static_cast<size_t>(n));  // (N) a seeded permutation: its first test_count go to test
  for (int i = 0; i < n; ++i) order[size_t(i)] = i;
  Rng rng(seed);
  rng.shuffle(std::span<int>(order));
  std::vector<uint8_t> is_test(static_cast<size_t>(n), 0);  // (N)
  for (int k = 0; k < test_count; ++k) is_test[size_t(order[size_t(k)])] = 1;
  ToySplit out;
  out.train.num_classes = out.test.num_classes = data.num_classes;
  for (int i = 0; i < n; ++i) {
    ToyData& part = is_test[size_t(i)] ? out.test : out.train;
    part.points.push_back(data.points[size_t(2 * i)]);
    part.points.push_back(data.points[size_t(2 * i + 1)]);
    part.labels.push_back(data.labels[size_t(i)]);
  }
  return out;
}

}  // namespace implay
