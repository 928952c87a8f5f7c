// cnn.hpp — a small convolutional network for classification: a list of layers (conv, ReLU,
// max-pool, dense) with shape inference whose errors name the layer, one flat parameter vector
// with named views of every layer's filters, weights and biases, seeded He initialization, a
// batched forward pass that keeps every layer's output (the lab shows the feature maps), the
// training objective with its gradient (mlp.hpp's losses), a blocked evaluation and a versioned
// binary file. The layers are conv2d.hpp's and pool.hpp's; cnn_train.hpp trains it.
//
// Index: [layers] [model] [init] [forward] [objective] [evaluation] [save/load]
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/conv/conv2d.hpp"
#include "core/conv/pool.hpp"
#include "core/matrix.hpp"
#include "core/nn/mlp.hpp"

namespace implay {

// -------------------------------------------------------------------------------------------
// [layers]
// Every layer maps a batch (M, C·H·W) to (M, C'·H'·W'); a dense layer flattens its input in
// that (c, row, col) order and outputs (M, out) = (out, 1, 1) maps. The last layer is dense: its
// outputs are the class scores.

enum class CnnLayerKind : uint32_t {
  Conv,     // F filters kh × kw, the same stride and zero padding along rows and columns
  Relu,     // max(0, x) element by element
  MaxPool,  // window × window, stride
  Dense,    // out units: X W + 1 bᵀ on the flattened input, W (in, out)
};

struct CnnLayer {
  CnnLayerKind kind = CnnLayerKind::Relu;
  int size = 0;        // Conv: F filters; Dense: out units; otherwise 0
  int kh = 0, kw = 0;  // Conv: kernel rows and columns; MaxPool: the window (kh = kw)
  int stride = 0;      // Conv, MaxPool: ≥ 1; otherwise 0
  int pad = 0;         // Conv: zero padding on every side; otherwise 0

  static CnnLayer conv(int filters, int kh, int kw, int stride = 1, int pad = 0) {
    return {CnnLayerKind::Conv, filters, kh, kw, stride, pad};
  }
  static CnnLayer relu() { return {CnnLayerKind::Relu, 0, 0, 0, 0, 0}; }
  static CnnLayer max_pool(int window, int stride) { return {CnnLayerKind::MaxPool, 0, window, window, stride, 0}; }
  static CnnLayer dense(int outputs) { return {CnnLayerKind::Dense, outputs, 0, 0, 0, 0}; }
  bool operator==(const CnnLayer&) const = default;
};

inline constexpr int kMaxCnnLayers = 32;
inline constexpr int kMaxCnnChannels = 64;         // C of the input
inline constexpr int kMaxCnnImageSide = 1024;      // H, W of the input
inline constexpr int kMaxCnnUnits = 4096;          // F of a conv layer, out of a dense layer
inline constexpr int kMaxCnnKernel = 64;           // kh, kw, the pool window, the stride, the padding
inline constexpr int kMaxCnnClasses = 256;         // the last dense layer's out: 2..256 (labels are bytes)
inline constexpr int64_t kMaxCnnParams = 1 << 24;  // P: 64 MiB of floats
// Floats one image needs for every layer's output together, and for one conv layer's im2col
// buffer: 64 MiB each, so that a small model file cannot ask the page for gigabytes (the default
// net needs 21 178 and 39 200).
inline constexpr int64_t kMaxCnnImageFloats = 1 << 24;

struct CnnShape {
  int channels = 1, height = 28, width = 28;  // C, H, W of one input image
  std::vector<CnnLayer> layers;               // input side first

