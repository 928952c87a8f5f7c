// pixel_model_nade.hpp — NADE, the neural autoregressive density estimator (Larochelle & Murray
// 2011): the third trained pixel model of pixel_model.hpp (after context counts and FVSBN), its
// loss and gradient, and NadeTrainer (a SlicedPixelTrainer of pixel_trainer.hpp, as FVSBN's).
// Save/load lives with the other models in pixel_model_io.cpp.
//
// Index: [model] [loss] [trainer]
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "core/pixel/pixel_model.hpp"
#include "core/pixel/pixel_trainer.hpp"

namespace implay {

// [SECTION] model --------------------------------------------------------------------------------

inline constexpr int kMaxNadeHidden = 4096;  // H accepted by the constructor and the file format

// NADE with H hidden units shared by all positions (ReLU hidden layer, see below):
//   a_i = c + Σ_{j<i} W_:j x_j          (H) pre-activation of pixel i
//   h_i = max(a_i, 0)                   (H)
//   p(x_i = 1 | x_<i) = σ(b_i + V_:i · h_i)
// a_{i+1} = a_i + W_:i x_i, so one image costs O(HD) — and on binary images only the columns of
// the ink pixels (≈ 19 % on MNIST) are added.
//
// Why ReLU and not the paper's sigmoid: on binarized MNIST (H = 100, lr 5e-3, batch 100, 3
// epochs, mean test −log p(x) after each) ReLU gave 80.55, 76.90, 75.35 nats in 26 s, sigmoid
// 91.54, 85.26, 83.24 in 83 s (the same kernel with Eigen's vectorized exp; ReLU was then still
// unvectorized in its backward pass, now 2.5x faster): better and cheaper, no exp per unit.
//
// Parameters in one flat vector, P = 2HD + H + D (785 284 for H = 500 on 28 x 28):
//   [0, HD)         W (H, D) column-major: column j = the input weights of pixel j
//   [HD, 2HD)       V (H, D) column-major: column i = the output weights of pixel i
//   [2HD, 2HD + H)  c (H)    hidden bias
//   [2HD + H, P)    b (D)    output bias
class NadeModel final : public PixelModel {
 public:
  NadeModel() = default;
  // All parameters 0 (every p = 1/2). Throws implay::Error for rows or cols < 1 or H outside
  // 1..kMaxNadeHidden.
  NadeModel(int rows, int cols, int hidden);

  PixelModelKind kind() const override { return PixelModelKind::Nade; }
  int rows() const override { return rows_; }
  int cols() const override { return cols_; }
  int hidden() const { return hidden_; }  // H
  double probability(std::span<const uint8_t> image, int i) const override;
  void conditionals(std::span<const uint8_t> image, std::span<double> out) const override;
  void draw_pixels(std::span<uint8_t> image, int start, const PixelDraw& draw) const override;

  Eigen::Index num_params() const { return 2 * Eigen::Index(hidden_) * dim() + hidden_ + dim(); }
  Eigen::Map<Eigen::MatrixXf> input_weights() { return {params.data(), hidden_, dim()}; }  // W (H, D)
  Eigen::Map<const Eigen::MatrixXf> input_weights() const { return {params.data(), hidden_, dim()}; }
  Eigen::Map<Eigen::MatrixXf> output_weights() { return {params.data() + hd(), hidden_, dim()}; }  // V (H, D)
  Eigen::Map<const Eigen::MatrixXf> output_weights() const { return {params.data() + hd(), hidden_, dim()}; }
  Eigen::Map<Eigen::VectorXf> hidden_bias() { return {params.data() + 2 * hd(), hidden_}; }  // c (H)
  Eigen::Map<const Eigen::VectorXf> hidden_bias() const { return {params.data() + 2 * hd(), hidden_}; }
  Eigen::Map<Eigen::VectorXf> output_bias() { return {params.data() + 2 * hd() + hidden_, dim()}; }  // b (D)
  Eigen::Map<const Eigen::VectorXf> output_bias() const { return {params.data() + 2 * hd() + hidden_, dim()}; }

  // b = logits of the α-smoothed pixel frequencies (so training starts near the independent
  // model), c = 0, W and V ~ N(0, scale²) from implay::Rng(seed): random, to break the symmetry
  // between hidden units. Throws implay::Error for training images of another size.
  void init_from_marginals(const BinaryImages& train, float alpha = 1.0f, float scale = 0.05f, uint64_t seed = 1);

