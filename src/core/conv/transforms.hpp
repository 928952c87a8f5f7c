// transforms.hpp — what the Convolution lab does to digits to show what a CNN is (and is not)
// invariant to: shift by (dx, dy) with zeros filling in, rotation about the centre (bilinear,
// zeros outside), and one fixed seeded permutation of the H·W pixels applied to every image (a
// CNN loses its edge on permuted digits, an MLP does not care). For u8 (idx.hpp's pixels) and
// float images of any H × W; an image is (H, W) row-major, a batch (N, H·W) with one per row.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "core/matrix.hpp"

namespace implay {

// out(r, c) = in(r − dy, c − dx): dx > 0 moves the picture right, dy > 0 down; pixels shifted in
// from outside are 0, pixels shifted past the border are lost. in, out: (H·W), distinct.
void shift_image(std::span<const uint8_t> in, std::span<uint8_t> out, int height, int width, int dx, int dy);
void shift_image(std::span<const float> in, std::span<float> out, int height, int width, int dx, int dy);

// Rotates by `degrees` counter-clockwise as seen on screen (rows grow downwards) about the centre
// ((H − 1) / 2, (W − 1) / 2): out(r, c) = in at the source point
//   c' = cx + (c − cx) cos θ − (r − cy) sin θ,   r' = cy + (c − cx) sin θ + (r − cy) cos θ,
// sampled bilinearly with 0 outside the image. Source coordinates within 1e-6 of a whole number
// are taken as whole, so multiples of 90° move pixels exactly (a square image rotated by 90°
// is out(r, c) = in(c, W − 1 − r)). u8 results are rounded to nearest. in, out: (H·W), distinct.
void rotate_image(std::span<const uint8_t> in, std::span<uint8_t> out, int height, int width, double degrees);
void rotate_image(std::span<const float> in, std::span<float> out, int height, int width, double degrees);

// One fixed shuffle of the H·W pixel positions: out[k] = in[source[k]].
struct PixelPermutation {
  std::vector<int32_t> source;  // (H·W) a bijection of 0..H·W − 1
};
// Fisher–Yates (rng.hpp's Rng(seed).shuffle) of 0..pixels − 1: the same permutation for the same
// seed on every target. Throws implay::Error for pixels < 1 or above idx.hpp's kMaxImagePixels.
PixelPermutation make_pixel_permutation(int pixels, uint64_t seed);
// The permutation that undoes p: inverse.source[p.source[k]] = k.
PixelPermutation inverse_permutation(const PixelPermutation& p);
// in, out: (H·W) with H·W = p.source.size() (asserted), distinct.
void permute_pixels(const PixelPermutation& p, std::span<const uint8_t> in, std::span<uint8_t> out);
void permute_pixels(const PixelPermutation& p, std::span<const float> in, std::span<float> out);

// Batches: every row of images (N, H·W) transformed alike into a new (N, H·W). Throw
// implay::Error when the rows do not hold H·W values (or p.source.size()).
RowMatrixXf shift_images(const Eigen::Ref<const RowMatrixXf>& images, int height, int width, int dx, int dy);
RowMatrixXf rotate_images(const Eigen::Ref<const RowMatrixXf>& images, int height, int width, double degrees);
RowMatrixXf permute_images(const PixelPermutation& p, const Eigen::Ref<const RowMatrixXf>& images);
// u8 batches as idx.hpp's LabeledImages::pixels: (N, H·W) row-major bytes.
std::vector<uint8_t> shift_images(std::span<const uint8_t> images, int height, int width, int dx, int dy);
std::vector<uint8_t> rotate_images(std::span<const uint8_t> images, int height, int width, double degrees);
std::vector<uint8_t> permute_images(const PixelPermutation& p, std::span<const uint8_t> images);

// Sweeps for the lab's invariance plots: one image (H·W) under each of several transforms, as a
// batch with one transformed copy per row, to be scored in one forward pass.
// rotation_sweep: row a is the image rotated by degrees[a] → (A, H·W).
// shift_sweep: row a is the image shifted by (dx[a], dy[a]) → (A, H·W); throws implay::Error when
// dx and dy differ in length. Both throw when the image does not hold H·W values.
RowMatrixXf rotation_sweep(std::span<const float> image, int height, int width, std::span<const double> degrees);
RowMatrixXf shift_sweep(std::span<const float> image, int height, int width, std::span<const int> dx,
                        std::span<const int> dy);

}  // namespace implay
