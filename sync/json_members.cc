#include "sync/json_members.h"

namespace checkin::sync {

Status JsonPage::Parse(std::string_view body, const char* what) {
  // Copies the body into a padded buffer: simdjson reads past the end.
  auto parsed = parser_.parse(body.data(), body.size(), /*realloc_if_needed=*/true);
  if (parsed.error() != simdjson::SUCCESS) {
    return Status::InvalidInput(std::string(what) + " is not valid JSON (cut short or malformed)");
  }
  root_ = parsed.value_unsafe();
  return Status::Ok();
}

std::optional<std::string> StringOf(JsonValue v) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return std::string(s);
}

std::optional<int64_t> IntOf(JsonValue v) {
  int64_t n = 0;
  if (v.get_int64().get(n) != simdjson::SUCCESS) return std::nullopt;
  return n;
}

Members::Members(JsonValue j, std::string where, Status* st)
    : j_(j), where_(std::move(where)), st_(st) {
  if (!j_.is_object()) Problem("", "is not a JSON object");
}

std::string Members::Str(const char* key) {
  auto v = Find(key, /*nullable=*/false);
  if (!v) return {};
  auto s = StringOf(*v);
  if (!s) return Problem(key, "is not a string"), std::string();
  return std::move(*s);
}

std::string Members::OptStr(const char* key) {
  auto v = Find(key, /*nullable=*/true);
  if (!v) return {};
  auto s = StringOf(*v);
  if (!s) return Problem(key, "is not a string or null"), std::string();
  return std::move(*s);
}

int64_t Members::Int(const char* key) {
  auto v = Find(key, /*nullable=*/false);
  if (!v) return 0;
  auto n = IntOf(*v);
  if (!n) return Problem(key, "is not a whole number"), 0;
  return *n;
}

std::optional<int64_t> Members::OptInt(const char* key) {
  auto v = Find(key, /*nullable=*/true);
  if (!v) return std::nullopt;
  auto n = IntOf(*v);
  if (!n) return Problem(key, "is not a whole number or null"), 0;
  return n;
}

bool Members::OptBool(const char* key) {
  auto v = Find(key, /*nullable=*/true);
  if (!v) return false;
  bool b = false;
  if (v->get_bool().get(b) != simdjson::SUCCESS) return Problem(key, "is not true or false"), false;
  return b;
}

std::optional<JsonValue> Members::OptObject(const char* key) {
  auto v = Find(key, /*nullable=*/true);
  if (v && !v->is_object()) return Problem(key, "is not an object or null"), std::nullopt;
  return v;
}

std::optional<JsonArray> Members::Array(const char* key, bool nullable) {
  auto v = Find(key, nullable);
  if (!v) return std::nullopt;
  JsonArray a;
  if (v->get_array().get(a) != simdjson::SUCCESS)
    return Problem(key, "is not a list"), std::nullopt;
  return a;
}

std::optional<JsonValue> Members::Raw(const char* key) { return Find(key, /*nullable=*/true); }

void Members::Problem(const std::string& key, const std::string& what) {
  if (!st_->ok()) return;
  *st_ = Status::InvalidInput(where_ + (key.empty() ? " " : " member '" + key + "' ") + what);
}

std::optional<JsonValue> Members::Find(const char* key, bool nullable) {
  simdjson::dom::object o;
  if (j_.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  JsonValue v;
  const bool absent = o.at_key(key).get(v) != simdjson::SUCCESS;
  if (absent || v.is_null()) {
    if (!nullable) Problem(key, absent ? "is missing" : "is null");
    return std::nullopt;
  }
  return v;
}

void SplitFullName(const std::string& full, std::string* first, std::string* last) {
  const auto sp = full.rfind(' ');
  *first = sp == std::string::npos ? full : full.substr(0, sp);
  *last = sp == std::string::npos ? "" : full.substr(sp + 1);
}

void NameTheNameless(db::RosterRecord* r) {
  if (!r->first_name.empty() || !r->last_name.empty()) return;
  r->first_name = r->order_id.empty() ? r->ticket_id : r->order_id;
}

Status CheckLengths(const db::RosterRecord& r, const std::string& where) {
  for (const std::string* f : {&r.first_name, &r.last_name, &r.email, &r.company, &r.ticket_type}) {
    if (f->size() > kMaxValueBytes) {
      return Status::InvalidInput(where + " has a value longer than " +
                                  std::to_string(kMaxValueBytes) + " bytes");
    }
  }
  return Status::Ok();
}

}  // namespace checkin::sync
