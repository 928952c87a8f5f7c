// test_conv_cnn.cpp — the small CNN of core/conv/cnn.hpp: the default net's shapes and parameter
// count (8×28×28 → … → 16×7×7 → 10, 11 274 parameters), shape errors naming the layer, the flat
// layout and its views, seeded He initialization, a forward pass that keeps every layer's output,
// central differences through the whole of a tiny net (1×8×8, conv 3×3 ×2 → relu → pool 2 →
// dense 3, with and without L2), the blocked evaluation, and the model file (bit-exact round trip,
// bad files rejected by name).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "core/conv/cnn.hpp"
#include "core/error.hpp"
#include "core/grad_check.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using Eigen::VectorXf;
using implay::testing::contains;
using implay::testing::error_of;

RowMatrixXf random_images(int n, int size, Rng& rng) {
  RowMatrixXf x(n, size);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = float(2 * rng.uniform() - 1);
  return x;
}

// 1×8×8 → conv 3×3 ×2 pad 1 → relu → maxpool 2 → dense 3: 2·9 + 2 + 32·3 + 3 = 119 parameters.
CnnShape tiny_shape() {
  CnnShape s;
  s.channels = 1;
  s.height = 8;
  s.width = 8;
  s.layers = {CnnLayer::conv(2, 3, 3, 1, 1), CnnLayer::relu(), CnnLayer::max_pool(2, 2), CnnLayer::dense(3)};
  return s;
}

// True when one parameter moving by h = 0.01 cannot cross a kink: every conv output is at least
// `tol` from ReLU's 0, and in every pool window the winner leads the runner-up by 2·tol (or the
// whole window is ReLU's 0, which stays 0).
bool far_from_kinks(const Cnn& cnn, const RowMatrixXf& x, float tol) {
  CnnActivations a;
  ConvWorkspace ws;
  cnn_forward(cnn, x, a, ws);
  if ((a.outputs[0].array().abs() < tol).any()) return false;
  const PoolGeometry& g = cnn.plan[2].pool;
  const RowMatrixXf& r = a.outputs[1];  // (M, 2·8·8) after ReLU
  for (Eigen::Index n = 0; n < r.rows(); ++n)
    for (int c = 0; c < g.channels; ++c)
      for (int i = 0; i < g.out_height; ++i)
        for (int j = 0; j < g.out_width; ++j) {
          float best = -1, second = -1;
          for (int u = 0; u < 2; ++u)
            for (int v = 0; v < 2; ++v) {
              const float value = r(n, (c * 8 + 2 * i + u) * 8 + 2 * j + v);
              if (value > best) {
                second = best;
                best = value;
              } else if (value > second) {
                second = value;
              }
            }
          if (best > 0 && best - second < 2 * tol) return false;
        }
  return true;
}

}  // namespace

TEST_CASE("the default net: 8×28×28 → 8×14×14 → 16×14×14 → 16×7×7 → 10, 11 274 parameters") {
  const CnnShape shape = default_cnn_shape();
  CHECK(cnn_shape_text(shape) ==
        "1x28x28 > conv 5x5 x8 pad 2 > relu > maxpool 2 > conv 5x5 x16 pad 2 > relu > maxpool 2 > dense 10");
  const Cnn cnn(shape);
  REQUIRE(cnn.plan.size() == 7);
  CHECK(cnn.plan[0].out_size() == 8 * 28 * 28);
  CHECK(cnn.plan[2].out_height == 14);
  CHECK(cnn.plan[3].out_channels == 16);
  CHECK(cnn.plan[5].out_size() == 16 * 7 * 7);
  CHECK(cnn.plan[6].in_size() == 784);
  CHECK(cnn.num_classes() == 10);
  CHECK(cnn.num_params() == (8 * 25 + 8) + (16 * 8 * 25 + 16) + (784 * 10 + 10));
  CHECK(cnn.num_params() == 11274);
  CHECK(cnn.params.isZero());
  CHECK(cnn_layer_text(CnnLayer::conv(4, 3, 2, 2, 0)) == "conv 3x2 x4 stride 2");
  CHECK(cnn_layer_text(CnnLayer::max_pool(3, 2)) == "maxpool 3 stride 2");
}

