// fuzz_mlp.cpp — libFuzzer target for core/nn/mlp.hpp's parse_mlp (the model files `nn eval` and
// the Neural-net lab load). Any bytes either parse or throw implay::Error; a net that parses has a
// valid shape, a unit mask and P finite parameters, serializes back to the very input (one
// encoding per net: bit-exact floats, nothing after the payload) and predicts a class 0..C−1 for
// an input of zeros. Its feature spec goes on where `nn eval` sends it: "raw", a 2-D feature list
// (canonical after one round) or an image feature spec.
#include <vector>

#include "core/linear/features.hpp"
#include "core/nn/features2d.hpp"
#include "core/nn/mlp.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto input = implay::fuzz::as_bytes(data, size);
  const auto parsed = implay::fuzz::accepted([&] { return implay::parse_mlp(input, implay::fuzz::kSource); });
  if (!parsed) return 0;
  const implay::Mlp& mlp = *parsed;
  const auto shape_ok = implay::fuzz::accepted([&] {
    implay::check_mlp_shape(mlp.shape);
    return true;
  });
  FUZZ_CHECK(shape_ok.has_value());
  FUZZ_CHECK(mlp.params.size() == mlp.num_params() && mlp.params.allFinite());
  FUZZ_CHECK(mlp.unit_on.size() == mlp.shape.hidden.size());
  for (size_t l = 0; l < mlp.unit_on.size(); ++l) FUZZ_CHECK(int(mlp.unit_on[l].size()) == mlp.shape.hidden[l]);
  FUZZ_CHECK(implay::serialize_mlp(mlp) == std::vector<uint8_t>(input.begin(), input.end()));

  // One row of zeros (1, D): scores may overflow to inf with fuzzed weights, the class may not leave 0..C−1.
  const implay::RowMatrixXf zeros = implay::RowMatrixXf::Zero(1, mlp.shape.input_dim);
  const std::vector<int> predicted = implay::mlp_predict(mlp, zeros);
  FUZZ_CHECK(predicted.size() == 1 && predicted[0] >= 0 && predicted[0] < mlp.shape.num_classes);

  const std::string& spec = mlp.feature_spec;
  if (spec.empty() || spec == "raw") return 0;
  if (const auto list = implay::fuzz::accepted([&] { return implay::parse_feature_list(spec); })) {
    const std::string canonical = implay::feature_list_spec(*list);
    FUZZ_CHECK(implay::parse_feature_list(canonical) == *list);
    return 0;
  }
  if (const auto options = implay::fuzz::accepted([&] { return implay::parse_feature_spec(spec); })) {
    const std::string canonical = implay::feature_spec(*options);
    FUZZ_CHECK(implay::feature_spec(implay::parse_feature_spec(canonical)) == canonical);
  }
  return 0;
}
