#include "common/json_codec.h"

#include <unicode/utf8.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/json_reader.h"
#include "common/text.h"

namespace checkin {

using nlohmann::json;

struct JsonObject::Impl {
  json j = json::object();
};

JsonObject::JsonObject() : impl_(std::make_unique<Impl>()) {}
JsonObject::~JsonObject() = default;
JsonObject::JsonObject(JsonObject&&) noexcept = default;
JsonObject& JsonObject::operator=(JsonObject&&) noexcept = default;

JsonObject& JsonObject::SetString(std::string_view key, std::string_view value) {
  impl_->j[std::string(key)] = std::string(value);
  return *this;
}
JsonObject& JsonObject::SetInt(std::string_view key, int64_t value) {
  impl_->j[std::string(key)] = value;
  return *this;
}
JsonObject& JsonObject::SetDouble(std::string_view key, double value) {
  impl_->j[std::string(key)] = std::isfinite(value) ? json(value) : json();
  return *this;
}
JsonObject& JsonObject::SetBool(std::string_view key, bool value) {
  impl_->j[std::string(key)] = value;
  return *this;
}
JsonObject& JsonObject::SetNull(std::string_view key) {
  impl_->j[std::string(key)] = nullptr;
  return *this;
}
JsonObject& JsonObject::SetObject(std::string_view key, JsonObject value) {
  impl_->j[std::string(key)] = std::move(value.impl_->j);
  return *this;
}
JsonObject& JsonObject::SetArray(std::string_view key, std::vector<JsonObject> items) {
  json arr = json::array();
  for (JsonObject& o : items) arr.push_back(std::move(o.impl_->j));
  impl_->j[std::string(key)] = std::move(arr);
  return *this;
}
JsonObject& JsonObject::SetStringArray(std::string_view key,
                                       const std::vector<std::string>& items) {
  impl_->j[std::string(key)] = items;
  return *this;
}

JsonObject& JsonObject::SetPointArray(std::string_view key,
                                      const std::vector<std::pair<double, double>>& points) {
  json arr = json::array();
  for (const auto& [x, y] : points) arr.push_back({x, y});
  impl_->j[std::string(key)] = std::move(arr);
  return *this;
}

namespace {
// Names and codes come from outside files: a stray byte must not make the
// whole line unprintable, so invalid UTF-8 is replaced, not thrown. nlohmann
// escapes only C0 controls; DEL, C1 controls and bidi overrides would reach a
// terminal raw. Outside strings a dump is ASCII, so each of them sits in a
// string, where its \u escape stands for the same character.
std::string DumpJson(const json& j) {
  const std::string dumped = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(dumped.size());
  const auto* s = reinterpret_cast<const uint8_t*>(dumped.data());
  const auto n = static_cast<int32_t>(dumped.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 cp;
    U8_NEXT(s, i, n, cp);
    if (cp >= 0x7F && IsTerminalControl(static_cast<uint32_t>(cp))) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(dumped, static_cast<size_t>(start), static_cast<size_t>(i - start));
    }
  }
  return out;
}
}  // namespace

std::string JsonObject::Dump() const { return DumpJson(impl_->j); }

std::string DumpArray(const std::vector<JsonObject>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += items[i].Dump();
  }
  return out + "]";
}

JsonObject AttendeeJson(const Attendee& a) {
  JsonObject o;
  o.SetInt("id", a.id)
      .SetString("first_name", a.first_name)
      .SetString("last_name", a.last_name)
      .SetString("company", a.company)
      .SetString("ticket_type", a.ticket_type)
      .SetString("status", TicketStatusName(a.status))
      .SetString("upstream_status", a.upstream_status)
      .SetString("email", MaskEmail(a.email));  // never the full address: door screens are public
  return o;
}

JsonObject PreviousJson(const PreviousCheckin& p) {
  JsonObject o;
  o.SetString("at", p.at).SetString("gate", p.gate).SetString("station", p.station);
  o.SetString("direction", DirectionName(p.direction));
  return o;
}

