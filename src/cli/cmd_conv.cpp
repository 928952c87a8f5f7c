// cmd_conv.cpp — `implay conv apply`: one image (a CSV of numbers or a PNG) through a bank of
// filters (typed "a,b;c,d" or named, e.g. sobel-x) with core/conv's cross-correlation, stride,
// padding and dilation per axis, then optional ReLU and pooling; prints the shape and the maps.
//
// Exit codes as main.cpp: 2 for bad usage (a malformed kernel or stride, kernels of different
// sizes), 1 for an unreadable input file and for a geometry the input cannot take.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "core/conv/conv2d.hpp"
#include "core/conv/kernels.hpp"
#include "core/conv/pool.hpp"
#include "core/data/csv.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "io/png_files.hpp"

namespace implay::cli {
namespace {

constexpr int kMaxApplySide = 1024;   // H, W of the input
constexpr int kMaxApplyKernel = 64;   // kh, kw
constexpr int kMaxApplyFilters = 64;  // F

struct ConvApplyOptions {
  std::string input;
  std::vector<std::string> kernels;
  std::string stride = "1", pad = "0", dilation = "1", pool;
  bool relu = false, json = false;
  std::string out;
};

// A kernel as typed: rows split by ';' (or '/'), values by ','; or a named one (sobel_x or sobel-x).
struct Kernel {
  int rows = 0, cols = 0;
  std::vector<float> values;  // (rows, cols) row-major
};

Kernel parse_kernel_text(std::string text) {
  std::replace(text.begin(), text.end(), '/', ';');  // "1,0/0,-1": rows without a shell-quoted ';'
  std::string name = text;
  std::replace(name.begin(), name.end(), '-', '_');
  for (NamedKernel k : kAllNamedKernels)
    if (name == kernel_name(k)) {
      const auto w = kernel_weights(k);
      return {3, 3, std::vector<float>(w.begin(), w.end())};
    }
  Kernel kernel;
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(';', start), text.size());
    const std::string row = text.substr(start, end - start);
    split_csv_fields(row, fields);
    if (kernel.rows > 0 && int(fields.size()) != kernel.cols)
      throw CLI::ValidationError("--kernel", "\"" + text + "\": row " + std::to_string(kernel.rows + 1) + " has " +
                                                 std::to_string(fields.size()) + " values, the first has " +
                                                 std::to_string(kernel.cols));
    kernel.cols = int(fields.size());
    for (std::string_view f : fields) {
      const std::optional<double> v = parse_csv_number(f);
      if (!v || std::abs(*v) > 1e15)
        throw CLI::ValidationError("--kernel", "\"" + text + "\": \"" + std::string(f) +
                                                   "\" is not a finite number (rows split by ';', values by ',', "
                                                   "or a name such as sobel-x)");
      kernel.values.push_back(float(*v));
    }
    ++kernel.rows;
    start = end + 1;
  }
  if (kernel.cols < 1 || kernel.rows > kMaxApplyKernel || kernel.cols > kMaxApplyKernel)
    throw CLI::ValidationError(
        "--kernel", "\"" + text + "\": a kernel has 1.." + std::to_string(kMaxApplyKernel) + " rows and columns");
  return kernel;
}

// "2" or "2,3": the same along rows and columns, or rows then columns.
std::pair<int, int> parse_pair(const std::string& text, const char* option, int lo, int hi) {
  const size_t comma = text.find(',');
  const auto one = [&](const std::string& part) {
    const std::optional<double> v = parse_csv_number(part);
    if (!v || *v != std::floor(*v) || *v < lo || *v > hi)
      throw CLI::ValidationError(option, "\"" + text + "\": give one whole number " + std::to_string(lo) + ".." +
                                             std::to_string(hi) + " or two, rows then columns (\"2,1\")");
    return int(*v);
  };
  if (comma == std::string::npos) {
    const int v = one(text);
    return {v, v};
  }
  return {one(text.substr(0, comma)), one(text.substr(comma + 1))};
}

