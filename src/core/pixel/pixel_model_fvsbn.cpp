// pixel_model_fvsbn.cpp — the FVSBN of pixel_model.hpp: its conditionals and sampler hook, the
// sparse forward/backward kernels its loss and gradient run on, and its trainer
// (pixel_model_fvsbn.hpp) with the sliced Adam machinery NADE's trainer (pixel_model_nade.cpp)
// shares. The other models are in pixel_model_counts.cpp and pixel_model_nade.cpp.
//
// Index: [FVSBN model] [FVSBN loss] [Sliced Adam] [FVSBN trainer]
#include "core/pixel/pixel_model_fvsbn.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "core/pixel/logistic.hpp"
#include "core/pixel/train_kernels.hpp"
#include "core/rng.hpp"

namespace implay {

using Eigen::Index;

// [SECTION] FVSBN model --------------------------------------------------------------------------

FvsbnModel::FvsbnModel(int rows, int cols) {
  if (rows < 1 || cols < 1)
    throw Error("FVSBN of " + std::to_string(rows) + "x" + std::to_string(cols) + " pixels (both must be >= 1)");
  check_model_params(fvsbn_param_count(uint64_t(rows) * uint64_t(cols)), "FVSBN",
                     std::to_string(rows) + "x" + std::to_string(cols) + " pixels");
  rows_ = rows;
  cols_ = cols;
  params = Eigen::VectorXf::Zero(num_params());
}

void FvsbnModel::init_from_marginals(const BinaryImages& train, float alpha) {
  const IndependentModel marginals(train, alpha);
  if (train.rows != rows_ || train.cols != cols_)
    throw Error("training images of " + std::to_string(train.rows) + "x" + std::to_string(train.cols) + " for a " +
                std::to_string(rows_) + "x" + std::to_string(cols_) + " FVSBN");
  params.setZero();
  Eigen::Map<Eigen::VectorXf> b = bias();
  for (int i = 0; i < dim(); ++i) {
    const double p = std::clamp(marginals.probability({}, i), 1e-6, 1 - 1e-6);
    b[i] = float(std::log(p / (1 - p)));
  }
}

double FvsbnModel::probability(std::span<const uint8_t> image, int i) const {
  float a = bias()[i];
  for (int j = 0; j < i; ++j)
    if (image[size_t(j)]) a += weight(i, j);
  return sigmoid(a);
}

void FvsbnModel::conditionals(std::span<const uint8_t> image, std::span<double> out) const {
  assert(int(image.size()) == dim() && int(out.size()) == dim());
  Eigen::VectorXf a = bias();  // (D) logits: b plus the columns of the ink pixels
  for (int j = 0; j + 1 < dim(); ++j)
    if (image[size_t(j)]) a.tail(dim() - 1 - j) += weight_column(j);
  for (int i = 0; i < dim(); ++i) out[size_t(i)] = sigmoid(a[i]);
}

void FvsbnModel::draw_pixels(std::span<uint8_t> image, int start, const PixelDraw& draw) const {
  assert(int(image.size()) == dim() && start >= 0);
  Eigen::VectorXf a = bias();  // (D) logits given the pixels so far, summed in increasing j as probability()
  for (int j = 0; j < dim(); ++j) {
    if (j >= start) image[size_t(j)] = draw(sigmoid(a[j]));
    if (image[size_t(j)] && j + 1 < dim()) a.tail(dim() - 1 - j) += weight_column(j);
  }
}

void fvsbn_logits_reference(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x,
                             Eigen::Ref<Eigen::MatrixXf> logits) {
  const int d = model.dim();
  assert(x.cols() == d && logits.rows() == x.rows() && logits.cols() == d);
  const float* b = model.params.data() + model.num_weights();
  // Column i of A uses only the first i columns of X: the triangle costs B·D(D−1)/2 MACs.
  Eigen::VectorXf w_row(d);  // (i) row i of W, gathered from the columns
  for (int i = 0; i < d; ++i) {
    for (int j = 0; j < i; ++j) w_row[j] = model.weight(i, j);
    logits.col(i).setConstant(b[i]);
    if (i > 0) logits.col(i).noalias() += x.leftCols(i) * w_row.head(i);
  }
}

// [SECTION] FVSBN loss ---------------------------------------------------------------------------

namespace {

constexpr int kFvsbnChunk = 32;  // output pixels per pass of the sparse kernels (8 wasm registers)

void check_batch(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  if (x.cols() != model.dim())
    throw Error("FVSBN batch of " + std::to_string(x.cols()) + " pixels per image (expected " +
                std::to_string(model.dim()) + ")");
}

// W_ij = params[column_base(j) + i] for i > j: column j's offset shifted by the j + 1 rows it lacks.
int32_t column_base(const FvsbnModel& model, int j) { return int32_t(model.weight_column_offset(j) - j - 1); }

// The ink pixels of a batch of binary images X (B, D), listed both ways round.
struct BatchInk {
  std::vector<int32_t> image_start;    // (B + 1): image n's ink is [image_start[n], image_start[n + 1])
  std::vector<int32_t> image_columns;  // column_base(j) of each ink pixel j of the image, j increasing
  std::vector<int32_t> image_pixels;   // the pixels j themselves
  std::vector<int32_t> pixel_start;    // (D + 1): pixel j's ink is [pixel_start[j], pixel_start[j + 1])
  std::vector<int32_t> pixel_rows;     // n·D of each image n with ink at j, n increasing
  std::vector<uint8_t> pixels;         // (B, D) row-major 0/1, X itself
};

BatchInk batch_ink(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  check_batch(model, x);
  assert(model.num_params() < (Index(1) << 31));  // int32 offsets
  const int b = int(x.rows()), d = model.dim();
  BatchInk ink;
  ink.image_start.assign(size_t(b) + 1, 0);
  ink.pixel_start.assign(size_t(d) + 1, 0);
  ink.pixels.assign(size_t(b) * size_t(d), 0);
  for (int j = 0; j < d; ++j) {
    ink.pixel_start[size_t(j)] = int32_t(ink.pixel_rows.size());
    for (int n = 0; n < b; ++n) {
      const float v = x(n, j);
      if (v == 0.0f) continue;
      if (v != 1.0f)
        throw Error("FVSBN batch value " + std::to_string(v) + " at image " + std::to_string(n) + ", pixel " +
                    std::to_string(j) + " (pixels must be 0 or 1)");
      ink.pixel_rows.push_back(n * d);
      ink.pixels[size_t(n) * size_t(d) + size_t(j)] = 1;
      ++ink.image_start[size_t(n) + 1];
    }
  }
  ink.pixel_start[size_t(d)] = int32_t(ink.pixel_rows.size());
  for (int n = 0; n < b; ++n) ink.image_start[size_t(n) + 1] += ink.image_start[size_t(n)];
  std::vector<int32_t> next(ink.image_start.begin(), ink.image_start.end() - 1);  // (B) fill cursors
  ink.image_columns.resize(ink.pixel_rows.size());
  ink.image_pixels.resize(ink.pixel_rows.size());
  for (int j = 0; j < d; ++j)
    for (int32_t k = ink.pixel_start[size_t(j)]; k < ink.pixel_start[size_t(j) + 1]; ++k) {
      const int32_t at = next[size_t(ink.pixel_rows[size_t(k)] / d)]++;
      ink.image_pixels[size_t(at)] = j;
      ink.image_columns[size_t(at)] = column_base(model, j);
    }
  return ink;
}

// A (B, D) row-major: A_ni = b_i + Σ_{ink j < i} W_ij, by chunks [c0, c1) of kFvsbnChunk output
// pixels: every ink pixel j < c0 adds its column's rows c0..c1−1 (add_rows_f32, the hot loop:
// B·D²/2 × ink fraction adds instead of B·D²/2 multiply-adds), those inside the chunk add the
// rows after them. Each A_ni sums b_i and then the columns in increasing j.
void sparse_logits(const FvsbnModel& model, const BatchInk& ink, RowMatrixXf& a) {
  const int b = int(ink.image_start.size()) - 1, d = model.dim();
  const float* w = model.params.data();
  const float* bias = w + model.num_weights();
  a.resize(b, d);
  std::vector<int32_t> before(size_t(b), 0);  // (B) ink pixels of image n before the chunk
  for (int c0 = 0; c0 < d; c0 += kFvsbnChunk) {
    const int c1 = std::min(d, c0 + kFvsbnChunk);
    for (int n = 0; n < b; ++n) {
      float* out = a.data() + size_t(n) * size_t(d) + size_t(c0);
      const int32_t first = ink.image_start[size_t(n)], end = ink.image_start[size_t(n) + 1];
      std::copy(bias + c0, bias + c1, out);
      add_rows_f32(w + c0, ink.image_columns.data() + first, size_t(before[size_t(n)]), size_t(c1 - c0), out);
      int32_t k = first + before[size_t(n)];
      for (; k < end && ink.image_pixels[size_t(k)] < c1; ++k) {
        const float* column = w + ink.image_columns[size_t(k)];
        for (int i = ink.image_pixels[size_t(k)] + 1; i < c1; ++i) out[i - c0] += column[i];
      }
      before[size_t(n)] = k - first;
    }
  }
}

// dW_ij = Σ_{n: X_nj = 1} dA_ni for i > j into grad's packed columns, by the same chunks of rows
// i: a chunk of dA (B × 32 floats) stays in cache while every column j < c0 sums the rows of
// its ink images (add_rows_f32); the triangle inside the chunk is summed directly. da: (B, D)
// row-major.
void sparse_weight_gradient(const FvsbnModel& model, const BatchInk& ink, const RowMatrixXf& da, float* grad) {
  const int d = model.dim();
  for (int c0 = 0; c0 < d; c0 += kFvsbnChunk) {
    const int c1 = std::min(d, c0 + kFvsbnChunk);
    for (int j = 0; j < c0; ++j) {
      float* out = grad + column_base(model, j) + c0;
      std::fill(out, out + (c1 - c0), 0.0f);
      const int32_t first = ink.pixel_start[size_t(j)];
      add_rows_f32(da.data() + c0, ink.pixel_rows.data() + first, size_t(ink.pixel_start[size_t(j) + 1] - first),
                   size_t(c1 - c0), out);
    }
    for (int j = c0; j < c1; ++j) {
      float* column = grad + column_base(model, j);
      for (int i = j + 1; i < c1; ++i) {
        float sum = 0;
        for (int32_t k = ink.pixel_start[size_t(j)]; k < ink.pixel_start[size_t(j) + 1]; ++k)
          sum += da.data()[ink.pixel_rows[size_t(k)] + i];
        column[i] = sum;
      }
    }
  }
}

}  // namespace

void fvsbn_logits(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::MatrixXf> logits) {
  assert(logits.rows() == x.rows() && logits.cols() == model.dim());
  RowMatrixXf a;
  sparse_logits(model, batch_ink(model, x), a);
  logits = a;
}

double fvsbn_loss(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::VectorXf> grad) {
  assert(grad.size() == model.num_params());
  const BatchInk ink = batch_ink(model, x);
  const int d = model.dim();
  const Index n = x.rows();
  RowMatrixXf a;  // (B, D) logits, then dA
  sparse_logits(model, ink, a);
  // softplus(a) = max(a, 0) + log1p(e), σ(a) = 1/(1 + e) or e/(1 + e) with e = exp(−|a|): one
  // exp and one log1p per pixel, in float (the loss is summed in double).
  double loss = 0;
  const float inv_n = 1.0f / float(n);
  float* av = a.data();
  for (size_t k = 0; k < size_t(a.size()); ++k) {
    const float ak = av[k], xk = float(ink.pixels[k]);
    const float e = std::exp(-std::fabs(ak));
    loss += double(std::max(ak, 0.0f) + std::log1p(e)) - double(xk * ak);
    const float s = ak >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
    av[k] = (s - xk) * inv_n;  // dL/dA
  }
  float* g = grad.data();
  sparse_weight_gradient(model, ink, a, g);
  Eigen::Map<Eigen::VectorXf>(g + model.num_weights(), d) = a.colwise().sum().transpose();
  return loss / double(n);
}

double fvsbn_loss(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  const BatchInk ink = batch_ink(model, x);
  RowMatrixXf a;
  sparse_logits(model, ink, a);
  double loss = 0;
  const float* av = a.data();
  for (size_t k = 0; k < size_t(a.size()); ++k) loss += softplus(av[k]) - double(ink.pixels[k]) * av[k];
  return loss / double(x.rows());
}


// [SECTION] Sliced Adam --------------------------------------------------------------------------

SlicedAdamTrainer::SlicedAdamTrainer(const BinaryImages& train, const AdamSchedule& schedule,
                                     const BinaryImages* validation, const char* model_name)
    : model_name_(model_name), train_(&train), validation_(validation), schedule_(schedule) {
  if (train.count < 1 || train.dim() < 1)
    throw Error(std::string("cannot train ") + model_name + " on an empty training set");
  if (validation && validation->count > 0 && (validation->rows != train.rows || validation->cols != train.cols))
    throw Error("validation images of " + std::to_string(validation->rows) + "x" + std::to_string(validation->cols) +
                " for training images of " + std::to_string(train.rows) + "x" + std::to_string(train.cols));
  if (schedule.batch_size < 1 || schedule.batch_size > kMaxPixelModelBatch)
    throw Error("batch size " + std::to_string(schedule.batch_size) + " (must be 1.." +
                std::to_string(kMaxPixelModelBatch) + ")");
  if (schedule.epochs < 0 || schedule.epochs > kMaxPixelModelEpochs)
    throw Error("epochs = " + std::to_string(schedule.epochs) + " (must be 0.." + std::to_string(kMaxPixelModelEpochs) +
                ")");
  if (!(schedule.learning_rate > 0) || !std::isfinite(schedule.learning_rate))
    throw Error("learning rate " + std::to_string(schedule.learning_rate) + " (must be finite and > 0)");
  order_.resize(static_cast<size_t>(train.count));
  std::iota(order_.begin(), order_.end(), 0);
  shuffle_seed_ = schedule.seed;
  lr_ = schedule.learning_rate;
  batches_per_epoch_ = (train.count + schedule.batch_size - 1) / schedule.batch_size;
  eval_rows_ = validation ? validation->count : 0;
  if (schedule.validation_rows > 0) eval_rows_ = std::min(eval_rows_, schedule.validation_rows);
  const long long eval_units = (eval_rows_ + schedule.batch_size - 1) / schedule.batch_size;
  units_total_ = (batches_per_epoch_ + eval_units) * schedule.epochs;
  done_ = schedule.epochs == 0;
  if (!done_) {
    Rng rng(shuffle_seed_++);
    rng.shuffle(std::span<int32_t>(order_));
  }
}

void SlicedAdamTrainer::allocate_optimizer(Eigen::Index num_params) {
  grad_ = Eigen::VectorXf::Zero(num_params);
  m_ = Eigen::VectorXf::Zero(num_params);
  v_ = Eigen::VectorXf::Zero(num_params);
  last_good_ = parameters();
}

void SlicedAdamTrainer::fail(const char* what) {
  parameters() = last_good_;
  char text[320];
  std::snprintf(text, sizeof(text),
                "training %s diverged in epoch %d, minibatch %d of %d: %s at learning rate %g; the model is kept as it "
                "was before that step (try a smaller learning rate)",
                model_name_, epoch_ + 1, batch_ + 1, batches_per_epoch_, what, double(lr_));
  failure_ = text;
  done_ = true;
}

float SlicedAdamTrainer::progress() const {
  return units_total_ > 0 ? float(double(units_done_) / double(units_total_)) : 1.0f;
}

// Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α m̂ / (√v̂ + ε).
void SlicedAdamTrainer::adam_update() {
  const float b1 = schedule_.adam_beta1, b2 = schedule_.adam_beta2;
  ++adam_t_;
  AdamStep step;  // θ, m, v updated by adam_step_f32 (train_kernels.hpp: one fused SIMD pass in wasm)
  step.learning_rate = lr_;
  step.beta1 = b1;
  step.beta2 = b2;
  step.correction1 = float(1 - std::pow(double(b1), double(adam_t_)));  // 1 − β₁ᵗ
  step.correction2 = float(1 - std::pow(double(b2), double(adam_t_)));  // 1 − β₂ᵗ
  step.epsilon = schedule_.adam_epsilon;
  Eigen::VectorXf& params = parameters();
  assert(params.size() == grad_.size() && m_.size() == grad_.size() && v_.size() == grad_.size());
  adam_step_f32(params.data(), grad_.data(), m_.data(), v_.data(), size_t(grad_.size()), step);
}

void SlicedAdamTrainer::train_one_batch() {
  const int d = train_->dim(), first = batch_ * schedule_.batch_size;
  const int b = std::min(schedule_.batch_size, train_->count - first);
  if (batch_x_.rows() != b) batch_x_.resize(b, d);
  for (int r = 0; r < b; ++r) {
    std::span<const uint8_t> img = train_->image(order_[size_t(first + r)]);
    for (int j = 0; j < d; ++j) batch_x_(r, j) = img[size_t(j)];
  }
  const double loss = minibatch_loss(batch_x_, grad_);
  // The parameters that gave a non-finite loss came from the latest update: undo it.
  if (!std::isfinite(loss)) return fail(std::isnan(loss) ? "the loss became NaN" : "the loss became infinite");
  batch_losses_.push_back(float(loss));
  epoch_loss_sum_ += loss;
  last_good_ = parameters();
  adam_update();
  if (!parameters().allFinite()) fail("a parameter became NaN or infinite");
}

void SlicedAdamTrainer::finish_epoch() {
  TrainEpochStats stats;
  stats.epoch = ++epoch_;
  stats.train_nll = epoch_loss_sum_ / batches_per_epoch_;
  stats.validation_nll = eval_rows_ > 0 ? eval_sum_ / eval_rows_ : std::numeric_limits<double>::quiet_NaN();
  stats.learning_rate = lr_;
  history_.push_back(stats);
  evaluating_ = false;
  batch_ = 0;
  epoch_loss_sum_ = 0;
  lr_ *= schedule_.lr_decay;
  if (epoch_ == schedule_.epochs) {
    done_ = true;
  } else {
    Rng rng(shuffle_seed_++);
    rng.shuffle(std::span<int32_t>(order_));
  }
}

bool SlicedAdamTrainer::step(int max_units) {
  for (int u = 0; u < max_units && !done_; ++u, ++units_done_) {
    if (!evaluating_) {
      train_one_batch();
      if (done_) break;  // diverged
      if (++batch_ == batches_per_epoch_) {
        evaluating_ = true;
        eval_next_ = 0;
        eval_sum_ = 0;
      }
      continue;
    }
    if (eval_next_ < eval_rows_) {
      const int n = std::min(schedule_.batch_size, eval_rows_ - eval_next_);
      eval_sum_ += mean_nll(model(), *validation_, eval_next_, n) * n;
      eval_next_ += n;
      if (eval_next_ < eval_rows_) continue;
    } else {
      --units_done_;  // no validation: finishing the epoch is free
    }
    finish_epoch();
  }
  return done_;
}

void run_to_end(PixelModelTrainer& trainer, std::vector<TrainEpochStats>* history) {
  while (!trainer.step(1000)) {
  }
  if (history) *history = trainer.history();
  if (!trainer.failure().empty()) throw Error(trainer.failure());
}

// [SECTION] FVSBN trainer ------------------------------------------------------------------------

FvsbnTrainer::FvsbnTrainer(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation)
    : SlicedAdamTrainer(train, options, validation, "an FVSBN") {
  model_ = FvsbnModel(train.rows, train.cols);
  model_.init_from_marginals(train, options.init_alpha);
  allocate_optimizer(model_.num_params());
}

double FvsbnTrainer::minibatch_loss(const Eigen::MatrixXf& x, Eigen::Ref<Eigen::VectorXf> grad) {
  return fvsbn_loss(model_, x, grad);
}

FvsbnModel train_fvsbn(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation,
                       std::vector<TrainEpochStats>* history) {
  FvsbnTrainer trainer(train, options, validation);
  run_to_end(trainer, history);
  return trainer.model();
}

}  // namespace implay