TEST_CASE("the flat layout: filters (F, C·kh·kw), biases, dense W (in, out), all views of one vector") {
  Cnn cnn(default_cnn_shape());
  CHECK(cnn.weights(0).rows() == 8);
  CHECK(cnn.weights(0).cols() == 25);
  CHECK(cnn.bias(0).size() == 8);
  CHECK(cnn.plan[3].param_offset == 208);
  CHECK(cnn.weights(3).rows() == 16);
  CHECK(cnn.weights(3).cols() == 200);
  CHECK(cnn.plan[6].param_offset == 208 + 3216);
  CHECK(cnn.weights(6).rows() == 784);
  CHECK(cnn.weights(6).cols() == 10);
  cnn.weights(3)(1, 2) = 7;  // 208 + 1·200 + 2
  cnn.bias(6)(9) = -3;       // the very last parameter
  CHECK(cnn.params[410] == 7);
  CHECK(cnn.params[11273] == -3);
  VectorXf grad = VectorXf::Zero(cnn.num_params());
  cnn.bias_in(grad.data(), 0)(5) = 1;
  CHECK(grad[200 + 5] == 1);
}

TEST_CASE("shape errors name the layer") {
  CnnShape s = tiny_shape();
  s.height = s.width = 1;
  // conv 3×3 with pad 1 fits a 1×1 input (1 + 2 = 3); the pool below it does not.
  CHECK(error_of([&] { plan_cnn(s); }) ==
        "layer 3 (maxpool 2): pooling window 2 is larger than the input 1 along rows");
  s = tiny_shape();
  s.layers.pop_back();
  CHECK(error_of([&] { plan_cnn(s); }) ==
        "the last layer must be dense (its outputs are the class scores); layer 3 is maxpool 2");
  s = tiny_shape();
  s.layers.back() = CnnLayer::dense(1);
  CHECK(error_of([&] { plan_cnn(s); }) == "a classifier of 1 classes is outside 2..256");
  s = tiny_shape();
  s.layers.insert(s.layers.begin() + 1, CnnLayer::dense(16));
  CHECK(error_of([&] { plan_cnn(s); }) ==
        "layer 4 (maxpool 2): follows a dense layer (convolution and pooling need image maps, not a flat vector)");
  s = tiny_shape();
  s.layers[0].stride = 0;
  CHECK(error_of([&] { plan_cnn(s); }) == "layer 1 (conv 3x3 x2 stride 0 pad 1): stride 0 is outside 1..64");
  s = tiny_shape();
  s.layers[1].size = 3;
  CHECK(error_of([&] { plan_cnn(s); }) == "layer 2 (relu): size 3 is not used by this kind of layer (must be 0)");
  s = tiny_shape();
  s.channels = 0;
  CHECK(error_of([&] { plan_cnn(s); }) ==
        "a network input of 0 × 8 × 8 (C × H × W) is outside 1..64 × 1..1024 × 1..1024");
  s = tiny_shape();
  s.layers = {CnnLayer::dense(4096), CnnLayer::dense(4096), CnnLayer::dense(10)};
  CHECK(error_of([&] { plan_cnn(s); }) ==
        "layer 2 (dense 4096): brings the parameters to 17047552, more than the 16777216 allowed");
  // A file of a few thousand parameters must not ask for gigabytes of feature maps per image.
  s = CnnShape{1, 64, 65, {CnnLayer::conv(4096, 1, 1), CnnLayer::max_pool(64, 64), CnnLayer::dense(2)}};
  CHECK(error_of([&] { plan_cnn(s); }) ==
        "layer 1 (conv 1x1 x4096): brings one image's layer outputs to 17039360 floats, more than the 16777216 "
        "allowed");
  s = CnnShape{1, 1024, 1024, {CnnLayer::conv(1, 11, 11, 1, 5), CnnLayer::max_pool(64, 64), CnnLayer::dense(2)}};
  CHECK(error_of([&] { plan_cnn(s); }) ==
        "layer 1 (conv 11x11 x1 pad 5): needs an im2col buffer of 126877696 floats per image, more than the "
        "16777216 allowed");
  CHECK(error_of([] {
          plan_cnn(CnnShape{1, 8, 8, {}});
        }) == "a network needs at least one layer (a dense layer of class scores)");
  const Cnn cnn(tiny_shape());
  CHECK(error_of([&] { cnn_scores(cnn, RowMatrixXf::Zero(2, 63)); }) ==
        "inputs have 63 values per image but the network (1x8x8 > conv 3x3 x2 pad 1 > relu > maxpool 2 > dense 3) "
        "takes 64");
}