// The input as one image (H, W) of floats: a CSV of numbers (no label column) or a PNG's grey.
RowMatrixXf load_image(const std::string& path, int& height, int& width) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  const std::string ext = std::filesystem::path(path).extension().string();
  std::vector<float> values;
  if (ext == ".png" || ext == ".PNG") {
    const GreyImage g = decode_png_grey(bytes, path);
    height = g.height, width = g.width;
    if (height > kMaxApplySide || width > kMaxApplySide)
      throw Error(path + ": " + std::to_string(width) + "x" + std::to_string(height) + " pixels; at most " +
                  std::to_string(kMaxApplySide) + " per side");
    values.assign(g.pixels.begin(), g.pixels.end());
  } else {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    height = 0, width = 0;
    std::vector<std::string_view> fields;
    for_each_csv_line(text, [&](int line, std::string_view row) {
      if (row.find_first_not_of(" \t") == std::string_view::npos) return;
      split_csv_fields(row, fields);
      if (height == 0) width = int(fields.size());
      if (int(fields.size()) != width)
        throw Error(path + ": line " + std::to_string(line) + " has " + std::to_string(fields.size()) +
                    " values, expected " + std::to_string(width) + " like the first row");
      for (size_t c = 0; c < fields.size(); ++c) {
        const std::optional<double> v = parse_csv_number(fields[c]);
        if (!v || std::abs(*v) > kMaxCsvFeature)
          throw Error(path + ": line " + std::to_string(line) + ", column " + std::to_string(c + 1) + ": \"" +
                      std::string(fields[c]) + "\" is not a number");
        values.push_back(float(*v));
      }
      if (++height > kMaxApplySide || width > kMaxApplySide)
        throw Error(path + ": more than " + std::to_string(kMaxApplySide) + " rows or columns");
    });
    if (height == 0) throw Error(path + ": no rows of numbers");
  }
  RowMatrixXf X(1, Eigen::Index(height) * width);  // (1, H·W)
  std::copy(values.begin(), values.end(), X.data());
  return X;
}

std::string number_text(float v) {
  char buf[32];
  if (v == std::floor(v) && std::abs(v) < 1e9)
    std::snprintf(buf, sizeof buf, "%.0f", double(v));
  else
    std::snprintf(buf, sizeof buf, "%.6g", double(v));
  return buf;
}

// Maps (F, H, W) side by side as one grey PNG, each scaled from its min (black) to its max.
void write_maps_png(const std::string& path, const RowMatrixXf& Y, int F, int H, int W) {
  GreyImage g;
  g.width = F * (W + 1) - 1, g.height = H;
  g.pixels.assign(size_t(g.width) * size_t(H), 128);
  for (int f = 0; f < F; ++f) {
    const auto map = Y.row(0).segment(Eigen::Index(f) * H * W, Eigen::Index(H) * W);
    const float lo = map.minCoeff(), hi = map.maxCoeff(), span = hi > lo ? hi - lo : 1.0f;
    for (int r = 0; r < H; ++r)
      for (int c = 0; c < W; ++c)
        g.pixels[size_t(r) * size_t(g.width) + size_t(f * (W + 1) + c)] =
            uint8_t(std::lround(255.0f * (map(r * W + c) - lo) / span));
  }
  write_png_grey(path, g);
}

int run_conv_apply(const ConvApplyOptions& o, const std::vector<Kernel>& kernels) {
  int H = 0, W = 0;
  const RowMatrixXf X = load_image(o.input, H, W);
  const auto [sh, sw] = parse_pair(o.stride, "--stride", 1, kMaxApplyKernel);
  const auto [ph, pw] = parse_pair(o.pad, "--pad", 0, kMaxApplyKernel);
  const auto [dh, dw] = parse_pair(o.dilation, "--dilation", 1, kMaxApplyKernel);
  const int F = int(kernels.size()), kh = kernels[0].rows, kw = kernels[0].cols;
  ConvGeometry g;
  try {
    g = conv_geometry(1, H, W, F, {kh, kw, sh, sw, ph, pw, dh, dw});
  } catch (const Error& e) {
    throw Error(o.input + " under the kernels: " + e.what());
  }
  RowMatrixXf filters(F, kh * kw);  // (F, kh·kw)
  for (int f = 0; f < F; ++f)
    for (int k = 0; k < kh * kw; ++k) filters(f, k) = kernels[size_t(f)].values[size_t(k)];
  RowMatrixXf Y;
  ConvWorkspace ws;
  conv2d_forward(g, X, filters, Eigen::VectorXf::Zero(F), Y, ws);
  int oh = g.out_height, ow = g.out_width;
  if (o.relu) Y = Y.cwiseMax(0.0f);
  if (!o.pool.empty()) {
    const bool max = o.pool.rfind("max:", 0) == 0;
    const int k = std::stoi(o.pool.substr(4));
    PoolGeometry pg;
    try {
      pg = pool_geometry(F, oh, ow, {k, k, k, k});
    } catch (const Error& e) {
      throw Error("--pool " + o.pool + " after the convolution: " + e.what());
    }
    RowMatrixXf P;
    std::vector<int32_t> argmax;
    if (max)
      max_pool_forward(pg, Y, P, argmax);
    else
      avg_pool_forward(pg, Y, P);
    Y = std::move(P), oh = pg.out_height, ow = pg.out_width;
  }
  std::printf("shape: (%d, %d, %d)\n", F, oh, ow);
  nlohmann::json output = nlohmann::json::array();
  for (int f = 0; f < F; ++f) {
    std::printf("filter %d:\n", f + 1);
    nlohmann::json rows = nlohmann::json::array();
    for (int r = 0; r < oh; ++r) {
      std::string line;
      nlohmann::json row = nlohmann::json::array();
      for (int c = 0; c < ow; ++c) {
        const float v = Y(0, (Eigen::Index(f) * oh + r) * ow + c);
        line += (c ? " " : "") + number_text(v);
        if (v == std::floor(v) && std::abs(v) < 1e9)
          row.push_back((long long)v);
        else
          row.push_back(v);
      }
      std::printf("%s\n", line.c_str());
      rows.push_back(row);
    }
    output.push_back(rows);
  }
  if (!o.out.empty()) write_maps_png(o.out, Y, F, oh, ow);
  if (o.json) std::printf("%s\n", nlohmann::ordered_json{{"shape", {F, oh, ow}}, {"output", output}}.dump().c_str());
  return 0;
}

