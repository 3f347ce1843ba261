// Reading a platform's JSON page member by member, for the sync module's own
// .cc files only (it exposes simdjson, which stays out of public headers).
// simdjson rather than nlohmann: a 20,000-ticket pretix event is 22 MB of
// JSON, and reading it into nlohmann's tree of maps and strings cost more
// than storing the roster did (bench/RESULTS.md, "Roster sync").
// The first problem sticks and names its place, so a page is read straight
// through and fails once. Pure; thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "db/roster_format.h"

namespace checkin::sync {

inline constexpr size_t kMaxValueBytes = 512;  // as the CSV import

using JsonValue = simdjson::dom::element;
using JsonArray = simdjson::dom::array;

// One parsed page. Every JsonValue read from it points into it, so it
// outlives them; it is neither copied nor moved for that reason.
class JsonPage {
 public:
  JsonPage() = default;
  JsonPage(const JsonPage&) = delete;
  JsonPage& operator=(const JsonPage&) = delete;
  // InvalidInput "WHAT is not valid JSON (cut short or malformed)", which
  // covers text that is not UTF-8 and numbers too large for 64 bits.
  Status Parse(std::string_view body, const char* what);
  JsonValue root() const { return root_; }

 private:
  simdjson::dom::parser parser_;
  JsonValue root_;
};

class Members {
 public:
  // `where` names the object in messages ("order ABC12 position 1").
  Members(JsonValue j, std::string where, Status* st);
  std::string Str(const char* key);     // required string
  std::string OptStr(const char* key);  // a string, null or absent ("")
  int64_t Int(const char* key);
  std::optional<int64_t> OptInt(const char* key);
  bool OptBool(const char* key);                                   // absent or null: false
  std::optional<JsonValue> OptObject(const char* key);             // an object; none if null/absent
  std::optional<JsonArray> Array(const char* key, bool nullable);  // none when absent and nullable
  std::optional<JsonValue> Raw(const char* key);                   // any value; none if null/absent
  void Problem(const std::string& key, const std::string& what);
  bool ok() const { return st_->ok(); }

 private:
  std::optional<JsonValue> Find(const char* key, bool nullable);
  JsonValue j_;
  std::string where_;
  Status* st_;
};

// The value as text, when it is a string.
std::optional<std::string> StringOf(JsonValue v);
// The value as a whole number, when it is one that fits 64 bits.
std::optional<int64_t> IntOf(JsonValue v);

// The CSV import's rule for a combined name: split at the last space.
void SplitFullName(const std::string& full, std::string* first, std::string* last);

// A ticket the platform gave no name (events that ask only the buyer's):
// the order code, else the ticket id, stands in. Never the email: the name
// is printed on the badge and shown at the door (Ley 1581); the desk finds
// the ticket by its email all the same.
void NameTheNameless(db::RosterRecord* r);

// InvalidInput naming `where` when a field is longer than the CSV import takes.
Status CheckLengths(const db::RosterRecord& r, const std::string& where);

}  // namespace checkin::sync