TEST_CASE("He initialization: conv N(0, 2 / (C·kh·kw)), dense N(0, 2 / in), biases 0, seeded") {
  Cnn cnn(default_cnn_shape());
  cnn.params.setConstant(5);
  init_cnn(cnn, 1);
  CHECK(cnn.bias(0).isZero());
  CHECK(cnn.bias(3).isZero());
  CHECK(cnn.bias(6).isZero());
  auto rms = [](const Eigen::Map<const RowMatrixXf>& w) { return std::sqrt(w.squaredNorm() / double(w.size())); };
  const Cnn& c = cnn;
  CHECK(rms(c.weights(3)) == doctest::Approx(std::sqrt(2.0 / 200)).epsilon(0.05));
  CHECK(rms(c.weights(6)) == doctest::Approx(std::sqrt(2.0 / 784)).epsilon(0.03));
  Cnn again(cnn.shape);
  init_cnn(again, 1);
  CHECK(std::memcmp(again.params.data(), cnn.params.data(), sizeof(float) * size_t(cnn.num_params())) == 0);
  init_cnn(again, 2);
  CHECK_FALSE(again.params == cnn.params);
}

TEST_CASE("forward keeps every layer's output: ReLU ≥ 0, the pool picks maxima, scores = dense of the last maps") {
  Rng rng(3);
  Cnn cnn(default_cnn_shape());
  init_cnn(cnn, 4);
  cnn.bias(0).setConstant(0.1f);
  const RowMatrixXf x = random_images(3, 784, rng);
  CnnActivations a;
  ConvWorkspace ws;
  cnn_forward(cnn, x, a, ws);
  REQUIRE(a.outputs.size() == 7);
  for (int l = 0; l < 7; ++l) {
    CHECK(a.outputs[size_t(l)].rows() == 3);
    CHECK(a.outputs[size_t(l)].cols() == cnn.plan[size_t(l)].out_size());
  }
  CHECK(a.outputs[1].minCoeff() >= 0);
  CHECK(a.outputs[1] == a.outputs[0].cwiseMax(0.0f));
  CHECK(a.argmax[2].size() == size_t(3 * 8 * 14 * 14));
  CHECK(a.argmax[1].empty());
  CHECK(a.outputs[2](1, 0) == a.outputs[1](1, a.argmax[2][size_t(8 * 14 * 14)]));
  const RowMatrixXf expected = (a.outputs[5] * cnn.weights(6)).rowwise() + cnn.bias(6).transpose();
  CHECK(a.scores().isApprox(expected, 1e-6f));
  CHECK(cnn_scores(cnn, x) == a.scores());
  const std::vector<int> predicted = cnn_predict(cnn, x);
  for (int i = 0; i < 3; ++i) {
    Eigen::Index best;
    a.scores().row(i).maxCoeff(&best);
    CHECK(predicted[size_t(i)] == int(best));
  }
}

