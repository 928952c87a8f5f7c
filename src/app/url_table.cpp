// url_table.cpp — the part of the URL tables that does not depend on a lab's state: reading a
// value by its spec, writing it back as text, and describing it (see url_table.hpp).
#include "app/url_table.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/error.hpp"

namespace implay::app {
namespace {

// 0.1f as "0.1", not "0.100000001": the fewest digits that read back as the same float.
std::string shortest_float_text(double value) {
  const float f = float(value);
  char buf[32];
  for (int digits = 1; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, double(f));
    if (std::strtof(buf, nullptr) == f) break;
  }
  return buf;
}

std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string((long long)v);
  return shortest_float_text(v);
}

}  // namespace

bool take_url_value(UrlParams& params, const UrlSpec& spec, double& out) {
  switch (spec.kind) {
    case UrlKind::Int: {
      int v = 0;
      if (!params.take_int(spec.key, v, int(spec.lo), int(spec.hi))) return false;
      out = v;
      return true;
    }
    case UrlKind::Float: {
      float v = 0;
      if (!params.take_float(spec.key, v, float(spec.lo), float(spec.hi))) return false;
      out = v;
      return true;
    }
    case UrlKind::Choice: {
      int v = 0;
      if (!params.take_choice(spec.key, v, spec.choices)) return false;
      out = v;
      return true;
    }
    case UrlKind::Bool: {
      bool v = false;
      if (!params.take_bool(spec.key, v)) return false;
      out = v ? 1 : 0;
      return true;
    }
    case UrlKind::Text: return false;  // not a number: apply_url_table reads it with set_url_text
  }
  return false;
}

std::string url_value_text(const UrlSpec& spec, double value) {
  switch (spec.kind) {
    case UrlKind::Int: return std::to_string((long long)std::llround(value));
    case UrlKind::Float: return shortest_float_text(value);
    case UrlKind::Choice: {
      const size_t i = size_t(std::clamp(value, 0.0, double(spec.choices.size() - 1)));
      return spec.choices[i];
    }
    case UrlKind::Bool: return value != 0 ? "1" : "0";
    case UrlKind::Text: return "";  // UrlSetting::text asks the lab
  }
  return "";
}

std::string url_allowed_text(const UrlSpec& spec) {
  switch (spec.kind) {
    case UrlKind::Int:
    case UrlKind::Float: return number_text(spec.lo) + "–" + number_text(spec.hi);
    case UrlKind::Choice: {
      std::string out;
      for (const char* c : spec.choices) out += (out.empty() ? "" : " | ") + std::string(c);
      return out;
    }
    case UrlKind::Bool: return "0 or 1";
    case UrlKind::Text: return spec.allowed ? spec.allowed : "";
  }
  return "";
}

nlohmann::json url_spec_json(const UrlSpec& spec) {
  static const char* kKinds[] = {"int", "float", "choice", "bool", "text"};
  nlohmann::json j = {
      {"key", spec.key}, {"kind", kKinds[int(spec.kind)]}, {"allowed", url_allowed_text(spec)}, {"doc", spec.doc}};
  if (spec.kind == UrlKind::Int || spec.kind == UrlKind::Float) j["min"] = spec.lo, j["max"] = spec.hi;
  if (spec.kind == UrlKind::Choice) j["choices"] = spec.choices;
  return j;
}

std::vector<long long> parse_url_int_list(const std::string& text, long long lo, long long hi, const char* what) {
  std::vector<long long> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string token = text.substr(start, comma - start);
    char* end = nullptr;
    const long long v = std::strtoll(token.c_str(), &end, 10);
    if (token.empty() || *end != '\0' || v < lo || v > hi)
      throw Error(std::string(what) + " '" + token + "': expected a whole number from " + std::to_string(lo) + " to " +
                  std::to_string(hi));
    out.push_back(v);
    start = comma + 1;
  }
  return out;
}

bool set_url_text(UrlParams& params, const char* key, const std::string& text, const std::function<void()>& store) {
  try {
    store();
    return true;
  } catch (const Error& e) {
    params.reject(key, text, e.what());
    return false;
  }
}

void append_query(std::string& query, const std::string& key, const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  query += query.empty() || query == "?" ? "" : "&";
  query += key;
  query += '=';
  for (unsigned char c : value) {
    const bool plain = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ',';
    if (plain) {
      query += char(c);
    } else {
      query += '%';
      query += kHex[c >> 4];
      query += kHex[c & 15];
    }
  }
}

}  // namespace implay::app