void add_conv_apply(CLI::App& conv, Runner& run) {
  auto* cmd = conv.add_subcommand("apply", "Slide filters over one image: the output shape and every map");
  auto options = std::make_shared<ConvApplyOptions>();
  cmd->add_option("--input", options->input, "the image: a CSV of numbers (rows, no label) or a PNG (grey 0..255)")
      ->required();
  cmd->add_option(
         "--kernel", options->kernels,
         "a filter: rows split by ';' or '/', values by ',' (\"1,0;0,-1\" or 1,0/0,-1), or a name: edge-horizontal, "
         "edge-vertical, edge-diagonal, edge-antidiagonal, sobel-x, sobel-y, box-blur, gaussian, "
         "sharpen, laplacian; repeat for more filters (all the same size)")
      ->required();
  cmd->add_option("--stride", options->stride, "S, or SH,SW (rows, columns)")->capture_default_str();
  cmd->add_option("--pad", options->pad, "zero padding P, or PH,PW")->capture_default_str();
  cmd->add_option("--dilation", options->dilation, "D, or DH,DW")->capture_default_str();
  cmd->add_flag("--relu", options->relu, "max(0, x) after the convolution");
  cmd->add_option("--pool", options->pool, "max:K or avg:K: pool K x K windows at stride K after that")
      ->check(CLI::Validator(
          [](std::string& text) {
            const bool kind = text.rfind("max:", 0) == 0 || text.rfind("avg:", 0) == 0;
            const std::optional<double> k = kind ? parse_csv_number(text.substr(4)) : std::nullopt;
            if (!k || *k != std::floor(*k) || *k < 1 || *k > kMaxApplyKernel)
              return std::string("\"" + text + "\" is not max:K or avg:K with K in 1..64");
            return std::string();
          },
          "max:K|avg:K"));
  cmd->add_flag("--json", options->json, "also print {\"shape\": [F, H, W], \"output\": [[[...]]]} as the last line");
  cmd->add_option("--out", options->out, "write the maps side by side as a grey PNG (each scaled min..max)");
  cmd->footer(
      "Example (the lecture's shape): a 6x8 CSV with --kernel \"-1,1;-1,1\" --kernel \"-1,-1;1,1\" prints "
      "shape: (2, 5, 7).");
  cmd->callback([&run, options] {
    auto kernels = std::make_shared<std::vector<Kernel>>();
    for (const std::string& text : options->kernels) kernels->push_back(parse_kernel_text(text));
    if (kernels->size() > size_t(kMaxApplyFilters))
      throw CLI::ValidationError("--kernel", "at most " + std::to_string(kMaxApplyFilters) + " kernels");
    for (const Kernel& k : *kernels)
      if (k.rows != kernels->front().rows || k.cols != kernels->front().cols)
        throw CLI::ValidationError(
            "--kernel", "every kernel must have the same size: " + std::to_string(kernels->front().rows) + "x" +
                            std::to_string(kernels->front().cols) + " and " + std::to_string(k.rows) + "x" +
                            std::to_string(k.cols));
    parse_pair(options->stride, "--stride", 1, kMaxApplyKernel);
    parse_pair(options->pad, "--pad", 0, kMaxApplyKernel);
    parse_pair(options->dilation, "--dilation", 1, kMaxApplyKernel);
    run = [options, kernels] { return run_conv_apply(*options, *kernels); };
  });
}

}  // namespace

void add_conv_commands(CLI::App& app, Runner& run) {
  auto* conv = app.add_subcommand("conv", "Convolution: filters over an image (apply)");
  conv->require_subcommand(1);
  add_conv_apply(*conv, run);
}

}  // namespace implay::cli
