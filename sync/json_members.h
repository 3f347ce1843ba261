// Reading a platform's JSON page member by member, for the sync module's own
// .cc files only (it exposes nlohmann, which stays out of public headers).
// The first problem sticks and names its place, so a page is read straight
// through and fails once. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "db/roster_format.h"

namespace checkin::sync {

inline constexpr size_t kMaxValueBytes = 512;  // as the CSV import

class Members {
 public:
  using json = nlohmann::json;
  // `where` names the object in messages ("order ABC12 position 1").
  Members(const json& j, std::string where, Status* st);
  std::string Str(const char* key);     // required string
  std::string OptStr(const char* key);  // a string, null or absent ("")
  int64_t Int(const char* key);
  std::optional<int64_t> OptInt(const char* key);
  bool OptBool(const char* key);                      // absent or null: false
  const json* OptObject(const char* key);             // an object, or null/absent (nullptr)
  const json* Array(const char* key, bool nullable);  // nullptr when absent and nullable
  const json* Raw(const char* key);                   // any value; nullptr when null/absent
  void Problem(const std::string& key, const std::string& what);
  bool ok() const { return st_->ok(); }

 private:
  const json* Find(const char* key, bool nullable);
  const json& j_;
  std::string where_;
  Status* st_;
};

// InvalidInput "WHAT is not valid JSON (cut short or malformed)".
Result<nlohmann::json> Parse(std::string_view body, const char* what);

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
