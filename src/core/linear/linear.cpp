// linear.cpp — the linear model, its objective and evaluation, and the model file (see linear.hpp).
#include "core/linear/linear.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/binary_io.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/eval/metrics.hpp"
#include "core/rng.hpp"

namespace implay {
namespace {

using Eigen::Index;

void check_features(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features) {
  if (features.cols() != model.dim)
    throw Error("features have " + std::to_string(features.cols()) + " columns but the linear model expects " +
                std::to_string(model.dim) + " (its D)");
}

std::vector<int> to_int_labels(std::span<const uint8_t> labels) {
  return std::vector<int>(labels.begin(), labels.end());
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [model]

LinearModel::LinearModel(int num_classes_, int dim_) : num_classes(num_classes_), dim(dim_) {
  if (num_classes < 1) throw Error("a linear model needs at least 1 class, got " + std::to_string(num_classes));
  if (dim < 1) throw Error("a linear model needs at least 1 input feature, got " + std::to_string(dim));
  params = Eigen::VectorXf::Zero(num_params());
}

void init_weights(LinearModel& model, float std, uint64_t seed) {
  Rng rng(seed);
  const Index n = Index(model.num_classes) * model.dim;
  for (Index k = 0; k < n; ++k) model.params[k] = float(std * rng.normal());
  model.b().setZero();
}

void init_spread_2d(LinearModel& model, float radius, uint64_t seed) {
  assert(model.dim == 2);
  constexpr double kPi = 3.14159265358979323846;
  Rng rng(seed);
  const double phase = 2 * kPi * rng.uniform();
  auto W = model.W();
  auto b = model.b();
  for (int c = 0; c < model.num_classes; ++c) {
    const double angle = phase + 2 * kPi * c / model.num_classes, length = 0.8 + 0.8 * rng.uniform();
    W(c, 0) = float(length * std::cos(angle));
    W(c, 1) = float(length * std::sin(angle));
    b(c) = float(-length * radius);  // w·(radius · w/|w|) + b = 0
  }
}

void scores(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features, Eigen::Ref<Eigen::MatrixXf> out) {
  check_features(model, features);
  assert(out.rows() == features.rows() && out.cols() == model.num_classes);
  out.noalias() = features * model.W().transpose();  // (N, D)·(D, C): one GEMM
  out.rowwise() += model.b().transpose();
}

Eigen::MatrixXf scores(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features) {
  Eigen::MatrixXf out(features.rows(), model.num_classes);  // (N, C)
  scores(model, features, out);
  return out;
}

std::vector<int> predict(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features) {
  return argmax_rows(scores(model, features));
}

void fold_mean_into_bias(LinearModel& model, const Eigen::Ref<const Eigen::RowVectorXf>& mean) {
  if (mean.size() != model.dim)
    throw Error("a feature mean of length " + std::to_string(mean.size()) +
                " does not fit a model with D = " + std::to_string(model.dim));
  const Eigen::VectorXf shift = model.W() * mean.transpose();  // (C) = W μ
  model.b() -= shift;
}

// -------------------------------------------------------------------------------------------
// [objective]

namespace {

float objective_impl(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features,
                     std::span<const int> labels, const ObjectiveOptions& options, Eigen::Ref<Eigen::VectorXf>* grad,
                     ObjectiveParts* parts) {
  const Index n = features.rows(), c = model.num_classes;
  Eigen::MatrixXf s(n, c);   // (N, C) scores
  Eigen::MatrixXf ds(n, c);  // (N, C) ∂(data loss)/∂scores
  scores(model, features, s);
  const float data = loss_and_gradient(options.loss, s, labels, options.loss_options, ds);
  const Eigen::VectorXf::ConstSegmentReturnType w = model.params.head(Index(c) * model.dim);  // (C·D)
  float reg;
  if (grad) {
    assert(grad->size() == model.num_params());
    weights_view(grad->data(), model.num_classes, model.dim).noalias() = ds.transpose() * features;  // (C, D)
    bias_view(grad->data(), model.num_classes, model.dim) = ds.colwise().sum().transpose();          // (C)
    reg = regularization(options.regularization, w, grad->head(Index(c) * model.dim));
  } else {
    reg = regularization(options.regularization, w);
  }
  if (parts) *parts = {data, reg};
  return data + reg;
}

}  // namespace

float objective(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features, std::span<const int> labels,
                const ObjectiveOptions& options, Eigen::Ref<Eigen::VectorXf> grad, ObjectiveParts* parts) {
  return objective_impl(model, features, labels, options, &grad, parts);
}

float objective(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features, std::span<const int> labels,
                const ObjectiveOptions& options, ObjectiveParts* parts) {
  return objective_impl(model, features, labels, options, nullptr, parts);
}

// -------------------------------------------------------------------------------------------
// [evaluation]

void accumulate_evaluation(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                           const LossOptions& hinge_options, const Eigen::Ref<const Eigen::VectorXf>& own_losses,
                           Evaluation& running) {
  const Index count = scores.rows();
  assert(Index(labels.size()) == count && own_losses.size() == count);
  if (count == 0) return;
  const Eigen::VectorXf ce = per_example_loss(LossKind::SoftmaxCrossEntropy, scores, labels);                // (count)
  const Eigen::VectorXf hinge = per_example_loss(LossKind::MulticlassHinge, scores, labels, hinge_options);  // (count)
  const std::vector<int> predicted = argmax_rows(scores);                                                    // (count)
  double ce_sum = 0, hinge_sum = 0, own_sum = 0, correct = 0;
  for (Index i = 0; i < count; ++i) {
    ce_sum += ce[i];
    hinge_sum += hinge[i];
    own_sum += own_losses[i];
    correct += predicted[size_t(i)] == labels[size_t(i)];
  }
  const double before = running.count, total = before + double(count);
  running.cross_entropy = (running.cross_entropy * before + ce_sum) / total;
  running.hinge = (running.hinge * before + hinge_sum) / total;
  running.data_loss = (running.data_loss * before + own_sum) / total;
  running.accuracy = (running.accuracy * before + correct) / total;
  running.count += int(count);
}

void evaluate_rows(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features,
                   std::span<const uint8_t> labels, const ObjectiveOptions& objective, int first, int count,
                   Evaluation& running) {
  if (Index(labels.size()) != features.rows())
    throw Error("evaluation: " + std::to_string(features.rows()) + " feature rows but " +
                std::to_string(labels.size()) + " labels");
  assert(first >= 0 && count >= 0 && Index(first) + count <= features.rows());
  running.regularization =
      regularization(objective.regularization, model.params.head(Index(model.num_classes) * model.dim));
  if (count == 0) return;
  const Eigen::MatrixXf s = scores(model, features.middleRows(first, count));                  // (count, C)
  const std::vector<int> y = to_int_labels(labels.subspan(size_t(first), size_t(count)));      // (count)
  const Eigen::VectorXf own = per_example_loss(objective.loss, s, y, objective.loss_options);  // (count)
  accumulate_evaluation(s, y, objective.loss_options, own, running);
}

Evaluation evaluate(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features,
                    std::span<const uint8_t> labels, const ObjectiveOptions& objective, int block_rows) {
  check_features(model, features);
  if (block_rows < 1) block_rows = 1;
  Evaluation out;
  evaluate_rows(model, features, labels, objective, 0, 0, out);  // checks, and λ R(W) even for N = 0
  for (Index first = 0; first < features.rows(); first += block_rows) {
    const int count = int(std::min<Index>(block_rows, features.rows() - first));
    evaluate_rows(model, features, labels, objective, int(first), count, out);
  }
  return out;
}

// -------------------------------------------------------------------------------------------
// [save/load]

namespace {

constexpr size_t kHeaderBytes = 24;
// Labels are bytes, so 256 classes at most; the C × C confusion matrix of `linear eval` stays small.
constexpr uint32_t kMaxClasses = 256, kMaxDim = 1u << 24, kMaxSpecBytes = 65536;

void put_u32(uint8_t* out, uint32_t v) {  // little-endian
  for (int k = 0; k < 4; ++k) out[k] = uint8_t(v >> (8 * k));
}

uint32_t get_u32(const uint8_t* p) {
  return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

}  // namespace

std::vector<uint8_t> serialize_linear_model(const LinearModel& model) {
  assert(model.params.size() == model.num_params());
  const size_t spec = model.feature_spec.size();
  if (spec > kMaxSpecBytes)
    throw Error("feature spec of " + std::to_string(spec) + " bytes is too long to save (at most " +
                std::to_string(kMaxSpecBytes) + ")");
  std::vector<uint8_t> out(kHeaderBytes + spec + 4 * size_t(model.num_params()));  // the whole file
  std::memcpy(out.data(), kLinearModelMagic, 8);
  put_u32(out.data() + 8, kLinearModelVersion);
  put_u32(out.data() + 12, uint32_t(model.num_classes));
  put_u32(out.data() + 16, uint32_t(model.dim));
  put_u32(out.data() + 20, uint32_t(spec));
  if (spec > 0) std::memcpy(out.data() + kHeaderBytes, model.feature_spec.data(), spec);
  uint8_t* p = out.data() + kHeaderBytes + spec;
  for (Index k = 0; k < model.params.size(); ++k, p += 4) {
    uint32_t bits;
    std::memcpy(&bits, &model.params[k], 4);
    put_u32(p, bits);
  }
  return out;
}

LinearModel parse_linear_model(std::span<const uint8_t> bytes, const std::string& source) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kLinearModelMagic, 8) != 0) {
    if (bytes.size() < 8 && (bytes.empty() || std::memcmp(bytes.data(), kLinearModelMagic, bytes.size()) == 0))
      throw Error(source + ": truncated linear model file (" + std::to_string(bytes.size()) +
                  " bytes, the header alone needs " + std::to_string(kHeaderBytes) + ")");
    throw Error(source + ": not a linear model file (wrong magic number " +
                printable_bytes(bytes.first(std::min<size_t>(8, bytes.size()))) + ", expected \"IMPLAYLM\")");
  }
  if (bytes.size() < kHeaderBytes)
    throw Error(source + ": truncated linear model file (" + std::to_string(bytes.size()) +
                " bytes, the header alone needs " + std::to_string(kHeaderBytes) + ")");
  const uint32_t version = get_u32(bytes.data() + 8);
  if (version != kLinearModelVersion)
    throw Error(source + ": unsupported linear model file version " + std::to_string(version) +
                " (this build reads version " + std::to_string(kLinearModelVersion) + ")");
  const uint32_t c = get_u32(bytes.data() + 12), d = get_u32(bytes.data() + 16), spec = get_u32(bytes.data() + 20);
  if (c < 1 || c > kMaxClasses)
    throw Error(source + ": class count " + std::to_string(c) + " in the header (a model has 1.." +
                std::to_string(kMaxClasses) + " classes)");
  if (d < 1 || d > kMaxDim)
    throw Error(source + ": feature dimension " + std::to_string(d) + " in the header (a model has 1.." +
                std::to_string(kMaxDim) + " features)");
  if (spec > kMaxSpecBytes)
    throw Error(source + ": implausible feature spec length " + std::to_string(spec) + " in header");
  const uint64_t num_params = uint64_t(c) * d + c;
  const uint64_t expected = kHeaderBytes + spec + 4 * num_params;
  if (bytes.size() < expected)
    throw Error(source + ": truncated linear model file: a " + std::to_string(c) + " x " + std::to_string(d) +
                " model needs " + std::to_string(expected) + " bytes, the file has " + std::to_string(bytes.size()));
  if (bytes.size() > expected)
    throw Error(source + ": " + std::to_string(bytes.size() - expected) + " unexpected bytes after the " +
                std::to_string(expected) + " of a " + std::to_string(c) + " x " + std::to_string(d) + " linear model");
  LinearModel model(static_cast<int>(c), static_cast<int>(d));
  model.feature_spec.assign(reinterpret_cast<const char*>(bytes.data()) + kHeaderBytes, spec);
  const uint8_t* p = bytes.data() + kHeaderBytes + spec;
  for (Index k = 0; k < model.params.size(); ++k, p += 4) {
    const uint32_t bits = get_u32(p);
    std::memcpy(&model.params[k], &bits, 4);
    if (!std::isfinite(model.params[k]))
      throw Error(source + ": parameter " + std::to_string(k) + " is " +
                  (std::isnan(model.params[k]) ? "NaN" : "infinite") +
                  " (a diverged training run?); refusing the model");
  }
  return model;
}

void save_linear_model(const LinearModel& model, const std::string& path) {
  write_file_bytes(path, serialize_linear_model(model));  // idx.hpp: errors name the path
}

LinearModel load_linear_model(const std::string& path) {
  return parse_linear_model(read_file_bytes(path), path);  // read_file_bytes: idx.hpp
}

}  // namespace implay
