// The report as one JSON object for scripts: the keys of issue 13's contract
// and the rest of Report under its members' names, in reading order.
#include <nlohmann/json.hpp>

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

}  // namespace

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
