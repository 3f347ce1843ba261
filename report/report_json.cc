// The report as one JSON object for scripts: the keys of issue 13's contract
// and the rest of Report under its members' names, in reading order; and the
// same object read back, as a paired laptop gets it from the hub.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/json_reader.h"
#include "common/timezone.h"
#include "report/report.h"

namespace checkin::report {
namespace {

using json = nlohmann::ordered_json;  // members in the order written, for people who read it

json Bin(const TimeBin& b) { return {{"start", b.start}, {"start_s", b.start_s}, {"count", b.count}}; }

json Rates(const std::vector<DoorRate>& rates) {
  json out = json::array();
  for (const auto& d : rates) {
    out.push_back({{"name", d.name},
                   {"admissions", d.admissions},
                   {"busy_minutes", d.busy_minutes},
                   {"per_minute", d.per_minute}});
  }
  return out;
}

json People(const std::vector<Person>& people) {
  json out = json::array();
  for (const auto& p : people) {
    out.push_back({{"first_name", p.first_name},
                   {"last_name", p.last_name},
                   {"email", p.email},
                   {"ticket_type", p.ticket_type},
                   {"ticket_code", p.ticket_code}});
  }
  return out;
}

json Attendance(const Report& r) {
  json types = json::array();
  for (const auto& t : r.by_ticket_type) {
    types.push_back(
        {{"ticket_type", t.ticket_type}, {"registered", t.expected}, {"checked_in", t.checked_in}});
  }
  json days = json::array();
  for (const auto& d : r.by_day) {
    days.push_back({{"date", d.date},
                    {"checked_in", d.checked_in},
                    {"entries", d.entries},
                    {"denials", d.denials}});
  }
  return {{"registered", r.registered}, {"checked_in", r.checked_in}, {"show_rate", r.show_rate},
          {"by_ticket_type", types},    {"by_day", days}};
}

json Arrivals(const Report& r) {
  json total = json::array();
  for (const auto& b : r.arrivals) total.push_back(Bin(b));
  json by_gate = json::array();
  for (const auto& g : r.arrivals_by_gate) {
    json b = Bin(g.bin);
    b["gate"] = g.gate;
    by_gate.push_back(b);
  }
  return {{"bin_minutes", r.bin_minutes},
          {"arrivals", total},
          {"arrivals_by_gate", by_gate},
          {"peak_quarter_hour", r.peak_quarter_hour ? Bin(*r.peak_quarter_hour) : json(nullptr)},
          {"throughput_by_gate", Rates(r.throughput_by_gate)},
          {"throughput_by_station", Rates(r.throughput_by_station)}};
}

json Incidents(const Report& r) {
  json denials = json::object();
  for (const auto& [verdict, n] : r.denials) denials[verdict] = n;
  json reasons = json::array();
  for (const auto& d : r.denials_by_reason) {
    reasons.push_back({{"verdict", d.verdict}, {"reason", d.reason}, {"count", d.count}});
  }
  return {{"entries", r.entries},
          {"exits", r.exits},
          {"denials", denials},
          {"denials_by_reason", reasons},
          {"repeat_attempts", r.repeat_attempts},
          {"undos", r.undos},
          {"conflicts", r.conflicts},
          {"reprints", r.reprints},
          {"no_shows", r.no_shows},
          {"late_registrations", r.late_registrations}};
}

// --- reading it back --------------------------------------------------------

using json_reader::Reader;

// Each item of the array `key`, read by `read(item_reader)`; problems go to `r`.
template <typename T, typename F>
std::vector<T> Items(Reader& r, const char* key, F read) {
  std::vector<T> out;
  const nlohmann::json* a = r.Required(key);
  if (a == nullptr) return out;
  if (!a->is_array()) {
    r.Adopt(Status::InvalidInput(std::string("report member '") + key + "' is not a list"));
    return out;
  }
  out.reserve(a->size());
  for (const auto& item : *a) {
    Reader ir(item, std::string("an item of '") + key + "'");
    out.push_back(read(ir));
    r.Adopt(ir.status());
    if (!r.status().ok()) break;
  }
  return out;
}

TimeBin ReadBin(Reader& r) { return {r.String("start"), r.Int("start_s"), r.Int("count")}; }

DoorRate ReadRate(Reader& r) {
  return {r.String("name"), r.Int("admissions"), r.Int("busy_minutes"), r.Number("per_minute")};
}

Person ReadPerson(Reader& r) {
  return {r.String("first_name"), r.String("last_name"), r.String("email"),
          r.String("ticket_type"), r.String("ticket_code")};
}

void ReadAttendance(Reader& r, Report& out) {
  out.registered = r.Int("registered");
  out.checked_in = r.Int("checked_in");
  out.show_rate = r.Number("show_rate");
  out.by_ticket_type = Items<TicketTypeStats>(r, "by_ticket_type", [](Reader& t) {
    return TicketTypeStats{t.String("ticket_type"), t.Int("registered"), t.Int("checked_in")};
  });
  out.by_day = Items<DayFigures>(r, "by_day", [](Reader& d) {
    return DayFigures{d.String("date"), d.Int("checked_in"), d.Int("entries"), d.Int("denials")};
  });
}

void ReadArrivals(Reader& r, Report& out) {
  const int64_t bin = r.Int("bin_minutes");
  if (r.status().ok() && bin != 5 && bin != 15) {
    r.Adopt(Status::InvalidInput("report member 'bin_minutes' is neither 5 nor 15"));
  }
  out.bin_minutes = static_cast<int>(bin);
  out.arrivals = Items<TimeBin>(r, "arrivals", ReadBin);
  out.arrivals_by_gate = Items<GateBin>(r, "arrivals_by_gate", [](Reader& g) {
    return GateBin{g.String("gate"), ReadBin(g)};
  });
  if (const nlohmann::json* peak = r.Optional("peak_quarter_hour")) {
    Reader p(*peak, "report member 'peak_quarter_hour'");
    out.peak_quarter_hour = ReadBin(p);
    r.Adopt(p.status());
  }
  out.throughput_by_gate = Items<DoorRate>(r, "throughput_by_gate", ReadRate);
  out.throughput_by_station = Items<DoorRate>(r, "throughput_by_station", ReadRate);
}

void ReadIncidents(Reader& r, Report& out) {
  out.entries = r.Int("entries");
  out.exits = r.Int("exits");
  if (const nlohmann::json* d = r.Required("denials")) {
    if (!d->is_object()) {
      r.Adopt(Status::InvalidInput("report member 'denials' is not an object"));
    } else {
      Reader dr(*d, "report member 'denials'");
      for (const auto& [verdict, n] : d->items()) out.denials.emplace_back(verdict, dr.Int(verdict.c_str()));
      r.Adopt(dr.status());
      // An object's members have no order; ComputeReport's is the most
      // frequent first, then by name.
      std::stable_sort(out.denials.begin(), out.denials.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
    }
  }
  out.denials_by_reason = Items<DenialReason>(r, "denials_by_reason", [](Reader& d) {
    return DenialReason{d.String("verdict"), d.String("reason"), d.Int("count")};
  });
  out.repeat_attempts = r.Int("repeat_attempts");
  out.undos = r.Int("undos");
  out.conflicts = r.Int("conflicts");
  out.reprints = r.Int("reprints");
  out.no_shows = r.Int("no_shows");
  out.late_registrations = r.Int("late_registrations");
}

// Whether `s` has the shape of `pattern`, where 'd' stands for a digit: the
// formats cut dates and times out of these strings by position.
bool Shaped(const std::string& s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool digit = s[i] >= '0' && s[i] <= '9';
    if (pattern[i] == 'd' ? !digit : s[i] != pattern[i]) return false;
  }
  return true;
}

// The times and dates of a report read back, each in the shape ComputeReport
// writes it.
Status CheckShapes(const Report& r) {
  constexpr std::string_view kDate = "dddd-dd-dd", kMinute = "dddd-dd-ddTdd:dd";
  const auto bad = [](const char* member, const std::string& value) {
    return Status::InvalidInput(std::string("report member '") + member + "' has an odd value '" +
                                value + "'");
  };
  if (!ParseUtc(r.generated_at).ok()) return bad("generated_at", r.generated_at);
  if (!r.day.empty() && !Shaped(r.day, kDate)) return bad("day", r.day);
  if (!Shaped(r.first_checkin, kMinute)) return bad("first_checkin", r.first_checkin);
  if (!Shaped(r.last_checkin, kMinute)) return bad("last_checkin", r.last_checkin);
  for (const auto& d : r.by_day) {
    if (!Shaped(d.date, kDate)) return bad("by_day", d.date);
  }
  for (const auto& b : r.arrivals) {
    if (!Shaped(b.start, kMinute)) return bad("arrivals", b.start);
  }
  for (const auto& g : r.arrivals_by_gate) {
    if (!Shaped(g.bin.start, kMinute)) return bad("arrivals_by_gate", g.bin.start);
  }
  if (r.peak_quarter_hour && !Shaped(r.peak_quarter_hour->start, kMinute)) {
    return bad("peak_quarter_hour", r.peak_quarter_hour->start);
  }
  return Status::Ok();
}

}  // namespace

Result<Report> ParseReportJson(std::string_view text, Language lang) {
  auto j = json_reader::ParseText(text, "the report");
  Report out;
  Status problem;
  if (!j.ok()) {
    problem = j.status();
  } else {
    Reader r(*j, "the report");
    out.event = r.String("event");
    out.timezone = r.String("timezone");
    if (r.Optional("day") != nullptr) out.day = r.String("day");
    out.generated_at = r.String("generated_at");
    out.first_checkin = r.String("first_checkin");
    out.last_checkin = r.String("last_checkin");
    ReadAttendance(r, out);
    ReadArrivals(r, out);
    ReadIncidents(r, out);
    if (r.Optional("no_show_list") != nullptr || r.Optional("late_list") != nullptr) {
      out.names = Names::kListed;
      out.no_show_list = Items<Person>(r, "no_show_list", ReadPerson);
      out.late_list = Items<Person>(r, "late_list", ReadPerson);
    }
    problem = r.status();
    if (problem.ok()) problem = CheckShapes(out);
  }
  if (!problem.ok()) {
    return Status::InvalidInput(Localized(lang, "el informe recibido no se puede leer (",
                                          "the report received cannot be read (") +
                                problem.message() + ")");
  }
  return out;
}

std::string ReportJson(const Report& r) {
  json out = {{"event", r.event},
              {"timezone", r.timezone},
              {"day", r.day.empty() ? json(nullptr) : json(r.day)},
              {"generated_at", r.generated_at},
              {"first_checkin", r.first_checkin},
              {"last_checkin", r.last_checkin}};
  for (const json& part : {Attendance(r), Arrivals(r), Incidents(r)}) out.update(part);
  if (r.names == Names::kListed) {
    out["no_show_list"] = People(r.no_show_list);
    out["late_list"] = People(r.late_list);
  }
  // Names and reasons come from outside: replace bad UTF-8 rather than throw.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace checkin::report
