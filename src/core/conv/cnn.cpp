// cnn.cpp — the small CNN of cnn.hpp: layer texts and shape inference, the flat layout, He
// initialization, forward and backward through the layer list, evaluation, the model file.
//
// Index: [layers] [model] [init] [forward] [objective] [evaluation] [save/load]
#include "core/conv/cnn.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

#include "core/binary_io.hpp"
#include "core/checked.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/linear/linear.hpp"
#include "core/rng.hpp"

namespace implay {
namespace {

using Eigen::Index;

std::string str(int64_t v) { return std::to_string(v); }

// "layer 3 (maxpool 2): " — the prefix of every shape error.
std::string layer_prefix(int l, const CnnLayer& layer) {
  return "layer " + str(l + 1) + " (" + cnn_layer_text(layer) + "): ";
}

bool in_range(int v, int lo, int hi) { return v >= lo && v <= hi; }

// The fields a kind uses must be in range and the others 0 (so a file cannot hide stray values).
void check_layer_fields(int l, const CnnLayer& layer) {
  const std::string at = layer_prefix(l, layer);
  auto unused = [&](int v, const char* field) {
    if (v != 0) throw Error(at + field + " " + str(v) + " is not used by this kind of layer (must be 0)");
  };
  auto bounded = [&](int v, int lo, int hi, const char* field) {
    if (!in_range(v, lo, hi)) throw Error(at + field + " " + str(v) + " is outside " + str(lo) + ".." + str(hi));
  };
  switch (layer.kind) {
    case CnnLayerKind::Conv:
      bounded(layer.size, 1, kMaxCnnUnits, "filter count");
      bounded(layer.kh, 1, kMaxCnnKernel, "kernel rows");
      bounded(layer.kw, 1, kMaxCnnKernel, "kernel columns");
      bounded(layer.stride, 1, kMaxCnnKernel, "stride");
      bounded(layer.pad, 0, kMaxCnnKernel, "padding");
      return;
    case CnnLayerKind::Relu:
      unused(layer.size, "size");
      unused(layer.kh, "kernel rows");
      unused(layer.kw, "kernel columns");
      unused(layer.stride, "stride");
      unused(layer.pad, "padding");
      return;
    case CnnLayerKind::MaxPool:
      unused(layer.size, "size");
      bounded(layer.kh, 1, kMaxCnnKernel, "window");
      if (layer.kw != layer.kh) throw Error(at + "window " + str(layer.kh) + " × " + str(layer.kw) + " is not square");
      bounded(layer.stride, 1, kMaxCnnKernel, "stride");
      unused(layer.pad, "padding");
      return;
    case CnnLayerKind::Dense:
      bounded(layer.size, 1, kMaxCnnUnits, "output count");
      unused(layer.kh, "kernel rows");
      unused(layer.kw, "kernel columns");
      unused(layer.stride, "stride");
      unused(layer.pad, "padding");
      return;
  }
  throw Error("layer " + str(l + 1) + " has unknown kind " + str(int64_t(layer.kind)) +
              " (0 conv, 1 relu, 2 maxpool, 3 dense)");
}

}  // namespace

// [SECTION] layers -------------------------------------------------------------------------------

CnnShape default_cnn_shape() {
  CnnShape s;
  s.channels = 1;
  s.height = 28;
  s.width = 28;
  s.layers = {CnnLayer::conv(8, 5, 5, 1, 2),
              CnnLayer::relu(),
              CnnLayer::max_pool(2, 2),
              CnnLayer::conv(16, 5, 5, 1, 2),
              CnnLayer::relu(),
              CnnLayer::max_pool(2, 2),
              CnnLayer::dense(10)};
  return s;
}

std::string cnn_layer_text(const CnnLayer& layer) {
  switch (layer.kind) {
    case CnnLayerKind::Conv: {
      std::string t = "conv " + str(layer.kh) + "x" + str(layer.kw) + " x" + str(layer.size);
      if (layer.stride != 1) t += " stride " + str(layer.stride);
      if (layer.pad != 0) t += " pad " + str(layer.pad);
      return t;
    }
    case CnnLayerKind::Relu: return "relu";
    case CnnLayerKind::MaxPool: {
      std::string t = "maxpool " + str(layer.kh);
      if (layer.stride != layer.kh) t += " stride " + str(layer.stride);
      return t;
    }
    case CnnLayerKind::Dense: return "dense " + str(layer.size);
  }
  return "kind " + str(int64_t(layer.kind));
}

std::string cnn_shape_text(const CnnShape& shape) {
  std::string t = str(shape.channels) + "x" + str(shape.height) + "x" + str(shape.width);
  for (const CnnLayer& layer : shape.layers) t += " > " + cnn_layer_text(layer);
  return t;
}

std::vector<CnnLayerPlan> plan_cnn(const CnnShape& shape) {
  if (!in_range(shape.channels, 1, kMaxCnnChannels) || !in_range(shape.height, 1, kMaxCnnImageSide) ||
      !in_range(shape.width, 1, kMaxCnnImageSide))
    throw Error("a network input of " + str(shape.channels) + " × " + str(shape.height) + " × " + str(shape.width) +
                " (C × H × W) is outside 1..64 × 1..1024 × 1..1024");
  if (shape.layers.empty()) throw Error("a network needs at least one layer (a dense layer of class scores)");
  if (shape.layers.size() > size_t(kMaxCnnLayers))
    throw Error(str(int64_t(shape.layers.size())) + " layers is more than the " + str(kMaxCnnLayers) + " allowed");
  std::vector<CnnLayerPlan> plan(shape.layers.size());
  int c = shape.channels, h = shape.height, w = shape.width;
  bool flat = false;  // after a dense layer: (out, 1, 1), no image maps
  Index offset = 0;
  int64_t image_floats = 0;  // Σ out_size of the layers so far: one image's activations
  for (size_t l = 0; l < shape.layers.size(); ++l) {
    const CnnLayer& layer = shape.layers[l];
    check_layer_fields(int(l), layer);
    const std::string at = layer_prefix(int(l), layer);
    CnnLayerPlan& p = plan[l];
    p.in_channels = c;
    p.in_height = h;
    p.in_width = w;
    p.param_offset = offset;
    try {
      switch (layer.kind) {
        case CnnLayerKind::Conv:
        case CnnLayerKind::MaxPool:
          if (flat) throw Error("follows a dense layer (convolution and pooling need image maps, not a flat vector)");
          if (layer.kind == CnnLayerKind::Conv) {
            p.conv =
                conv_geometry(c, h, w, layer.size,
                              ConvParams{layer.kh, layer.kw, layer.stride, layer.stride, layer.pad, layer.pad, 1, 1});
            c = layer.size;
            h = p.conv.out_height;
            w = p.conv.out_width;
            p.num_weights = Index(p.conv.filters) * p.conv.filter_size();
            p.num_biases = layer.size;
          } else {
            p.pool = pool_geometry(c, h, w, PoolParams{layer.kh, layer.kw, layer.stride, layer.stride});
            h = p.pool.out_height;
            w = p.pool.out_width;
          }
          break;
        case CnnLayerKind::Relu: break;
        case CnnLayerKind::Dense:
          // in ≤ 2^28 (conv_geometry's cap) and out ≤ 4096: the product fits 64 bits.
          p.num_weights = Index(c) * h * w * layer.size;
          p.num_biases = layer.size;
          c = layer.size;
          h = w = 1;
          flat = true;
          break;
      }
    } catch (const Error& e) {
      throw Error(at + e.what());
    }
    p.out_channels = c;
    p.out_height = h;
    p.out_width = w;
    image_floats += p.out_size();
    if (image_floats > kMaxCnnImageFloats)
      throw Error(at + "brings one image's layer outputs to " + str(image_floats) + " floats, more than the " +
                  str(kMaxCnnImageFloats) + " allowed");
    if (layer.kind == CnnLayerKind::Conv && int64_t(p.conv.filter_size()) * p.conv.out_cells() > kMaxCnnImageFloats)
      throw Error(at + "needs an im2col buffer of " + str(int64_t(p.conv.filter_size()) * p.conv.out_cells()) +
                  " floats per image, more than the " + str(kMaxCnnImageFloats) + " allowed");
    offset += p.num_weights + p.num_biases;
    if (offset > kMaxCnnParams)
      throw Error(at + "brings the parameters to " + str(offset) + ", more than the " + str(kMaxCnnParams) +
                  " allowed");
  }
  const CnnLayer& last = shape.layers.back();
  if (last.kind != CnnLayerKind::Dense)
    throw Error("the last layer must be dense (its outputs are the class scores); layer " +
                str(int64_t(shape.layers.size())) + " is " + cnn_layer_text(last));
  if (!in_range(last.size, 2, kMaxCnnClasses))
    throw Error("a classifier of " + str(last.size) + " classes is outside 2.." + str(kMaxCnnClasses));
  return plan;
}

// [SECTION] model --------------------------------------------------------------------------------

Cnn::Cnn(const CnnShape& s) : shape(s), plan(plan_cnn(s)) { params = Eigen::VectorXf::Zero(num_params()); }

Index Cnn::num_params() const {
  if (plan.empty()) return 0;
  const CnnLayerPlan& last = plan.back();
  return last.param_offset + last.num_weights + last.num_biases;
}

namespace {

// Rows and columns of layer l's weight view: conv (F, C·kh·kw), dense (in, out).
std::pair<Index, Index> weight_dims(const Cnn& cnn, int l) {
  const CnnLayerPlan& p = cnn.plan[size_t(l)];
  assert(p.num_weights > 0);
  if (cnn.shape.layers[size_t(l)].kind == CnnLayerKind::Conv) return {p.conv.filters, p.conv.filter_size()};
  return {p.in_size(), p.out_channels};
}

}  // namespace

Eigen::Map<RowMatrixXf> Cnn::weights_in(float* flat, int l) const {
  const auto [rows, cols] = weight_dims(*this, l);
  return Eigen::Map<RowMatrixXf>(flat + plan[size_t(l)].param_offset, rows, cols);
}
Eigen::Map<const RowMatrixXf> Cnn::weights_in(const float* flat, int l) const {
  const auto [rows, cols] = weight_dims(*this, l);
  return Eigen::Map<const RowMatrixXf>(flat + plan[size_t(l)].param_offset, rows, cols);
}
Eigen::Map<Eigen::VectorXf> Cnn::bias_in(float* flat, int l) const {
  const CnnLayerPlan& p = plan[size_t(l)];
  return Eigen::Map<Eigen::VectorXf>(flat + p.param_offset + p.num_weights, p.num_biases);
}
Eigen::Map<const Eigen::VectorXf> Cnn::bias_in(const float* flat, int l) const {
  const CnnLayerPlan& p = plan[size_t(l)];
  return Eigen::Map<const Eigen::VectorXf>(flat + p.param_offset + p.num_weights, p.num_biases);
}

// [SECTION] init ---------------------------------------------------------------------------------

void init_cnn(Cnn& cnn, uint64_t seed) {
  Rng rng(seed);
  cnn.params.setZero();
  for (int l = 0; l < cnn.num_layers(); ++l) {
    const CnnLayerPlan& p = cnn.plan[size_t(l)];
    if (p.num_weights == 0) continue;
    // fan-in: the inputs one output unit sums over.
    const double fan_in =
        cnn.shape.layers[size_t(l)].kind == CnnLayerKind::Conv ? double(p.conv.filter_size()) : double(p.in_size());
    const double std = std::sqrt(2.0 / fan_in);
    float* w = cnn.params.data() + p.param_offset;
    for (Index k = 0; k < p.num_weights; ++k) w[k] = float(std * rng.normal());
  }
}

// [SECTION] forward ------------------------------------------------------------------------------

namespace {

void check_input(const Cnn& cnn, Index cols) {
  if (cols != cnn.input_size())
    throw Error("inputs have " + str(cols) + " values per image but the network (" + cnn_shape_text(cnn.shape) +
                ") takes " + str(cnn.input_size()));
  assert(cnn.params.size() == cnn.num_params());
}

}  // namespace

void cnn_forward(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, CnnActivations& out, ConvWorkspace& ws) {
  check_input(cnn, X.cols());
  const int L = cnn.num_layers();
  out.outputs.resize(size_t(L));
  out.argmax.resize(size_t(L));
  for (int l = 0; l < L; ++l) {
    const CnnLayerPlan& p = cnn.plan[size_t(l)];
    const Eigen::Ref<const RowMatrixXf> in =
        l == 0 ? X : Eigen::Ref<const RowMatrixXf>(out.outputs[size_t(l - 1)]);  // (M, in_size)
    RowMatrixXf& y = out.outputs[size_t(l)];                                     // (M, out_size)
    switch (cnn.shape.layers[size_t(l)].kind) {
      case CnnLayerKind::Conv: conv2d_forward(p.conv, in, cnn.weights(l), cnn.bias(l), y, ws); break;
      case CnnLayerKind::Relu: y = in.array().max(0.0f).matrix(); break;
      case CnnLayerKind::MaxPool: max_pool_forward(p.pool, in, y, out.argmax[size_t(l)]); break;
      case CnnLayerKind::Dense:
        y.resize(in.rows(), p.out_channels);
        y.noalias() = in * cnn.weights(l);  // (M, in)·(in, out)
        y.rowwise() += cnn.bias(l).transpose();
        break;
    }
    if (cnn.shape.layers[size_t(l)].kind != CnnLayerKind::MaxPool) out.argmax[size_t(l)].clear();
  }
}

RowMatrixXf cnn_scores(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X) {
  CnnActivations a;
  ConvWorkspace ws;
  cnn_forward(cnn, X, a, ws);
  return a.scores();
}

std::vector<int> cnn_predict(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X) {
  const RowMatrixXf s = cnn_scores(cnn, X);
  std::vector<int> out(size_t(s.rows()));
  for (Index i = 0; i < s.rows(); ++i) {
    Index best = 0;
    s.row(i).maxCoeff(&best);  // the first maximum: ties → the smallest class
    out[size_t(i)] = int(best);
  }
  return out;
}

// [SECTION] objective ----------------------------------------------------------------------------

namespace {

// λ R over layer l's weights; adds λ ∂R/∂W to grad's weights when grad is not null.
float layer_regularization(const Cnn& cnn, int l, const RegularizationOptions& reg, float* grad) {
  const CnnLayerPlan& p = cnn.plan[size_t(l)];
  if (reg.kind == Regularizer::None || reg.lambda == 0.0f || p.num_weights == 0) return 0.0f;
  const Eigen::Map<const Eigen::VectorXf> w(cnn.params.data() + p.param_offset, p.num_weights);
  if (!grad) return regularization(reg, w);
  Eigen::Map<Eigen::VectorXf> dw(grad + p.param_offset, p.num_weights);
  return regularization(reg, w, dw);
}

float data_loss(const NnObjective& objective, std::span<const int> labels, CnnWorkspace& ws) {
  ws.scores = ws.activations.scores();  // (M, classes) column-major for losses.hpp
  ws.dscores.resize(ws.scores.rows(), ws.scores.cols());
  return nn_loss_and_gradient(objective.loss, ws.scores, labels, objective.margin, ws.dscores);
}

}  // namespace

float cnn_regularization(const Cnn& cnn, const RegularizationOptions& reg) {
  float total = 0;
  for (int l = 0; l < cnn.num_layers(); ++l) total += layer_regularization(cnn, l, reg, nullptr);
  return total;
}

float cnn_objective(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                    const NnObjective& objective, CnnWorkspace& ws) {
  cnn_forward(cnn, X, ws.activations, ws.conv);
  return data_loss(objective, labels, ws) + cnn_regularization(cnn, objective.reg);
}

float cnn_objective_and_gradient(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                                 const NnObjective& objective, Eigen::Ref<Eigen::VectorXf> grad, CnnWorkspace& ws) {
  assert(grad.size() == cnn.num_params());
  cnn_forward(cnn, X, ws.activations, ws.conv);
  float total = data_loss(objective, labels, ws);
  const CnnActivations& a = ws.activations;
  ws.grad_out = ws.dscores;  // (M, classes) ∂L/∂scores
  for (int l = cnn.num_layers() - 1; l >= 0; --l) {
    const CnnLayerPlan& p = cnn.plan[size_t(l)];
    const Eigen::Ref<const RowMatrixXf> in =
        l == 0 ? X : Eigen::Ref<const RowMatrixXf>(a.outputs[size_t(l - 1)]);  // (M, in_size)
    const RowMatrixXf& d = ws.grad_out;                                        // (M, out_size)
    const bool need_input_grad = l > 0;  // nothing below the first layer wants ∂L/∂X
    switch (cnn.shape.layers[size_t(l)].kind) {
      case CnnLayerKind::Conv: {
        Eigen::Map<RowMatrixXf> dfilters = cnn.weights_in(grad.data(), l);  // (F, C·kh·kw) of grad
        Eigen::Map<Eigen::VectorXf> dbias = cnn.bias_in(grad.data(), l);    // (F)
        conv2d_backward(p.conv, in, cnn.weights(l), d, need_input_grad ? &ws.grad_in : nullptr, dfilters, dbias,
                        ws.conv);
        break;
      }
      case CnnLayerKind::Relu:
        // ∂max(0, x)/∂x = [x > 0], read from the output (> 0 exactly where the input is).
        ws.grad_in = (a.outputs[size_t(l)].array() > 0.0f).select(d.array(), 0.0f).matrix();
        break;
      case CnnLayerKind::MaxPool: max_pool_backward(p.pool, d, a.argmax[size_t(l)], ws.grad_in); break;
      case CnnLayerKind::Dense: {
        Eigen::Map<RowMatrixXf> dweights = cnn.weights_in(grad.data(), l);  // (in, out) of grad
        dweights.noalias() = in.transpose() * d;                            // (in, M)·(M, out)
        cnn.bias_in(grad.data(), l) = d.colwise().sum().transpose();
        if (need_input_grad) {
          ws.grad_in.resize(d.rows(), p.in_size());
          ws.grad_in.noalias() = d * cnn.weights(l).transpose();  // (M, out)·(out, in)
        }
        break;
      }
    }
    if (need_input_grad) ws.grad_out.swap(ws.grad_in);
  }
  for (int l = 0; l < cnn.num_layers(); ++l) total += layer_regularization(cnn, l, objective.reg, grad.data());
  return total;
}

// [SECTION] evaluation ---------------------------------------------------------------------------

void evaluate_cnn_rows(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, std::span<const uint8_t> labels,
                       const NnObjective& objective, int first, int count, CnnEvaluation& running, CnnWorkspace& ws) {
  if (Index(labels.size()) != X.rows())
    throw Error("evaluation: " + str(X.rows()) + " input rows but " + str(int64_t(labels.size())) + " labels");
  assert(first >= 0 && count >= 0 && Index(first) + count <= X.rows());
  running.regularization = cnn_regularization(cnn, objective.reg);
  if (count == 0) return;
  cnn_forward(cnn, X.middleRows(first, count), ws.activations, ws.conv);
  ws.scores = ws.activations.scores();                                                              // (count, C)
  const std::vector<int> y(labels.begin() + first, labels.begin() + first + count);                 // (count)
  const Eigen::VectorXf own = nn_per_example_loss(objective.loss, ws.scores, y, objective.margin);  // (count)
  accumulate_evaluation(ws.scores, y, LossOptions{objective.margin}, own, running);
}

CnnEvaluation evaluate_cnn(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, std::span<const uint8_t> labels,
                           const NnObjective& objective, int block_rows) {
  check_input(cnn, X.cols());
  block_rows = std::max(block_rows, 1);
  CnnWorkspace ws;
  CnnEvaluation out;
  evaluate_cnn_rows(cnn, X, labels, objective, 0, 0, out, ws);  // checks, and λ R(W) even for N = 0
  for (Index first = 0; first < X.rows(); first += block_rows) {
    const int count = int(std::min<Index>(block_rows, X.rows() - first));
    evaluate_cnn_rows(cnn, X, labels, objective, int(first), count, out, ws);
  }
  return out;
}

// [SECTION] save/load ----------------------------------------------------------------------------

std::vector<uint8_t> serialize_cnn(const Cnn& cnn) {
  plan_cnn(cnn.shape);  // a shape that would not load is not saved
  assert(cnn.params.size() == cnn.num_params());
  ByteWriter w;
  w.bytes(kCnnMagic, 8);
  w.u32(kCnnVersion);
  w.u32(uint32_t(cnn.shape.channels));
  w.u32(uint32_t(cnn.shape.height));
  w.u32(uint32_t(cnn.shape.width));
  w.u32(uint32_t(cnn.shape.layers.size()));
  for (const CnnLayer& layer : cnn.shape.layers)
    for (int v : {int(layer.kind), layer.size, layer.kh, layer.kw, layer.stride, layer.pad}) w.u32(uint32_t(v));
  for (Index k = 0; k < cnn.params.size(); ++k) w.f32(cnn.params[k]);
  return std::move(w.out);
}

Cnn parse_cnn(std::span<const uint8_t> bytes, const std::string& source) {
  const char* what = "convolutional net model";
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kCnnMagic, 8) != 0) {
    if (bytes.size() < 8 && (bytes.empty() || std::memcmp(bytes.data(), kCnnMagic, bytes.size()) == 0))
      throw Error(source + ": truncated convolutional net model file (" + str(int64_t(bytes.size())) + " bytes)");
    throw Error(source + ": not a convolutional net model file (wrong magic number " +
                printable_bytes(bytes.first(std::min<size_t>(8, bytes.size()))) + ", expected \"IMPLAYCN\")");
  }
  ByteReader r{bytes, source, what, 8};
  const uint32_t version = r.u32();
  if (version != kCnnVersion)
    throw Error(source + ": unsupported convolutional net model file version " + str(version) +
                " (this build reads version " + str(kCnnVersion) + ")");
  // Every number is range-checked as a u32 before it becomes an int, so none can wrap negative.
  auto bounded = [&](uint32_t v, uint32_t hi, const std::string& field) {
    if (v > hi) throw Error(source + ": " + field + " " + str(v) + " in the header (at most " + str(hi) + ")");
    return int(v);
  };
  CnnShape shape;
  shape.channels = bounded(r.u32(), kMaxCnnChannels, "input channels");
  shape.height = bounded(r.u32(), kMaxCnnImageSide, "input height");
  shape.width = bounded(r.u32(), kMaxCnnImageSide, "input width");
  const int layers = bounded(r.u32(), kMaxCnnLayers, "layer count");
  r.need(checked_mul(size_t(layers), 24, source + ": layer list"));
  for (int l = 0; l < layers; ++l) {
    const std::string at = "layer " + str(l + 1);
    CnnLayer layer;
    const uint32_t kind = r.u32();
    if (kind > uint32_t(CnnLayerKind::Dense))
      throw Error(source + ": " + at + " has kind " + str(kind) + " (0 conv, 1 relu, 2 maxpool, 3 dense)");
    layer.kind = CnnLayerKind(kind);
    layer.size = bounded(r.u32(), kMaxCnnUnits, at + " size");
    layer.kh = bounded(r.u32(), kMaxCnnUnits, at + " kernel rows");
    layer.kw = bounded(r.u32(), kMaxCnnUnits, at + " kernel columns");
    layer.stride = bounded(r.u32(), kMaxCnnUnits, at + " stride");
    layer.pad = bounded(r.u32(), kMaxCnnUnits, at + " padding");
    shape.layers.push_back(layer);
  }
  std::vector<CnnLayerPlan> plan;
  try {
    plan = plan_cnn(shape);
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
  // P ≤ 2^24 by plan_cnn: 4 P bytes are checked to be there before the model is allocated.
  const CnnLayerPlan& last = plan.back();
  const size_t num_params = size_t(last.param_offset + last.num_weights + last.num_biases);
  r.need(checked_mul(num_params, 4, source + ": convolutional net parameters"));
  Cnn cnn(shape);
  for (Index k = 0; k < cnn.params.size(); ++k) cnn.params[k] = r.f32();
  r.end();
  check_finite_params(cnn.params, source, what);
  return cnn;
}

void save_cnn(const Cnn& cnn, const std::string& path) {
  write_file_bytes(path, serialize_cnn(cnn));  // idx.hpp: errors name the path
}

Cnn load_cnn(const std::string& path) { return parse_cnn(read_file_bytes(path), path); }

}  // namespace implay
