// pixel_model_io.cpp — the four file formats of pixel_model.hpp ([save/load] there documents
// them): writing any model, and reading one back with every size checked before it is allocated.
// The models themselves: pixel_model_counts.cpp, pixel_model_fvsbn.cpp, pixel_model_nade.cpp.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "core/binary_io.hpp"
#include "core/checked.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/pixel/pixel_model.hpp"
#include "core/pixel/pixel_model_nade.hpp"

namespace implay {

using Eigen::Index;

namespace {

constexpr char kMagicIndependent[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'I', 'B'};
constexpr char kMagicContext[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'C', 'X'};
constexpr char kMagicFvsbn[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'F', 'V'};
constexpr char kMagicNade[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'N', 'A'};
constexpr uint32_t kMaxSide = 4096;

void write_header(ByteWriter& w, const char* magic, const PixelModel& m) {
  w.bytes(magic, 8);
  w.u32(kPixelModelVersion);
  w.u32(uint32_t(m.rows()));
  w.u32(uint32_t(m.cols()));
}

}  // namespace

std::vector<uint8_t> serialize_pixel_model(const PixelModel& model) {
  ByteWriter w;
  switch (model.kind()) {
    case PixelModelKind::Independent: {
      const auto& m = static_cast<const IndependentModel&>(model);
      write_header(w, kMagicIndependent, m);
      w.f32(m.alpha);
      w.u32(m.total);
      for (uint32_t v : m.ones) w.u32(v);
      break;
    }
    case PixelModelKind::ContextCounts: {
      const auto& m = static_cast<const ContextModel&>(model);
      write_header(w, kMagicContext, m);
      w.u32(uint32_t(m.options.neighbours));
      w.u32(m.options.position_dependent ? 1u : 0u);
      w.f32(m.options.alpha);
      for (uint32_t v : m.ones) w.u32(v);
      for (uint32_t v : m.totals) w.u32(v);
      break;
    }
    case PixelModelKind::Fvsbn: {
      const auto& m = static_cast<const FvsbnModel&>(model);
      write_header(w, kMagicFvsbn, m);
      for (int i = 1; i < m.dim(); ++i)  // W row by row (memory: by column)
        for (int j = 0; j < i; ++j) w.f32(m.weight(i, j));
      for (Index k = m.num_weights(); k < m.params.size(); ++k) w.f32(m.params[k]);
      break;
    }
    case PixelModelKind::Nade: {
      const auto& m = static_cast<const NadeModel&>(model);
      write_header(w, kMagicNade, m);
      w.u32(uint32_t(m.hidden()));
      for (Index k = 0; k < m.params.size(); ++k) w.f32(m.params[k]);
      break;
    }
  }
  return std::move(w.out);
}

std::unique_ptr<PixelModel> parse_pixel_model(std::span<const uint8_t> bytes, const std::string& source) {
  const char* what = "pixel model";
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagicIndependent, 8) == 0)
    what = "independent pixel model";
  else if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagicContext, 8) == 0)
    what = "context pixel model";
  else if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagicFvsbn, 8) == 0)
    what = "FVSBN pixel model";
  else if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagicNade, 8) == 0)
    what = "NADE pixel model";
  else if (bytes.size() < 8 &&
           (bytes.empty() || std::memcmp(bytes.data(), kMagicFvsbn, std::min<size_t>(6, bytes.size())) == 0))
    throw Error(source + ": truncated pixel model file (" + std::to_string(bytes.size()) + " bytes)");
  else
    throw Error(source + ": not a pixel model file (wrong magic number " +
                printable_bytes(bytes.first(std::min<size_t>(8, bytes.size()))) +
                ", expected \"IMPLAYIB\", \"IMPLAYCX\", \"IMPLAYFV\" or \"IMPLAYNA\")");
  ByteReader r{bytes, source, what, 8};
  const uint32_t version = r.u32();
  if (version != kPixelModelVersion)
    throw Error(source + ": " + what + " file version " + std::to_string(version) +
                " is not supported (this build reads " + std::to_string(kPixelModelVersion) + ")");
  const uint32_t rows = r.u32(), cols = r.u32();
  if (rows < 1 || rows > kMaxSide || cols < 1 || cols > kMaxSide)
    throw Error(source + ": implausible image size " + std::to_string(rows) + "x" + std::to_string(cols) +
                " (each 1.." + std::to_string(kMaxSide) + ")");
  const size_t d = size_t(rows) * cols;  // ≤ 4096², no overflow
  auto read_counts = [&](std::vector<uint32_t>& v, size_t n) {
    r.need(checked_mul(4, n, source + ": count table"));
    v.resize(n);
    for (auto& c : v) c = r.u32();
  };
  auto check_alpha = [&](float a) {
    if (!(a >= 0) || !std::isfinite(a))
      throw Error(source + ": smoothing alpha = " + std::to_string(a) + " (must be >= 0)");
  };
  std::unique_ptr<PixelModel> result;
  if (what[0] == 'i') {
    auto m = std::make_unique<IndependentModel>();
    m->rows_ = int(rows);
    m->cols_ = int(cols);
    m->alpha = r.f32();
    check_alpha(m->alpha);
    m->total = r.u32();
    read_counts(m->ones, d);
    for (size_t i = 0; i < d; ++i)
      if (m->ones[i] > m->total)
        throw Error(source + ": count n1 = " + std::to_string(m->ones[i]) + " of pixel " + std::to_string(i) +
                    " exceeds n = " + std::to_string(m->total));
    result = std::move(m);
  } else if (what[0] == 'c') {
    auto m = std::make_unique<ContextModel>();
    m->rows_ = int(rows);
    m->cols_ = int(cols);
    const uint32_t k = r.u32(), pos = r.u32();
    if (k < 1 || k > uint32_t(kMaxContextNeighbours))
      throw Error(source + ": context template of " + std::to_string(k) + " neighbours (must be 1..12)");
    if (pos > 1) throw Error(source + ": position_dependent flag " + std::to_string(pos) + " (must be 0 or 1)");
    m->options.neighbours = int(k);
    m->options.position_dependent = pos == 1;
    m->options.alpha = r.f32();
    check_alpha(m->options.alpha);
    const uint64_t cells = uint64_t(m->num_tables()) << k;
    if (cells > kMaxContextCells)
      throw Error(source + ": context tables of " + std::to_string(cells) + " cells; at most " +
                  std::to_string(kMaxContextCells) + " are accepted");
    read_counts(m->ones, cells);
    read_counts(m->totals, cells);
    for (size_t c = 0; c < cells; ++c)
      if (m->ones[c] > m->totals[c])
        throw Error(source + ": count n1 = " + std::to_string(m->ones[c]) + " of cell " + std::to_string(c) +
                    " exceeds n = " + std::to_string(m->totals[c]));
    result = std::move(m);
  } else if (what[0] == 'F') {
    // Sizes checked against the cap and the bytes present before the model is allocated.
    const uint64_t p = fvsbn_param_count(d);
    check_model_params(p, source + ": FVSBN", std::to_string(rows) + "x" + std::to_string(cols) + " pixels");
    r.need(size_t(4 * p));
    auto m = std::make_unique<FvsbnModel>(int(rows), int(cols));
    for (int i = 1; i < m->dim(); ++i)  // W row by row into memory's columns
      for (int j = 0; j < i; ++j) m->params[m->weight_column_offset(j) + (i - j - 1)] = r.f32();
    for (Index k = m->num_weights(); k < m->params.size(); ++k) m->params[k] = r.f32();
    check_finite_params(m->params, source, what);
    result = std::move(m);
  } else {
    const uint32_t hidden = r.u32();
    if (hidden < 1 || hidden > uint32_t(kMaxNadeHidden))
      throw Error(source + ": NADE of " + std::to_string(hidden) + " hidden units (must be 1.." +
                  std::to_string(kMaxNadeHidden) + ")");
    const uint64_t p = nade_param_count(d, hidden);
    check_model_params(
        p, source + ": NADE",
        std::to_string(rows) + "x" + std::to_string(cols) + " pixels and " + std::to_string(hidden) + " hidden units");
    r.need(size_t(4 * p));
    auto m = std::make_unique<NadeModel>(int(rows), int(cols), int(hidden));
    for (Index k = 0; k < m->params.size(); ++k) m->params[k] = r.f32();
    check_finite_params(m->params, source, what);
    result = std::move(m);
  }
  r.end();
  return result;
}

void save_pixel_model(const PixelModel& model, const std::string& path) {
  write_file_bytes(path, serialize_pixel_model(model));  // idx.hpp: errors name the path
}

std::unique_ptr<PixelModel> load_pixel_model(const std::string& path) {
  return parse_pixel_model(read_file_bytes(path), path);
}

}  // namespace implay