JsonObject DecisionJson(const Decision& d, std::string_view message) {
  JsonObject o;
  o.SetString("verdict", VerdictName(d.verdict))
      .SetString("code", d.code)
      .SetString("reason", d.reason);
  if (d.attendee) {
    o.SetObject("attendee", AttendeeJson(*d.attendee));
  } else {
    o.SetNull("attendee");
  }
  if (d.previous) {
    o.SetObject("previous", PreviousJson(*d.previous));
  } else {
    o.SetNull("previous");
  }
  o.SetString("message", message).SetString("gate", d.gate).SetString("station", d.station);
  o.SetString("direction", DirectionName(d.direction))
      .SetString("at", d.at)
      .SetString("checkin_id", d.checkin_uuid)
      .SetBool("offline", d.offline);
  return o;
}

JsonObject UndoJson(const UndoResult& u) {
  JsonObject o;
  o.SetObject("undone", PreviousJson(u.undone)).SetObject("attendee", AttendeeJson(u.attendee));
  o.SetString("undo_id", u.undo_uuid);
  return o;
}

JsonObject SearchHitJson(const SearchHit& h) {
  JsonObject o = AttendeeJson(h.attendee);
  if (h.in_force) {
    o.SetObject("checked_in", PreviousJson(*h.in_force));
  } else {
    o.SetNull("checked_in");
  }
  return o;
}

JsonObject StatsJson(const Stats& s, std::string_view event_name) {
  std::vector<JsonObject> types, gates;
  for (const auto& t : s.by_ticket_type) {
    JsonObject o;
    o.SetString("ticket_type", t.ticket_type)
        .SetInt("expected", t.expected)
        .SetInt("checked_in", t.checked_in);
    types.push_back(std::move(o));
  }
  for (const auto& g : s.by_gate) {
    JsonObject o;
    o.SetString("gate", g.gate)
        .SetInt("entries", g.entries)
        .SetInt("exits", g.exits)
        .SetInt("denials", g.denials);
    gates.push_back(std::move(o));
  }
  JsonObject denials;
  for (const auto& [verdict, n] : s.denials_by_verdict) denials.SetInt(verdict, n);
  JsonObject o;
  o.SetString("event", event_name)
      .SetInt("expected", s.expected)
      .SetInt("checked_in", s.checked_in);
  o.SetInt("inside_now", s.inside_now).SetInt("cancelled", s.cancelled);
  o.SetInt("conflicts", s.conflicts);
  o.SetArray("by_ticket_type", std::move(types)).SetArray("by_gate", std::move(gates));
  o.SetObject("denials", std::move(denials));
  return o;
}

JsonObject PrintJobJson(const PrintJob& j) {
  JsonObject o;
  o.SetInt("id", j.id).SetString("token", j.token).SetInt("attendee_id", j.attendee_id);
  o.SetString("station", j.station)
      .SetString("state", JobStateName(j.state))
      .SetInt("attempts", j.attempts);
  o.SetString("last_error", j.last_error)
      .SetString("claimed_by", j.claimed_by)
      .SetString("printer", j.printer);
  o.SetString("printer_job_id", j.printer_job_id).SetString("created_at", j.created_at);
  o.SetString("updated_at", j.updated_at).SetString("reason", j.reason);
  return o;
}

JsonObject QueueCountsJson(const QueueCounts& c) {
  JsonObject o;
  o.SetInt("queued", c.queued)
      .SetInt("printing", c.printing)
      .SetInt("done", c.done)
      .SetInt("failed", c.failed)
      .SetInt("cancelled", c.cancelled);
  return o;
}

// --- Decoding -------------------------------------------------------------

namespace {

using json_reader::ParseText;
using json_reader::Reader;
using json_reader::ReadPrevious;

Attendee ReadAttendee(const json& j, Reader& outer) {
  Reader r(j, "attendee");
  Attendee a;
  a.id = r.Int("id");
  a.first_name = r.String("first_name");
  a.last_name = r.String("last_name");
  a.company = r.String("company");
  a.ticket_type = r.String("ticket_type");
  a.status = r.Enum<TicketStatus>("status", ParseTicketStatus);
  a.upstream_status = r.String("upstream_status");
  a.email = r.String("email");
  outer.Adopt(r.status());
  return a;
}

}  // namespace

PreviousCheckin json_reader::ReadPrevious(const json& j, Reader& outer) {
  Reader r(j, "previous check-in");
  PreviousCheckin p;
  p.at = r.String("at");
  p.gate = r.String("gate");
  p.station = r.String("station");
  p.direction = r.Enum<Direction>("direction", ParseDirection);
  outer.Adopt(r.status());
  return p;
}

