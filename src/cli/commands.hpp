// commands.hpp — each subcommand of `implay` registers itself on the CLI11 app and stores, in
// `run`, what to do once parsing succeeded. main.cpp owns parsing, error messages and exit codes.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>

namespace implay::cli {

// The work of the chosen subcommand; returns the process exit code.
using Runner = std::function<int()>;

void add_data_command(CLI::App& app, Runner& run);
// `knn` (classify a test set) and `knn-cv` (choose k by cross-validation), in cmd_knn.cpp.
void add_knn_commands(CLI::App& app, Runner& run);
// `loss` (losses of typed-in scores) and `linear train` / `linear eval`, in cmd_linear.cpp.
void add_linear_commands(CLI::App& app, Runner& run);
// `roc` (ROC curve and AUC of a label,score CSV) and `entropy` (cross-entropy, KL, BCE step by step), in cmd_roc.cpp.
void add_roc_commands(CLI::App& app, Runner& run);
// `nn train` / `nn eval` / `nn data` (the MLP, toy 2-D sets), in cmd_nn.cpp.
void add_nn_commands(CLI::App& app, Runner& run);
// `ar train` / `ar nll` / `ar complete` (autoregressive pixel models), in cmd_ar.cpp.
void add_ar_commands(CLI::App& app, Runner& run);
// `conv apply` (filters over one image), in cmd_conv.cpp.
void add_conv_commands(CLI::App& app, Runner& run);
// `cnn train` / `cnn eval` (the default CNN on MNIST), in cmd_cnn.cpp.
void add_cnn_commands(CLI::App& app, Runner& run);

}  // namespace implay::cli
