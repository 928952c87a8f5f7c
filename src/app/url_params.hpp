// url_params.hpp — the page's query string (?lab=knn&k=5&metric=l1&embed=1) as key/value pairs
// that the app and each lab take what they understand from. Whatever is left over, or has a
// value that does not parse, becomes a console warning and is ignored: a bad link in a course
// page must still open the playground.
#pragma once
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace implay::app {

struct UrlParam {
  std::string key, value;
  bool used = false;  // taken by the app or a lab
};

class UrlParams {
 public:
  UrlParams() = default;
  explicit UrlParams(std::string_view query);  // with or without the leading '?'

  // Each take_* marks the key used. It returns true and sets `out` for a valid value; for an
  // invalid one it records a warning and leaves `out` unchanged. Missing keys return false.
  bool take_string(std::string_view key, std::string& out);
  bool take_int(std::string_view key, int& out, int lo, int hi);
  bool take_float(std::string_view key, float& out, float lo, float hi);
  bool take_bool(std::string_view key, bool& out);  // 1/0/true/false/yes/no
  // `out` becomes the index of the value among `choices`.
  bool take_choice(std::string_view key, int& out, std::span<const char* const> choices);
  bool take_choice(std::string_view key, int& out, std::initializer_list<const char*> choices) {
    return take_choice(key, out, std::span<const char* const>(choices.begin(), choices.size()));
  }
  // hide=settings,plot: the comma-separated names in `out`; a name not among `allowed` is
  // dropped with a warning that lists the allowed ones.
  bool take_list(std::string_view key, std::vector<std::string>& out, std::span<const std::string> allowed);

  // A value the caller parsed itself and refuses: "URL parameter key=value ignored: <why>".
  void reject(std::string_view key, std::string_view value, std::string_view why);

  // Warnings for invalid values so far plus one per unused key; call once, after every taker.
  std::vector<std::string> finish();

  const std::vector<UrlParam>& params() const { return params_; }

 private:
  UrlParam* find(std::string_view key);
  std::vector<UrlParam> params_;
  std::vector<std::string> warnings_;
};

// "%20" and '+' decoded; malformed escapes kept as they are. "%00" becomes a NUL character,
// which UrlParams refuses (with a warning) in a key or a value.
std::string url_decode(std::string_view s);

}  // namespace implay::app
