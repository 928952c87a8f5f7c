// fuzz_url_params.cpp — libFuzzer target for app/url_params.hpp (the page's query string: any
// link in a course page reaches it). UrlParams never throws: every bad value becomes a warning.
// The input is the query; the takers ask for the keys the labs use plus a few the input may
// repeat, and finish() runs last, as in app.cpp. Only url_params.cpp is compiled in, not ImGui.
#include "app/url_params.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query = implay::fuzz::as_text(data, size);
  implay::app::UrlParams params(query);
  // A taker that returns true has stored a value inside its range.
  std::string s;
  int i = 0;
  float f = 0;
  bool b = false;
  params.take_string("lab", s);
  if (params.take_int("k", i, 1, 50)) FUZZ_CHECK(i >= 1 && i <= 50);
  params.take_int("n", i, -2147483647 - 1, 2147483647);  // the whole int range: strtol's long must fit
  if (params.take_float("lr", f, 1e-6f, 10.0f)) FUZZ_CHECK(f >= 1e-6f && f <= 10.0f);
  if (params.take_float("x", f, -1e30f, 1e30f)) FUZZ_CHECK(f >= -1e30f && f <= 1e30f);
  params.take_bool("embed", b);
  if (params.take_choice("metric", i, {"l1", "l2", "linf", "cosine"})) FUZZ_CHECK(i >= 0 && i < 4);
  params.take_string("", s);                                          // an empty key, as "?=x" or "?&" give
  if (params.take_int("k", i, 1, 50)) FUZZ_CHECK(i >= 1 && i <= 50);  // a key taken twice
  params.finish();
  for (const auto& p : params.params()) FUZZ_CHECK(p.key.size() <= query.size() && p.value.size() <= query.size());
  FUZZ_CHECK(implay::app::url_decode(query).size() <= query.size());
  return 0;
}
