// toy2d.hpp — 2-D toy datasets for the kNN and linear labs (in the style of the CS231n demos):
// blobs, spiral arms, concentric circles, XOR-like sectors and pure noise, each a few hundred
// points in [-1, 1]², deterministic for a seed (implay::Rng, core/rng.hpp).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace implay {

enum class ToyPreset {
  Blobs,    // one Gaussian cluster per class, centres evenly spread on a circle: linearly separable
  Spiral,   // CS231n "tendrils": one spiral arm per class; not linearly separable
  Circles,  // one ring per class, nested; not linearly separable
  Xor,      // 2 classes: quadrants, class = (x > 0) xor (y > 0); C > 2: 2C angular sectors
  Uniform,  // uniform points with labels unrelated to position: a model can only memorize
};

// In menu order, for the UI.
inline constexpr std::array<ToyPreset, 5> kAllToyPresets = {ToyPreset::Blobs, ToyPreset::Spiral, ToyPreset::Circles,
                                                            ToyPreset::Xor, ToyPreset::Uniform};

// "blobs", "spiral", "circles", "xor", "uniform" (exactly these, lower case).
// Throws implay::Error naming the bad value and the valid ones.
ToyPreset parse_toy_preset(std::string_view name);
const char* toy_preset_name(ToyPreset preset);

struct ToyData {
  std::vector<float> points;    // (N, 2) row-major (x, y), every coordinate in [-1, 1]
  std::vector<uint8_t> labels;  // (N) class labels 0..num_classes-1
  int num_classes = 0;          // C

  int count() const { return int(labels.size()); }  // N = C · points_per_class
};

// N = num_classes · points_per_class points, grouped by class: class c owns rows
// [c · P, (c + 1) · P) (shuffle before SGD). Same arguments → the same bytes, natively and in wasm.
// Coordinates are clamped to [-1, 1]. With t = i / (P − 1) along a class (t = 0 when P = 1):
//  Blobs:   centre_c = 0.6 · (cos φ_c, sin φ_c), φ_c = 2πc/C + π/4; point = centre_c + 0.18 · N(0, I).
//  Spiral:  r = t, θ = 2πc/C + 4t + 0.2 · N(0, 1); point = r · (cos θ, sin θ).
//  Circles: r_c = 0.9 · (c + 1) / C; r = r_c + 0.12 · (0.9 / C) · N(0, 1), angle uniform.
//  Xor:     uniform in the square, kept when its class is c (rejection sampling), where
//           C = 2: class = (x > 0) xor (y > 0) — quadrants I and III are class 0, II and IV class 1;
//           C > 2: class = ⌊angle / (π / C)⌋ mod C, angle = atan2(y, x) in [0, 2π): 2C sectors,
//                  opposite sectors share a class (C = 2 would be exactly the quadrants).
//  Uniform: uniform in the square; the labels are still P per class, so they say nothing.
// Throws implay::Error for num_classes outside 2..5 or points_per_class outside 1..500.
ToyData make_toy_data(ToyPreset preset, int num_classes, int points_per_class, uint64_t seed);

// How the spiral's arms are laid out.
enum class SpiralStyle {
  Even,    // as above: arm c starts at angle 2πc/C, θ = 2πc/C + sweep·t + noise·N(0, 1),
           // point = r · (cos θ, sin θ): the arms evenly spread
  Cs231n,  // CS231n's generator: for class j, r = linspace(0, 1, P), θ = linspace(4j, 4(j + 1), P)
           // + 0.2·randn, point = r · (sin θ, cos θ); here θ = sweep·j + sweep·t + noise·N(0, 1)
};

// Settings beyond the preset. The defaults give make_toy_data's bytes above exactly.
struct ToyOptions {
  std::optional<double> noise;             // the preset's spread; unset: its own value. Blobs: σ
                                           // around a centre (0.18); Spiral: σ of θ in radians (0.2);
                                           // Circles: σ of r as a fraction of the ring spacing
                                           // 0.9/C (0.12); Xor, Uniform: none (ignored). 0..10
  double sweep = 4.0;                      // Spiral: radians an arm turns from r = 0 to r = 1
                                           // (4 ≈ 0.64 turns); 0..8π (4 turns)
  SpiralStyle spiral = SpiralStyle::Even;  // Spiral: the arms' layout
};

// The same with options. The 3-arm spiral of the goal is
// make_toy_data(Spiral, 3, 100, seed, {.noise = 0.2, .spiral = SpiralStyle::Cs231n}).
// Throws implay::Error as above, and for a noise or sweep outside its range (naming it).
ToyData make_toy_data(ToyPreset preset, int num_classes, int points_per_class, uint64_t seed,
                      const ToyOptions& options);

struct ToySplit {
  ToyData train;  // the rest, in their original order
  ToyData test;   // round(N · test_ratio) points, in their original order
};

// A seeded random split (implay::Rng: the same on every target): test_ratio in [0, 1) of the
// points go to `test`. Throws implay::Error for a ratio outside [0, 1) (naming it) or a split
// that would leave no training point.
ToySplit split_train_test(const ToyData& data, double test_ratio, uint64_t seed);

}  // namespace implay
