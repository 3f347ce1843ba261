#include "sync/json_members.h"

namespace checkin::sync {

Members::Members(const json& j, std::string where, Status* st)
    : j_(j), where_(std::move(where)), st_(st) {
  if (!j_.is_object()) Problem("", "is not a JSON object");
}

std::string Members::Str(const char* key) {
  const json* v = Find(key, /*nullable=*/false);
  if (v == nullptr) return {};
  if (!v->is_string()) return Problem(key, "is not a string"), std::string();
  return v->get<std::string>();
}

std::string Members::OptStr(const char* key) {
  const json* v = Find(key, /*nullable=*/true);
  if (v == nullptr) return {};
  if (!v->is_string()) return Problem(key, "is not a string or null"), std::string();
  return v->get<std::string>();
}

int64_t Members::Int(const char* key) {
  const json* v = Find(key, /*nullable=*/false);
  if (v == nullptr) return 0;
  if (!v->is_number_integer()) return Problem(key, "is not a whole number"), 0;
  return v->get<int64_t>();
}

std::optional<int64_t> Members::OptInt(const char* key) {
  const json* v = Find(key, /*nullable=*/true);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer()) return Problem(key, "is not a whole number or null"), 0;
  return v->get<int64_t>();
}

bool Members::OptBool(const char* key) {
  const json* v = Find(key, /*nullable=*/true);
  if (v == nullptr) return false;
  if (!v->is_boolean()) return Problem(key, "is not true or false"), false;
  return v->get<bool>();
}

const Members::json* Members::OptObject(const char* key) {
  const json* v = Find(key, /*nullable=*/true);
  if (v != nullptr && !v->is_object()) return Problem(key, "is not an object or null"), nullptr;
  return v;
}

const Members::json* Members::Array(const char* key, bool nullable) {
  const json* v = Find(key, nullable);
  if (v != nullptr && !v->is_array()) return Problem(key, "is not a list"), nullptr;
  return v;
}

const Members::json* Members::Raw(const char* key) { return Find(key, /*nullable=*/true); }

void Members::Problem(const std::string& key, const std::string& what) {
  if (!st_->ok()) return;
  *st_ = Status::InvalidInput(where_ + (key.empty() ? " " : " member '" + key + "' ") + what);
}

const Members::json* Members::Find(const char* key, bool nullable) {
  if (!j_.is_object()) return nullptr;
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) {
    if (!nullable) Problem(key, it == j_.end() ? "is missing" : "is null");
    return nullptr;
  }
  return &*it;
}

Result<nlohmann::json> Parse(std::string_view body, const char* what) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::InvalidInput(std::string(what) + " is not valid JSON (cut short or malformed)");
  }
  return j;
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