  Eigen::VectorXf params;  // (P) W, V, c, b as above
  int rows_ = 0, cols_ = 0, hidden_ = 0;

 private:
  Eigen::Index hd() const { return Eigen::Index(hidden_) * dim(); }
};

// [SECTION] loss ---------------------------------------------------------------------------------

// Mean −log p(x) in nats per image, L = (1/B) Σ_n Σ_i [softplus(l_ni) − X_ni l_ni] with the
// logits l_ni = b_i + V_:i · h_ni, and its gradient grad (P) laid out like params. The standard
// NADE backward pass, in one forward sweep over the positions (no (B, D, H) activations stored):
//   g_ni = (σ(l_ni) − X_ni)/B,  db_i = Σ_n g_ni,  dV_:i = Σ_n g_ni h_ni,
//   δ_ni = g_ni V_:i ⊙ [a_ni > 0]  (∂L/∂a_ni),  dc = Σ_n Σ_i δ_ni,
//   dW_:j = Σ_n X_nj Σ_{i>j} δ_ni = Σ_n X_nj (T_n − S_nj)   with S_nj = Σ_{i≤j} δ_ni, T_n = S_n,D−1:
// the running sum S is kept per image, X_nj S_nj is subtracted as the sweep passes pixel j, and
// the T X part is one GEMM at the end.
// x: (B, D) column-major 0/1 floats. Throws implay::Error when x has not D columns.
double nade_loss(const NadeModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::VectorXf> grad);
double nade_loss(const NadeModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x);  // L alone

// [SECTION] trainer ------------------------------------------------------------------------------

// Adam on minibatches, the learning rate decayed after every epoch, as FvsbnTrainOptions.
// Measured on binarized MNIST (60 000 train / 10 000 test, pixel ≥ 128), mean test −log p(x) in
// nats after epochs 1, 2, 3 (FVSBN: 80.65, 77.67, 76.59; 10-neighbour context counts 83.30):
//   H = 500, α = 1e-2 (defaults): 72.14, 67.88, 65.95   H = 500, α = 5e-3: 71.59, 68.03, 66.51
//   H = 250, α = 5e-3: 74.29, 70.87, 69.28              H = 100, α = 5e-3: 80.55, 76.90, 75.35
// (H = 500, α = 5e-3, 4 epochs: 65.84). Time on one core of a busy 2-core machine: natively an
// epoch of 60 000 images takes ≈ 6 s for H = 250, ≈ 11 s for H = 500 (+ 0.5 s for the 10 000 test
// images; the 3 default epochs 34 s); in wasm under node 10 000 images take 1.3 s (H = 250) and
// 2.0-2.2 s (H = 500, ≈ 20 ms a minibatch: one unit per frame), the 3 default epochs 38 s of CPU
// (65.97 nats). One full 28 x 28 sample: O(HD), 0.1-0.15 ms in wasm.
struct NadeTrainOptions : PixelTrainSchedule {  // α = 1e-2, the rest as PixelTrainSchedule's
  int hidden = 500;                             // H hidden units (1..4096)
  float init_alpha = 1.0f;                      // b starts at the logits of the α-smoothed pixel frequencies
  float init_scale = 0.05f;                     // W and V start ~ N(0, scale²)
};

// Views `train` and `validation` (they must outlive the trainer and stay unchanged).
class NadeTrainer final : public SlicedPixelTrainer {
 public:
  // Throws implay::Error for H outside 1..4096 and everything FvsbnTrainer rejects.
  NadeTrainer(const BinaryImages& train, const NadeTrainOptions& options, const BinaryImages* validation = nullptr);
  NadeTrainer(BinaryImages&&, const NadeTrainOptions&, const BinaryImages* = nullptr) = delete;

  const NadeModel& model() const override { return model_; }

 private:
  double minibatch_loss(const Eigen::MatrixXf& x, Eigen::Ref<Eigen::VectorXf> grad) override;
  Eigen::VectorXf& parameters() override { return model_.params; }
  NadeModel model_;
};

NadeModel train_nade(const BinaryImages& train, const NadeTrainOptions& options,
                     const BinaryImages* validation = nullptr, std::vector<TrainEpochStats>* history = nullptr);

}  // namespace implay
