// Reading JSON from outside, member by member, for the codecs' .cc files
// (common/json_codec.cc, hub/protocol.cc, report/report_json.cc): nlohmann stays out of every
// public header, so include this one only from a .cc.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/verdict.h"

namespace checkin::json_reader {

using nlohmann::json;

// Reads members of one object, remembering the first problem so a decoder
// reads straight through and reports "member 'x': ..." once at the end.
class Reader {
 public:
  Reader(const json& j, std::string where) : j_(j), where_(std::move(where)) {
    if (!j_.is_object()) Problem("", "is not a JSON object");
  }
  std::string String(const char* key) {
    const json* v = Find(key);
    if (v == nullptr) return {};
    if (!v->is_string()) return Problem(key, "is not a string"), std::string();
    return v->get<std::string>();
  }
  int64_t Int(const char* key) {
    const json* v = Find(key);
    if (v == nullptr) return 0;
    if (!v->is_number_integer()) return Problem(key, "is not a whole number"), 0;
    return v->get<int64_t>();
  }
  double Number(const char* key) {
    const json* v = Find(key);
    if (v == nullptr) return 0;
    if (!v->is_number()) return Problem(key, "is not a number"), 0;
    return v->get<double>();
  }
  bool Bool(const char* key) {
    const json* v = Find(key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) return Problem(key, "is not true or false"), false;
    return v->get<bool>();
  }
  // Null or missing: nullptr, no problem.
  const json* Optional(const char* key) {
    if (!j_.is_object()) return nullptr;
    auto it = j_.find(key);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  const json* Required(const char* key) { return Find(key); }
  template <typename T>
  T Enum(const char* key, std::optional<T> (*parse)(std::string_view)) {
    const std::string name = String(key);
    if (!status_.ok() || !j_.is_object() || !j_.contains(key)) return T{};
    auto v = parse(name);
    if (!v) return Problem(key, "has an unknown value '" + name + "'"), T{};
    return *v;
  }
  void Adopt(const Status& s) {
    if (status_.ok() && !s.ok()) status_ = s;
  }
  const Status& status() const { return status_; }

 private:
  const json* Find(const char* key) {
    if (!j_.is_object()) return nullptr;
    auto it = j_.find(key);
    if (it == j_.end()) return Problem(key, "is missing"), nullptr;
    return &*it;
  }
  void Problem(const std::string& key, const std::string& what) {
    if (!status_.ok()) return;
    status_ = Status::InvalidInput(where_ + (key.empty() ? " " : " member '" + key + "' ") + what);
  }
  const json& j_;
  std::string where_;
  Status status_;
};

// A previous check-in, {at, gate, station, direction}: the one shape both
// codecs give it. Problems go to `outer`. Defined in common/json_codec.cc.
PreviousCheckin ReadPrevious(const json& j, Reader& outer);

// Parses `text`; InvalidInput "<what> is not valid JSON" otherwise.
inline Result<json> ParseText(std::string_view text, std::string_view what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidInput(std::string(what) + " is not valid JSON");
  return j;
}

}  // namespace checkin::json_reader
