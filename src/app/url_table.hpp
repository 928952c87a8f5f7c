// url_table.hpp — one table per lab of what its address holds: each setting's key, the values
// allowed, a line of documentation and how to read it into the lab's state and write it back,
// and the panels hide= may hide. A lab's apply_url, the address the app keeps up to date, the
// README's parameter list and window.implay.urlTable() all come from its table.
#pragma once
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/url_params.hpp"

namespace implay::app {

enum class UrlKind {
  Int,
  Float,
  Choice,
  Bool,
  Text,  // a value the lab parses itself, such as a list of layer widths "8,8"
};

// What a setting accepts, without the state it lives in.
struct UrlSpec {
  const char* key;
  const char* doc;  // one line, for the README and urlTable()
  UrlKind kind;
  double lo = 0, hi = 0;             // Int, Float: the allowed range
  std::vector<const char*> choices;  // Choice: the URL's words, index = value
  const char* allowed = nullptr;     // Text: what is allowed, for the documentation
};

// A setting of a lab with state `State`. get gives the value as a number (Choice: the index of
// the word, Bool: 0 or 1); set stores one that the reader already checked against the spec.
// A Text setting has get_text and set_text instead; set_text throws implay::Error naming what is
// wrong with a value, which the reader turns into the console warning.
template <class State>
struct UrlSetting : UrlSpec {
  double (*get)(const State&) = nullptr;
  void (*set)(State&, double) = nullptr;
  std::string (*get_text)(const State&) = nullptr;
  void (*set_text)(State&, const std::string&) = nullptr;