Result<Attendee> ParseAttendeeJson(std::string_view text) {
  auto j = ParseText(text, "attendee");
  if (!j.ok()) return j.status();
  Reader r(*j, "attendee");
  Attendee a = ReadAttendee(*j, r);
  if (!r.status().ok()) return r.status();
  return a;
}

Result<Decision> ParseDecisionJson(std::string_view text) {
  auto j = ParseText(text, "decision");
  if (!j.ok()) return j.status();
  Reader r(*j, "decision");
  Decision d;
  d.verdict = r.Enum<Verdict>("verdict", ParseVerdict);
  d.code = r.String("code");
  d.reason = r.String("reason");
  if (const json* a = r.Optional("attendee")) d.attendee = ReadAttendee(*a, r);
  if (const json* p = r.Optional("previous")) d.previous = ReadPrevious(*p, r);
  d.gate = r.String("gate");
  d.station = r.String("station");
  d.direction = r.Enum<Direction>("direction", ParseDirection);
  d.at = r.String("at");
  d.checkin_uuid = r.String("checkin_id");
  // Older lines (before stations could decide offline) have no "offline".
  if (const json* o = r.Optional("offline")) d.offline = o->is_boolean() && o->get<bool>();
  if (!r.status().ok()) return r.status();
  return d;
}

Result<Stats> ParseStatsJson(std::string_view text) {
  auto j = ParseText(text, "stats");
  if (!j.ok()) return j.status();
  Reader r(*j, "stats");
  Stats s;
  s.expected = r.Int("expected");
  s.checked_in = r.Int("checked_in");
  s.inside_now = r.Int("inside_now");
  s.cancelled = r.Int("cancelled");
  s.conflicts = r.Int("conflicts");
  auto each = [&r](const char* key, auto&& read) {
    const json* arr = r.Required(key);
    if (arr == nullptr) return;
    if (!arr->is_array())
      return r.Adopt(
          Status::InvalidInput(std::string("stats member '") + key + "' is not an array"));
    for (const json& item : *arr) read(item);
  };
  each("by_ticket_type", [&](const json& item) {
    Reader t(item, "ticket type");
    s.by_ticket_type.push_back({t.String("ticket_type"), t.Int("expected"), t.Int("checked_in")});
    r.Adopt(t.status());
  });
  each("by_gate", [&](const json& item) {
    Reader g(item, "gate");
    s.by_gate.push_back({g.String("gate"), g.Int("entries"), g.Int("exits"), g.Int("denials")});
    r.Adopt(g.status());
  });
  if (const json* d = r.Required("denials")) {
    if (!d->is_object()) r.Adopt(Status::InvalidInput("stats member 'denials' is not an object"));
    for (auto it = d->begin(); d->is_object() && it != d->end(); ++it) {
      if (!it->is_number_integer()) {
        r.Adopt(Status::InvalidInput("stats denials '" + it.key() + "' is not a whole number"));
        continue;
      }
      s.denials_by_verdict.emplace_back(it.key(), it->get<int64_t>());
    }
  }
  if (!r.status().ok()) return r.status();
  return s;
}

Result<PrintJob> ParsePrintJobJson(std::string_view text) {
  auto j = ParseText(text, "print job");
  if (!j.ok()) return j.status();
  Reader r(*j, "print job");
  PrintJob p;
  p.id = r.Int("id");
  p.token = r.String("token");
  p.attendee_id = r.Int("attendee_id");
  p.station = r.String("station");
  p.state = r.Enum<JobState>("state", ParseJobState);
  const int64_t attempts = r.Int("attempts");
  if (attempts < 0 || attempts > 1'000'000)
    r.Adopt(Status::InvalidInput("print job member 'attempts' is out of range"));
  p.attempts = static_cast<int>(attempts);
  p.last_error = r.String("last_error");
  p.claimed_by = r.String("claimed_by");
  p.printer = r.String("printer");
  p.printer_job_id = r.String("printer_job_id");
  p.created_at = r.String("created_at");
  p.updated_at = r.String("updated_at");
  // Optional: a hub from before reprint reasons sends none.
  if (const auto* reason = r.Optional("reason"); reason && reason->is_string())
    p.reason = reason->get<std::string>();
  if (!r.status().ok()) return r.status();
  return p;
}

}  // namespace checkin
