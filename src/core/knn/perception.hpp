// perception.hpp — "pixel distance is not perception" (CS231n): three edits of one image tuned
// so each sits at about the same L2 distance from the original as a 1-pixel shift: the shift and
// a uniform tint leave the digit as readable as before, a square blot over its middle hides part.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace implay {

struct PerceptionVariants {
  std::vector<uint8_t> shifted, occluded, tinted;         // each (h, w) uint8 like the input
  double shifted_l2 = 0, occluded_l2 = 0, tinted_l2 = 0;  // ‖variant − original‖₂ (not squared)
  int shift_pixels = 0;                                   // moved right and down by this many pixels
  int occluder_size = 0;                                  // side of the square blot covering the ink's centre
  int occluder_value = 0;                                 // its shade (255 = full ink)
  int tint = 0;                                           // added to every pixel (clamped at 255)
};

// image: (h, w) uint8. The shift sets the target distance; the blot (the smallest square that
// reaches it, in the closest shade) and the tint are chosen to come closest to it. Throws implay::Error for a size
// mismatch.
PerceptionVariants equal_distance_variants(std::span<const uint8_t> image, int width, int height, int shift_pixels = 1);

// ‖a − b‖₂ for uint8 images (the square root of the exact integer sum).
double l2_distance_u8(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace implay
