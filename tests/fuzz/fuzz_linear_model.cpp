// fuzz_linear_model.cpp — libFuzzer target for core/linear/linear.hpp's parse_linear_model (model files
// the CLI's `linear eval` and the Linear lab load). Any bytes either parse or throw implay::Error;
// a model that parses has C·D + C parameters and serializes back to the very input (the format
// has one encoding per model: bit-exact floats, nothing after the payload). Its feature spec goes
// on to parse_feature_spec, as `linear eval` and the lab do; a spec that parses is canonical
// after one round (feature_spec writes every key).
#include <vector>

#include "core/linear/features.hpp"
#include "core/linear/linear.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto input = implay::fuzz::as_bytes(data, size);
  const auto parsed = implay::fuzz::accepted([&] { return implay::parse_linear_model(input, implay::fuzz::kSource); });
  if (!parsed) return 0;
  const implay::LinearModel& model = *parsed;
  FUZZ_CHECK(model.num_classes >= 1 && model.dim >= 1);
  FUZZ_CHECK(model.params.size() == model.num_params());
  FUZZ_CHECK(implay::serialize_linear_model(model) == std::vector<uint8_t>(input.begin(), input.end()));
  const auto options = implay::fuzz::accepted([&] { return implay::parse_feature_spec(model.feature_spec); });
  if (!options) return 0;
  const std::string canonical = implay::feature_spec(*options);
  FUZZ_CHECK(implay::feature_spec(implay::parse_feature_spec(canonical)) == canonical);
  return 0;
}