TEST_CASE("gradient check of the whole net: 1×8×8, conv 3×3 ×2 → relu → pool 2 → dense 3") {
  Rng rng(13);
  for (float lambda : {0.0f, 0.05f}) {
    CAPTURE(lambda);
    Cnn cnn(tiny_shape());
    RowMatrixXf x;
    std::vector<int> y(4);
    // Redraw until no kink is within reach of h = 0.01 (a parameter moves a conv output by at
    // most 0.01 · max |x| ≤ 0.01 with inputs in [−1, 1]).
    do {
      for (Eigen::Index k = 0; k < cnn.params.size(); ++k) cnn.params[k] = float(0.6 * rng.normal());
      x = random_images(4, 64, rng);
    } while (!far_from_kinks(cnn, x, 0.015f));
    for (int& label : y) label = int(rng.below(3));
    const NnObjective objective{NnLoss::Softmax, 1, {Regularizer::L2, lambda, 1}};
    CnnWorkspace ws;
    VectorXf grad(cnn.num_params());
    const float loss = cnn_objective_and_gradient(cnn, x, y, objective, grad, ws);
    CHECK(cnn_objective(cnn, x, y, objective, ws) == loss);
    const GradCheckResult r = check_gradient([&] { return double(cnn_objective(cnn, x, y, objective, ws)); },
                                             std::span<float>(cnn.params.data(), size_t(cnn.params.size())),
                                             std::span<const float>(grad.data(), size_t(grad.size())));
    CAPTURE(r.worst);
    CAPTURE(r.worst_analytic);
    CAPTURE(r.worst_numeric);
    CHECK(r.checked == 119);
    CHECK(r.max_relative_error < 1e-2);
    CHECK(r.norm_relative_error < 1e-3);
  }
}

TEST_CASE("evaluation in blocks matches one pass, with λ R(W)") {
  Rng rng(5);
  Cnn cnn(tiny_shape());
  init_cnn(cnn, 9);
  const RowMatrixXf x = random_images(25, 64, rng);
  std::vector<uint8_t> labels(25);
  for (uint8_t& label : labels) label = uint8_t(rng.below(3));
  const NnObjective objective{NnLoss::Softmax, 1, {Regularizer::L2, 0.01f, 1}};
  const CnnEvaluation blocks = evaluate_cnn(cnn, x, labels, objective, 7);
  const CnnEvaluation whole = evaluate_cnn(cnn, x, labels, objective, 1000);
  CHECK(blocks.count == 25);
  CHECK(blocks.cross_entropy == doctest::Approx(whole.cross_entropy).epsilon(1e-6));
  CHECK(blocks.accuracy == whole.accuracy);
  CHECK(blocks.regularization == doctest::Approx(cnn_regularization(cnn, objective.reg)));
  const std::vector<int> y(labels.begin(), labels.end());
  CnnWorkspace ws;
  CHECK(blocks.objective() == doctest::Approx(cnn_objective(cnn, x, y, objective, ws)).epsilon(1e-5));
  CHECK(contains(error_of([&] {
                   evaluate_cnn(cnn, x, std::vector<uint8_t>{0, 1}, objective);
                 }),
                 "25 input rows but 2 labels"));
}

TEST_CASE("model file: bit-exact round trip, also through a file") {
  Cnn cnn(default_cnn_shape());
  init_cnn(cnn, 3);
  cnn.params[0] = -0.0f;
  cnn.params[1] = std::numeric_limits<float>::denorm_min();
  const std::vector<uint8_t> bytes = serialize_cnn(cnn);
  CHECK(bytes.size() == size_t(28 + 7 * 24 + 4 * 11274));
  CHECK(std::memcmp(bytes.data(), "IMPLAYCN", 8) == 0);
  const Cnn parsed = parse_cnn(bytes, "<memory>");
  CHECK(parsed.shape == cnn.shape);
  REQUIRE(parsed.params.size() == cnn.params.size());
  CHECK(std::memcmp(parsed.params.data(), cnn.params.data(), sizeof(float) * size_t(cnn.num_params())) == 0);
  CHECK(std::signbit(parsed.params[0]));
  CHECK(serialize_cnn(parsed) == bytes);
  const std::string path = "/tmp/implay_test_cnn.bin";
  save_cnn(cnn, path);
  const Cnn loaded = load_cnn(path);
  std::remove(path.c_str());
  CHECK(serialize_cnn(loaded) == bytes);
  CHECK(contains(error_of([] { load_cnn("/tmp/implay_no_such_cnn.bin"); }), "/tmp/implay_no_such_cnn.bin"));
}