  bool operator==(const CnnShape&) const = default;
};

// The lecture's small net on 1 × 28 × 28 digits: conv 5×5 ×8 pad 2 → ReLU → pool 2 → conv 5×5 ×16
// pad 2 → ReLU → pool 2 → dense 10, i.e. 8×28×28 → 8×14×14 → 16×14×14 → 16×7×7 = 784 → 10
// (11 274 parameters).
CnnShape default_cnn_shape();

// "conv 5x5 x8 pad 2", "conv 3x2 x4 stride 2", "relu", "maxpool 2", "maxpool 3 stride 2",
// "dense 10"; and the whole net, "1x28x28 > conv 5x5 x8 pad 2 > relu > ... > dense 10".
std::string cnn_layer_text(const CnnLayer& layer);
std::string cnn_shape_text(const CnnShape& shape);

// What shape inference finds for layer l.
struct CnnLayerPlan {
  int in_channels = 0, in_height = 0, in_width = 0;     // its input maps (C, H, W)
  int out_channels = 0, out_height = 0, out_width = 0;  // its output maps
  ConvGeometry conv;                                    // Conv: the geometry of conv2d.hpp
  PoolGeometry pool;                                    // MaxPool: the geometry of pool.hpp
  Eigen::Index param_offset = 0;                        // where its weights start in the flat vector
  Eigen::Index num_weights = 0;                         // Conv: F·C·kh·kw; Dense: in·out; otherwise 0
  Eigen::Index num_biases = 0;                          // Conv: F; Dense: out; otherwise 0

  int in_size() const { return in_channels * in_height * in_width; }
  int out_size() const { return out_channels * out_height * out_width; }
};

// Infers every layer's sizes and the flat layout. Throws implay::Error naming the layer (1-based,
// with its text) for a bad value or an impossible size, e.g. "layer 3 (maxpool 2): pooling
// window 2 is larger than the input 1 along rows", and for no layers, more than 32, an input
// outside 1..64 × 1..1024 × 1..1024, a conv or pool after a dense layer, a last layer that is
// not dense, fewer than 2 or more than 256 classes, more than 2^24 parameters, or more than
// kMaxCnnImageFloats of layer outputs (or of im2col buffer) per image.
std::vector<CnnLayerPlan> plan_cnn(const CnnShape& shape);

// -------------------------------------------------------------------------------------------
// [model]
// The flat layout, layer after layer, of the layers with parameters: a conv layer's filters
// (F, C·kh·kw) row-major = (F, C, kh, kw), then its bias (F); a dense layer's W (in, out)
// row-major, then its b (out). Gradients and optimizer state use the same layout.

struct Cnn {
  CnnShape shape;
  std::vector<CnnLayerPlan> plan;  // (layers) plan_cnn(shape)
  Eigen::VectorXf params;          // (P) every layer's weights then biases

  Cnn() = default;
  // All parameters 0. Throws implay::Error as plan_cnn.
  explicit Cnn(const CnnShape& shape);

  int num_layers() const { return int(shape.layers.size()); }
  int num_classes() const { return plan.back().out_size(); }
  int input_size() const { return shape.channels * shape.height * shape.width; }  // C·H·W
  Eigen::Index num_params() const;                                                // P

