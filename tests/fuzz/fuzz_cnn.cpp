// fuzz_cnn.cpp — libFuzzer target for core/conv/cnn.hpp's parse_cnn (the model files `cnn eval`
// and the Convolution lab load). Any bytes either parse or throw implay::Error; a net that parses
// has a shape plan_cnn accepts and P finite parameters, serializes back to the very input (one
// encoding per net: bit-exact floats, nothing after the payload) and, when small enough to run
// quickly, predicts a class 0..C−1 for an image of zeros.
#include <vector>

#include "core/conv/cnn.hpp"
#include "fuzz_support.hpp"

namespace {

// A forward pass costs about P × output pixels multiply-adds; fuzzed headers can ask for 2^24
// parameters over a 1024 × 1024 image, minutes of work. Run only nets whose pass is bounded.
bool cheap_to_run(const implay::Cnn& cnn) {
  long long work = 0;
  for (const implay::CnnLayerPlan& p : cnn.plan)
    work += (p.num_weights + p.num_biases + 1) * (long long)(p.out_height) * p.out_width + p.in_size();
  return work <= (1LL << 22);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto input = implay::fuzz::as_bytes(data, size);
  const auto parsed = implay::fuzz::accepted([&] { return implay::parse_cnn(input, implay::fuzz::kSource); });
  if (!parsed) return 0;
  const implay::Cnn& cnn = *parsed;
  const auto plan = implay::fuzz::accepted([&] { return implay::plan_cnn(cnn.shape); });
  FUZZ_CHECK(plan.has_value() && plan->size() == cnn.shape.layers.size());
  FUZZ_CHECK(cnn.params.size() == cnn.num_params() && cnn.params.allFinite());
  FUZZ_CHECK(cnn.num_classes() >= 2 && cnn.num_classes() <= implay::kMaxCnnClasses);
  FUZZ_CHECK(implay::serialize_cnn(cnn) == std::vector<uint8_t>(input.begin(), input.end()));
  if (!cheap_to_run(cnn)) return 0;

  // One image of zeros (1, C·H·W): scores may overflow to inf with fuzzed weights, the class may
  // not leave 0..C−1.
  const implay::RowMatrixXf zeros = implay::RowMatrixXf::Zero(1, cnn.input_size());
  const std::vector<int> predicted = implay::cnn_predict(cnn, zeros);
  FUZZ_CHECK(predicted.size() == 1 && predicted[0] >= 0 && predicted[0] < cnn.num_classes());
  return 0;
}
