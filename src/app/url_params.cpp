// url_params.cpp — see url_params.hpp.
#include "app/url_params.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace implay::app {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += char(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

UrlParams::UrlParams(std::string_view query) {
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    UrlParam p;
    p.key = url_decode(part.substr(0, eq));
    p.value = eq == std::string_view::npos ? "" : url_decode(part.substr(eq + 1));
    // Every reader takes values as C strings, so a NUL would silently cut "k=7%00junk" to 7.
    if (p.key.find('\0') != std::string::npos || p.value.find('\0') != std::string::npos) {
      warnings_.push_back("URL parameter " + std::string(part) + " ignored: it holds %00, a NUL character");
      continue;
    }
    params_.push_back(std::move(p));
  }
}

UrlParam* UrlParams::find(std::string_view key) {
  // The last occurrence wins, as in URLSearchParams-based pages people are used to.
  UrlParam* found = nullptr;
  for (auto& p : params_)
    if (p.key == key) {
      if (found) found->used = true;
      found = &p;
    }
  if (found) found->used = true;
  return found;
}

bool UrlParams::take_string(std::string_view key, std::string& out) {
  UrlParam* p = find(key);
  if (!p) return false;
  out = p->value;
  return true;
}

bool UrlParams::take_int(std::string_view key, int& out, int lo, int hi) {
  UrlParam* p = find(key);
  if (!p) return false;
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(p->value.c_str(), &end, 10);
  if (p->value.empty() || *end != '\0' || errno != 0 || v < lo || v > hi) {
    warnings_.push_back("URL parameter " + p->key + "=" + p->value + " ignored: expected a whole number from " +
                        std::to_string(lo) + " to " + std::to_string(hi));
    return false;
  }
  out = int(v);
  return true;
}

bool UrlParams::take_float(std::string_view key, float& out, float lo, float hi) {
  UrlParam* p = find(key);
  if (!p) return false;
  char* end = nullptr;
  const double v = std::strtod(p->value.c_str(), &end);
  if (p->value.empty() || *end != '\0' || !std::isfinite(v) || v < lo || v > hi) {
    warnings_.push_back("URL parameter " + p->key + "=" + p->value + " ignored: expected a number from " +
                        std::to_string(lo) + " to " + std::to_string(hi));
    return false;
  }
  out = float(v);
  return true;
}

bool UrlParams::take_bool(std::string_view key, bool& out) {
  UrlParam* p = find(key);
  if (!p) return false;
  const std::string& v = p->value;
  if (v == "1" || v == "true" || v == "yes" || v.empty())
    out = true;
  else if (v == "0" || v == "false" || v == "no")
    out = false;
  else {
    warnings_.push_back("URL parameter " + p->key + "=" + v + " ignored: expected 1 or 0");
    return false;
  }
  return true;
}

bool UrlParams::take_choice(std::string_view key, int& out, std::span<const char* const> choices) {
  UrlParam* p = find(key);
  if (!p) return false;
  int i = 0;
  std::string list;
  for (const char* c : choices) {
    if (p->value == c) {
      out = i;
      return true;
    }
    list += (i++ ? ", " : "") + std::string(c);
  }
  warnings_.push_back("URL parameter " + p->key + "=" + p->value + " ignored: expected one of " + list);
  return false;
}

bool UrlParams::take_list(std::string_view key, std::vector<std::string>& out, std::span<const std::string> allowed) {
  UrlParam* p = find(key);
  if (!p) return false;
  out.clear();
  std::string_view rest = p->value;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string name(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (name.empty()) continue;
    bool known = false;
    for (const std::string& a : allowed) known |= a == name;
    if (known) {
      out.push_back(name);
      continue;
    }
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    warnings_.push_back("URL parameter " + p->key + ": unknown name '" + name + "' ignored: expected some of " + list);
  }
  return true;
}

void UrlParams::reject(std::string_view key, std::string_view value, std::string_view why) {
  warnings_.push_back("URL parameter " + std::string(key) + "=" + std::string(value) + " ignored: " + std::string(why));
}

std::vector<std::string> UrlParams::finish() {
  std::vector<std::string> out = warnings_;
  for (const auto& p : params_)
    if (!p.used) out.push_back("unknown URL parameter '" + p.key + "' ignored");
  warnings_.clear();
  return out;
}

}  // namespace implay::app
