// fuzz_pixel_model.cpp — libFuzzer target for core/pixel/pixel_model.hpp's parse_pixel_model (the four
// model files `ar nll` / `ar complete` and the Sketch lab load). Any bytes either parse or throw
// implay::Error; a model that parses gives a probability in [0, 1] for its first and last pixel
// and serializes back to the very input (one encoding per model, nothing after the payload).
#include <vector>

#include "core/pixel/pixel_model.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto input = implay::fuzz::as_bytes(data, size);
  const auto parsed = implay::fuzz::accepted([&] { return implay::parse_pixel_model(input, implay::fuzz::kSource); });
  if (!parsed) return 0;
  const implay::PixelModel* model = parsed->get();
  FUZZ_CHECK(model->rows() >= 1 && model->cols() >= 1);
  // A blank image: the conditionals a first look at the model computes. NaN fails this too,
  // which fuzzed float parameters may well give, so only the range of finite values is checked.
  const std::vector<uint8_t> blank(size_t(model->dim()), 0);
  for (int i : {0, model->dim() - 1}) {
    const double p = model->probability(blank, i);
    FUZZ_CHECK(!(p < 0) && !(p > 1));
  }
  FUZZ_CHECK(implay::serialize_pixel_model(*model) == std::vector<uint8_t>(input.begin(), input.end()));
  return 0;
}