  std::string text(const State& s) const { return kind == UrlKind::Text ? get_text(s) : url_value_text(*this, get(s)); }
};

// A part of a lab that hide= can hide in an embed (LabContext::shown asks).
struct UrlPanel {
  const char* name;
  const char* doc;
};

template <class State>
struct UrlTable {
  std::vector<UrlSetting<State>> settings;
  std::vector<UrlPanel> panels;
};

// An enum value and the word the URL spells it with.
template <class E>
struct UrlWord {
  E value;
  const char* word;
};

// [SECTION] the typeless part (url_table.cpp) -------------------------------------------------

// Takes the spec's key from `params`: true with the value in `out` when it is valid (an invalid
// one becomes UrlParams' warning naming what is allowed).
bool take_url_value(UrlParams& params, const UrlSpec& spec, double& out);
// The value as the address writes it: "7", "0.05" (the shortest text that reads back the same
// float), "l1", "1".
std::string url_value_text(const UrlSpec& spec, double value);
// "1–25", "l1 | l2", "0 or 1": what the documentation says is allowed.
std::string url_allowed_text(const UrlSpec& spec);
nlohmann::json url_spec_json(const UrlSpec& spec);
// Runs `store` (a Text setting's set_text) for the value `text` of `key`: true when it stored it;
// false when it threw implay::Error, whose message becomes the warning for the value.
bool set_url_text(UrlParams& params, const char* key, const std::string& text, const std::function<void()>& store);
// A Text setting's comma list of whole numbers, "8,8" → {8, 8}, each in lo..hi; throws
// implay::Error naming the bad entry and what `what` ("layer width", "count") allows.
std::vector<long long> parse_url_int_list(const std::string& text, long long lo, long long hi, const char* what);
// Appends "&key=value" (the value %-escaped where it must be) to a query.
void append_query(std::string& query, const std::string& key, const std::string& value);

// [SECTION] readers and writers ---------------------------------------------------------------

template <class State>
void apply_url_table(const UrlTable<State>& table, State& s, UrlParams& params) {
  for (const UrlSetting<State>& setting : table.settings) {
    if (setting.kind == UrlKind::Text) {
      std::string text;
      if (params.take_string(setting.key, text))
        set_url_text(params, setting.key, text, [&] { setting.set_text(s, text); });
      continue;
    }
    double v = 0;
    if (take_url_value(params, setting, v)) setting.set(s, v);
  }
}

// Appends the settings a link needs: those whose value differs from what reading the link so far
// would give a fresh state (a setting may set others: epochs= sets NADE's epochs too, mode=
// decides which λ lambda= shows).
template <class State>
void write_url_table(const UrlTable<State>& table, const State& s, std::string& query) {
  State read_back{};
  for (const UrlSetting<State>& setting : table.settings) {
    const std::string value = setting.text(s);
    if (value == setting.text(read_back)) continue;
    append_query(query, setting.key, value);
    if (setting.kind == UrlKind::Text)
      setting.set_text(read_back, value);
    else
      setting.set(read_back, setting.get(s));
  }
}

// Every setting's value as the address would spell it: {"k": "5", "metric": "l2", …}.
template <class State>
nlohmann::json url_values_json(const UrlTable<State>& table, const State& s) {
  nlohmann::json out = nlohmann::json::object();
  for (const UrlSetting<State>& setting : table.settings) out[setting.key] = setting.text(s);
  return out;
}

template <class State>
nlohmann::json url_table_json(const UrlTable<State>& table) {
  nlohmann::json settings = nlohmann::json::array(), panels = nlohmann::json::array();
  for (const UrlSpec& spec : table.settings) settings.push_back(url_spec_json(spec));
  for (const UrlPanel& p : table.panels) panels.push_back({{"name", p.name}, {"doc", p.doc}});
  return {{"settings", settings}, {"panels", panels}};
}

// [SECTION] the helpers each table is written with --------------------------------------------
// `Field` is a captureless lambda naming the field, `[](auto& s) -> auto& { return s.points.seed; }`,
// so nested fields work; the setting's get and set are made from it.

template <class State, class Field>
UrlSetting<State> url_int(const char* key, int lo, int hi, const char* doc, Field) {
  return {{key, doc, UrlKind::Int, double(lo), double(hi), {}},
          [](const State& s) { return double(Field{}(const_cast<State&>(s))); },
          [](State& s, double v) {
            using T = std::remove_reference_t<decltype(Field{}(s))>;
            Field{}(s) = T(v);
          }};
}

template <class State, class Field>
UrlSetting<State> url_float(const char* key, double lo, double hi, const char* doc, Field) {
  return {{key, doc, UrlKind::Float, lo, hi, {}},
          [](const State& s) { return double(Field{}(const_cast<State&>(s))); },
          [](State& s, double v) {
            using T = std::remove_reference_t<decltype(Field{}(s))>;
            Field{}(s) = T(v);
          }};
}

template <class State, class Field>
UrlSetting<State> url_bool(const char* key, const char* doc, Field) {
  return {{key, doc, UrlKind::Bool, 0, 1, {}},
          [](const State& s) { return Field{}(const_cast<State&>(s)) ? 1.0 : 0.0; },
          [](State& s, double v) { Field{}(s) = v != 0; }};
}

// An enum field and its words (`Words`: a constexpr array of UrlWord<E>).
template <class State, const auto& Words, class Field>
UrlSetting<State> url_enum(const char* key, const char* doc, Field) {
  std::vector<const char*> choices;
  for (const auto& w : Words) choices.push_back(w.word);
  return {{key, doc, UrlKind::Choice, 0, double(choices.size() - 1), choices},
          [](const State& s) {
            double index = 0;
            for (size_t i = 0; i < std::size(Words); ++i)
              if (Words[i].value == Field{}(const_cast<State&>(s))) index = double(i);
            return index;
          },
          [](State& s, double v) { Field{}(s) = Words[size_t(v)].value; }};
}

// A setting the lab parses itself: `get` writes the field as the address spells it, `set`
// parses and stores a value or throws implay::Error saying what is wrong; `allowed` documents it.
template <class State>
UrlSetting<State> url_text(const char* key, const char* allowed, const char* doc, std::string (*get)(const State&),
                           void (*set)(State&, const std::string&)) {
  UrlSetting<State> setting{{key, doc, UrlKind::Text, 0, 0, {}, allowed}};
  setting.get_text = get;
  setting.set_text = set;
  return setting;
}

// mode=: the lab's tab (`State::tab` or another field), which the tab bar then selects.
template <class State, const auto& Words, class Field>
UrlSetting<State> url_tab(const char* doc, Field field) {
  UrlSetting<State> setting = url_enum<State, Words>("mode", doc, field);
  setting.set = [](State& s, double v) {
    Field{}(s) = Words[size_t(v)].value;
    s.select_tab = true;
  };
  return setting;
}

}  // namespace implay::app
