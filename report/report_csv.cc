// The report as CSV, one table per file (RFC 4180, UTF-8, CRLF), headers
// named like the JSON's members so a script reads either the same way.
#include <charconv>
#include <string_view>

#include "common/text.h"
#include "report/report.h"

namespace checkin::report {
namespace {

// Quoted only when it must be; defused, since names come from whoever
// registered (no figure of ours starts like a formula).
std::string Field(const std::string& text) {
  const std::string s = DefuseFormula(text);
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The shortest text that reads back as `v`, as the JSON writes it.
std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "0";
}

class Table {
 public:
  explicit Table(std::initializer_list<std::string> header) { Row(header); }
  Table& Row(std::initializer_list<std::string> cells) {
    bool first = true;
    for (const auto& c : cells) {
      if (!first) text_ += ',';
      text_ += Field(c);
      first = false;
    }
    text_ += "\r\n";
    return *this;
  }
  std::string text() const { return text_; }

 private:
  std::string text_;
};

using std::to_string;

std::string Summary(const Report& r) {
  Table t({"key", "value"});
  t.Row({"event", r.event}).Row({"timezone", r.timezone}).Row({"day", r.day});
  t.Row({"generated_at", r.generated_at}).Row({"first_checkin", r.first_checkin});
  t.Row({"last_checkin", r.last_checkin}).Row({"registered", to_string(r.registered)});
  t.Row({"checked_in", to_string(r.checked_in)}).Row({"show_rate", Number(r.show_rate)});
  t.Row({"bin_minutes", to_string(r.bin_minutes)}).Row({"entries", to_string(r.entries)});
  t.Row({"exits", to_string(r.exits)}).Row({"repeat_attempts", to_string(r.repeat_attempts)});
  t.Row({"undos", to_string(r.undos)}).Row({"conflicts", to_string(r.conflicts)});
  t.Row({"reprints", to_string(r.reprints)}).Row({"no_shows", to_string(r.no_shows)});
  t.Row({"late_registrations", to_string(r.late_registrations)});
  if (r.peak_quarter_hour) {
    t.Row({"peak_quarter_hour_start", r.peak_quarter_hour->start});
    t.Row({"peak_quarter_hour_count", to_string(r.peak_quarter_hour->count)});
  }
  return t.text();
}

std::string Rates(const std::vector<DoorRate>& rates) {
  Table t({"name", "admissions", "busy_minutes", "per_minute"});
  for (const auto& d : rates) {
    t.Row({d.name, to_string(d.admissions), to_string(d.busy_minutes), Number(d.per_minute)});
  }
  return t.text();
}

std::string People(const std::vector<Person>& people) {
  Table t({"first_name", "last_name", "email", "ticket_type", "ticket_code"});
  for (const auto& p : people) {
    t.Row({p.first_name, p.last_name, p.email, p.ticket_type, p.ticket_code});
  }
  return t.text();
}

std::string Attendance(const Report& r, bool by_day) {
  if (by_day) {
    Table t({"date", "checked_in", "entries", "denials"});
    for (const auto& d : r.by_day) {
      t.Row({d.date, to_string(d.checked_in), to_string(d.entries), to_string(d.denials)});
    }
    return t.text();
  }
  Table t({"ticket_type", "registered", "checked_in"});
  for (const auto& x : r.by_ticket_type) {
    t.Row({x.ticket_type, to_string(x.expected), to_string(x.checked_in)});
  }
  return t.text();
}

std::string Arrivals(const Report& r, bool by_gate) {
  if (by_gate) {
    Table t({"gate", "start", "count"});
    for (const auto& g : r.arrivals_by_gate) t.Row({g.gate, g.bin.start, to_string(g.bin.count)});
    return t.text();
  }
  Table t({"start", "count"});
  for (const auto& b : r.arrivals) t.Row({b.start, to_string(b.count)});
  return t.text();
}

std::string Denials(const Report& r, bool by_reason) {
  if (by_reason) {
    Table t({"verdict", "reason", "count"});
    for (const auto& d : r.denials_by_reason) t.Row({d.verdict, d.reason, to_string(d.count)});
    return t.text();
  }
  Table t({"verdict", "count"});
  for (const auto& [verdict, n] : r.denials) t.Row({verdict, to_string(n)});
  return t.text();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ReportCsvTables(const Report& r) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"summary.csv", Summary(r)},
      {"by_ticket_type.csv", Attendance(r, false)},
      {"by_day.csv", Attendance(r, true)},
      {"arrivals.csv", Arrivals(r, false)},
      {"arrivals_by_gate.csv", Arrivals(r, true)},
      {"throughput_by_gate.csv", Rates(r.throughput_by_gate)},
      {"throughput_by_station.csv", Rates(r.throughput_by_station)},
      {"denials.csv", Denials(r, false)},
      {"denials_by_reason.csv", Denials(r, true)},
  };
  if (r.names == Names::kListed) {
    out.emplace_back("no_shows.csv", People(r.no_show_list));
    out.emplace_back("late_registrations.csv", People(r.late_list));
  }
  return out;
}

}  // namespace checkin::report