TEST_CASE("model file: wrong magic, version, absurd sizes, bad layers, truncation, trailing bytes, NaN rejected") {
  const Cnn cnn(tiny_shape());
  const std::vector<uint8_t> good = serialize_cnn(cnn);  // 28 + 4·24 + 4·119
  auto with = [&](size_t offset, uint32_t value) {
    std::vector<uint8_t> bad = good;
    for (int k = 0; k < 4; ++k) bad[offset + size_t(k)] = uint8_t(value >> (8 * k));
    return bad;
  };
  auto parse = [](const std::vector<uint8_t>& b) { return error_of([&] { parse_cnn(b, "c.bin"); }); };
  std::vector<uint8_t> magic = good;
  magic[6] = 'N';  // an MLP's file
  CHECK(parse(magic) ==
        "c.bin: not a convolutional net model file (wrong magic number \"IMPLAYNN\", expected \"IMPLAYCN\")");
  CHECK(parse({'I', 'M', 'P'}) == "c.bin: truncated convolutional net model file (3 bytes)");
  CHECK(parse(with(8, 2)) == "c.bin: unsupported convolutional net model file version 2 (this build reads version 1)");
  CHECK(parse(with(12, 65)) == "c.bin: input channels 65 in the header (at most 64)");
  CHECK(parse(with(16, 0xFFFFFFFFu)) == "c.bin: input height 4294967295 in the header (at most 1024)");
  CHECK(parse(with(24, 33)) == "c.bin: layer count 33 in the header (at most 32)");
  CHECK(parse(with(24, 0)) == "c.bin: a network needs at least one layer (a dense layer of class scores)");
  CHECK(parse(with(28, 7)) == "c.bin: layer 1 has kind 7 (0 conv, 1 relu, 2 maxpool, 3 dense)");
  CHECK(parse(with(32, 100000)) == "c.bin: layer 1 size 100000 in the header (at most 4096)");
  CHECK(parse(with(36, 11)) ==
        "c.bin: layer 1 (conv 11x3 x2 pad 1): kernel 11 (dilation 1) is larger than the padded input 8 + 2·1 = 10 "
        "along rows");
  // A header that claims the largest net allowed but holds no parameters: truncated, not allocated.
  // 1×64×64 → dense 4000 → dense 10: 16 428 010 parameters, within the limit, none present.
  std::vector<uint8_t> huge(good.begin(), good.begin() + 12);
  for (uint32_t v : {1u, 64u, 64u, 2u, 3u, 4000u, 0u, 0u, 0u, 0u, 3u, 10u, 0u, 0u, 0u, 0u})
    for (int k = 0; k < 4; ++k) huge.push_back(uint8_t(v >> (8 * k)));
  CHECK(contains(parse(huge), "c.bin: truncated convolutional net model file"));
  for (size_t cut = 0; cut < good.size(); cut += (cut < 140 ? 1 : 37)) {
    CAPTURE(cut);
    CHECK(contains(parse(std::vector<uint8_t>(good.begin(), good.begin() + std::ptrdiff_t(cut))), "truncated"));
  }
  std::vector<uint8_t> trailing = good;
  trailing.push_back(0);
  CHECK(parse(trailing) == "c.bin: 1 unexpected bytes after the convolutional net model data");
  CHECK(parse(with(good.size() - 4, 0x7fc00000u)) ==
        "c.bin: convolutional net model parameter 118 is NaN (a diverged training run?); refusing the model");
  CHECK(parse(with(good.size() - 8, 0x7f800000u)) ==
        "c.bin: convolutional net model parameter 117 is infinite (a diverged training run?); refusing the model");
}