  // Views of any vector laid out like params (params itself, a gradient, optimizer state).
  // Conv layer l: filters (F, C·kh·kw), bias (F). Dense layer l: weights (in, out), bias (out).
  Eigen::Map<RowMatrixXf> weights_in(float* flat, int l) const;
  Eigen::Map<const RowMatrixXf> weights_in(const float* flat, int l) const;
  Eigen::Map<Eigen::VectorXf> bias_in(float* flat, int l) const;
  Eigen::Map<const Eigen::VectorXf> bias_in(const float* flat, int l) const;
  Eigen::Map<RowMatrixXf> weights(int l) { return weights_in(params.data(), l); }
  Eigen::Map<const RowMatrixXf> weights(int l) const { return weights_in(params.data(), l); }
  Eigen::Map<Eigen::VectorXf> bias(int l) { return bias_in(params.data(), l); }
  Eigen::Map<const Eigen::VectorXf> bias(int l) const { return bias_in(params.data(), l); }
};

// -------------------------------------------------------------------------------------------
// [init]

// He initialization (ReLU nets): conv filters ~ N(0, 2 / (C·kh·kw)), dense W ~ N(0, 2 / in), from
// a seeded implay::Rng layer by layer in the flat order (the same numbers natively and in wasm);
// biases 0.
void init_cnn(Cnn& cnn, uint64_t seed);

// -------------------------------------------------------------------------------------------
// [forward]

// Every layer's output for a batch of M images, kept for backprop and for the lab's feature maps.
struct CnnActivations {
  std::vector<RowMatrixXf> outputs;          // (layers) outputs[l] (M, plan[l].out_size())
  std::vector<std::vector<int32_t>> argmax;  // (layers) MaxPool: pool.hpp's argmax (M·out_size); else empty
  const RowMatrixXf& scores() const { return outputs.back(); }  // (M, classes)
};

// X (M, C·H·W) through the net into out (its matrices are reused). Throws implay::Error when X
// has not C·H·W columns.
void cnn_forward(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, CnnActivations& out, ConvWorkspace& ws);
// The class scores (M, classes) of X (M, C·H·W).
RowMatrixXf cnn_scores(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X);
// Predicted class per row (M): argmax of the scores, ties → the smallest class.
std::vector<int> cnn_predict(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X);

// -------------------------------------------------------------------------------------------
// [objective]
// L = (1/M) Σ_i L_i(s_i, y_i) + λ R(W), the data loss and R of mlp.hpp's NnObjective (softmax
// cross-entropy by default, λ = 0); R over the conv filters and dense weights, never the biases.

// The buffers of one forward + backward pass, reused from batch to batch.
struct CnnWorkspace {
  CnnActivations activations;  // the forward pass of the latest batch
  ConvWorkspace conv;          // conv2d.hpp's im2col buffers
  Eigen::MatrixXf scores;      // (M, classes) column-major copy for the losses
  Eigen::MatrixXf dscores;     // (M, classes) ∂(data loss)/∂scores
  RowMatrixXf grad_out;        // (M, out_size) ∂L/∂(the current layer's output)
  RowMatrixXf grad_in;         // (M, in_size) ∂L/∂(its input)
};

// λ R(W) of the net.
float cnn_regularization(const Cnn& cnn, const RegularizationOptions& reg);
// L on X (M, C·H·W) / labels (M) and its gradient grad (P), laid out like params, by backprop
// through every layer (conv2d_backward, max_pool_backward, ReLU's [x > 0], dense GEMMs). Throws
// implay::Error for a dimension mismatch, a label count ≠ M or a label outside the classes.
float cnn_objective_and_gradient(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                                 const NnObjective& objective, Eigen::Ref<Eigen::VectorXf> grad, CnnWorkspace& ws);
// L alone (a forward pass only), the same number.
float cnn_objective(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                    const NnObjective& objective, CnnWorkspace& ws);

// -------------------------------------------------------------------------------------------
// [evaluation]

// linear.hpp's Evaluation (count, cross_entropy, hinge, data_loss, regularization, accuracy).
using CnnEvaluation = Evaluation;

// Adds rows [first, first + count) of X (N, C·H·W) / labels (N) to a running evaluation. Throws
// implay::Error for N != labels.size(), a label outside the classes or a dimension mismatch.
void evaluate_cnn_rows(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, std::span<const uint8_t> labels,
                       const NnObjective& objective, int first, int count, CnnEvaluation& running, CnnWorkspace& ws);
// All of X in blocks of block_rows rows.
CnnEvaluation evaluate_cnn(const Cnn& cnn, const Eigen::Ref<const RowMatrixXf>& X, std::span<const uint8_t> labels,
                           const NnObjective& objective = {}, int block_rows = 256);

// -------------------------------------------------------------------------------------------
// [save/load]
// File format, version 1, all integers and floats little-endian:
//   offset 0   8 bytes   magic "IMPLAYCN" (ImPlay Convolutional Net)
//          8   u32       version = 1
//         12   u32 × 3   C, H, W of the input        1..64, 1..1024, 1..1024
//         24   u32       L (layers)                  1..32
//         28   L × 6 u32 each layer: kind (0 conv, 1 relu, 2 maxpool, 3 dense), size, kh, kw,
//                        stride, pad — as CnnLayer, every value at most 4096
//              P × f32   params in the flat order, bit-exact, every one finite
//   and nothing after. The layer list must pass plan_cnn, and P follows from it; anything else
//   is rejected with a message naming the source and the problem.

inline constexpr char kCnnMagic[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'C', 'N'};
inline constexpr uint32_t kCnnVersion = 1;

std::vector<uint8_t> serialize_cnn(const Cnn& cnn);
// `source` names the bytes in error messages (a path, a URL, "<memory>"). Throws implay::Error.
Cnn parse_cnn(std::span<const uint8_t> bytes, const std::string& source);
// File forms. Throw implay::Error naming the path when it cannot be written or read.
void save_cnn(const Cnn& cnn, const std::string& path);
Cnn load_cnn(const std::string& path);

}  // namespace implay
