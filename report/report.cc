#include "report/report.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "common/text.h"
#include "common/timezone.h"
#include "db/arrivals.h"
#include "db/report_queries.h"
#include "db/roster.h"

namespace checkin::report {
namespace {

using std::chrono::system_clock;

struct LocalDay {
  std::string date;
  db::LogWindow window;
};

int64_t Seconds(system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Result<std::string> LocalMinute(system_clock::time_point t, const std::string& tz) {
  auto local = ToLocalTime(t, tz);
  if (!local.ok()) return local.status();
  return local->Date() + "T" + local->HourMinute();
}

Result<std::string> LocalMinuteOf(const std::string& utc, const std::string& tz) {
  auto t = ParseUtc(utc);
  if (!t.ok()) return t.status();
  return LocalMinute(*t, tz);
}

// The local days holding at least one row of the log, in order. Days
// without any are skipped, not walked: a station whose clock said 2001 must
// not make a report of 9,000 days. A local day lasts 23 to 25 hours, so 26
// hours past one midnight always lands in the next day.
Result<std::vector<LocalDay>> EventDays(db::Database& db, const db::LogSpan& span,
                                        const std::string& tz) {
  std::vector<LocalDay> days;
  std::string next = span.first;
  while (!next.empty()) {
    auto at = ParseUtc(next);
    if (!at.ok()) return at.status();
    auto start = StartOfLocalDay(*at, tz);
    if (!start.ok()) return start.status();
    auto end = StartOfLocalDay(*start + std::chrono::hours(26), tz);
    auto local = ToLocalTime(*start, tz);
    if (!end.ok()) return end.status();
    if (!local.ok()) return local.status();
    days.push_back({local->Date(), {FormatUtc(*start), FormatUtc(*end)}});
    auto rest = db::CheckinSpan(db, {days.back().window.to, db::kWholeLog.to});
    if (!rest.ok()) return rest.status();
    next = rest->first;
  }
  return days;
}

Status DayOutside(const std::string& day, const std::vector<LocalDay>& days, Language lang) {
  std::string list;
  for (const LocalDay& d : days) list += (list.empty() ? "" : ", ") + d.date;
  return Status::InvalidInput(
      Localized(lang, "el día " + day + " no es de este evento; sus días son: " + list,
                "the day " + day + " is not one of this event's; its days are: " + list));
}

Status FillAttendance(db::Database& db, const db::LogWindow& w, bool whole, Report& r) {
  if (whole) {
    // The same call `checkin stats` and the dashboard make.
    auto stats = db::ComputeStats(db, {});
    if (!stats.ok()) return stats.status();
    r.registered = stats->expected;
    r.checked_in = stats->checked_in;
    r.by_ticket_type = stats->by_ticket_type;
    r.denials = stats->denials_by_verdict;
    r.conflicts = stats->conflicts;
  } else {
    auto types = db::TicketTypesWithin(db, w);
    if (!types.ok()) return types.status();
    r.by_ticket_type = *types;
    for (const auto& t : r.by_ticket_type) {
      r.registered += t.expected;
      r.checked_in += t.checked_in;
    }
  }
  auto reasons = db::DenialsWithin(db, w);
  if (!reasons.ok()) return reasons.status();
  for (const auto& d : *reasons) r.denials_by_reason.push_back({d.verdict, d.reason, d.count});
  if (!whole) {
    std::map<std::string, int64_t> by_verdict;
    for (const auto& d : *reasons) by_verdict[d.verdict] += d.count;
    r.denials.assign(by_verdict.begin(), by_verdict.end());
    std::stable_sort(r.denials.begin(), r.denials.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
  }
  r.show_rate = r.registered > 0 ? static_cast<double>(r.checked_in) /
                                       static_cast<double>(r.registered)
                                 : 0.0;
  return Status::Ok();
}

Status FillCounts(db::Database& db, const db::LogWindow& w, bool whole, Report& r) {
  auto c = db::CountWithin(db, w);
  if (!c.ok()) return c.status();
  r.entries = c->entries;
  r.exits = c->exits;
  r.repeat_attempts = c->repeat_attempts;
  r.undos = c->undos;
  r.reprints = c->reprints;
  if (!whole) r.conflicts = c->conflicts;
  return Status::Ok();
}

Status FillDays(db::Database& db, const std::vector<LocalDay>& days, Report& r) {
  for (const LocalDay& d : days) {
    auto c = db::DayWithin(db, d.window);
    if (!c.ok()) return c.status();
    r.by_day.push_back({d.date, c->checked_in, c->entries, c->denials});
  }
  return Status::Ok();
}

Result<std::pair<int64_t, int64_t>> WindowSeconds(const db::LogWindow& w) {
  auto from = ParseUtc(w.from);
  auto to = ParseUtc(w.to);
  if (!from.ok()) return from.status();
  if (!to.ok()) return to.status();
  return std::make_pair(Seconds(*from), Seconds(*to));
}

// Bins are aligned on UTC multiples of the bin, which are local multiples
// too: every time zone in use is offset from UTC by a multiple of 15 minutes.
// Days start at local midnights, so no bin straddles two days. Empty bins are
// filled in within each day, between its first arrival and its last, not
// across the nights between days.
Status FillArrivals(db::Database& db, const std::vector<LocalDay>& days, const std::string& tz,
                    Report& r) {
  auto bins = db::ArrivalsSince(db, days.front().window.from, std::chrono::minutes(r.bin_minutes));
  if (!bins.ok()) return bins.status();
  std::vector<std::pair<int64_t, int64_t>> spans;
  for (const LocalDay& d : days) {
    auto span = WindowSeconds(d.window);
    if (!span.ok()) return span.status();
    spans.push_back(*span);
  }
  auto in_scope = [&](int64_t s) {
    return std::any_of(spans.begin(), spans.end(),
                       [s](const auto& d) { return s >= d.first && s < d.second; });
  };
  std::map<int64_t, int64_t> total, quarters;
  for (const db::ArrivalBin& b : *bins) {
    if (!in_scope(b.start_s)) continue;
    auto start = LocalMinute(system_clock::time_point(std::chrono::seconds(b.start_s)), tz);
    if (!start.ok()) return start.status();
    r.arrivals_by_gate.push_back({b.gate, {*start, b.start_s, b.count}});
    total[b.start_s] += b.count;
    quarters[b.start_s / 900 * 900] += b.count;
  }
  if (total.empty()) return Status::Ok();
  const int64_t step = r.bin_minutes * 60;
  for (const auto& [from, to] : spans) {
    auto first = total.lower_bound(from);
    auto end = total.lower_bound(to);
    if (first == end) continue;
    for (int64_t s = first->first; s <= std::prev(end)->first; s += step) {
      auto start = LocalMinute(system_clock::time_point(std::chrono::seconds(s)), tz);
      if (!start.ok()) return start.status();
      auto it = total.find(s);
      r.arrivals.push_back({*start, s, it == total.end() ? 0 : it->second});
    }
  }
  auto peak = std::max_element(quarters.begin(), quarters.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  auto start = LocalMinute(system_clock::time_point(std::chrono::seconds(peak->first)), tz);
  if (!start.ok()) return start.status();
  r.peak_quarter_hour = TimeBin{*start, peak->first, peak->second};
  return Status::Ok();
}

Result<std::vector<DoorRate>> Rates(db::Database& db, const db::LogWindow& w, db::Door by) {
  auto busy = db::BusyWithin(db, w, by);
  if (!busy.ok()) return busy.status();
  std::vector<DoorRate> out;
  for (const auto& b : *busy) {
    const double rate = b.busy_minutes > 0 ? static_cast<double>(b.admissions) /
                                                 static_cast<double>(b.busy_minutes)
                                           : 0.0;
    out.push_back({b.name, b.admissions, b.busy_minutes, rate});
  }
  return out;
}

std::vector<Person> ToPeople(const std::vector<db::ListedPerson>& rows) {
  std::vector<Person> out;
  out.reserve(rows.size());
  for (const auto& p : rows) {
    out.push_back({p.first_name, p.last_name, p.email, p.ticket_type, p.ticket_code});
  }
  // As people look names up: by surname, then name, accents folded, so
  // Ñáñez stands among the N's and Álvarez among the A's (SQLite's order is
  // by bytes, which puts every accented initial after Z).
  std::stable_sort(out.begin(), out.end(), [](const Person& a, const Person& b) {
    return std::pair(Fold(a.last_name), Fold(a.first_name)) <
           std::pair(Fold(b.last_name), Fold(b.first_name));
  });
  return out;
}

// Late: added to the roster from the scope's first check-in on.
Status FillPeople(db::Database& db, const db::LogWindow& w, const db::LogSpan& scope,
                  Report& r) {
  auto absent = db::NoShowsWithin(db, w);
  if (!absent.ok()) return absent.status();
  r.no_shows = static_cast<int64_t>(absent->size());
  std::vector<db::ListedPerson> late;
  if (scope.rows > 0) {
    auto added = db::AddedWithin(db, {scope.first, w.to});
    if (!added.ok()) return added.status();
    late = std::move(*added);
  }
  r.late_registrations = static_cast<int64_t>(late.size());
  if (r.names == Names::kListed) {
    r.no_show_list = ToPeople(*absent);
    r.late_list = ToPeople(late);
  }
  return Status::Ok();
}

// `scope`: the log's span within the report's window, already known.
Status FillScope(const db::LogSpan& scope, const std::string& tz, Report& r) {
  if (scope.rows == 0) return Status::Ok();
  auto first = LocalMinuteOf(scope.first, tz);
  auto last = LocalMinuteOf(scope.last, tz);
  if (!first.ok()) return first.status();
  if (!last.ok()) return last.status();
  r.first_checkin = *first;
  r.last_checkin = *last;
  return Status::Ok();
}

}  // namespace

Result<Report> ComputeReport(db::Database& db, const Clock& clock, const ReportRequest& req) {
  if (req.bin_minutes != 5 && req.bin_minutes != 15) {
    return Status::InvalidInput(Localized(req.lang, "los intervalos son de 5 o 15 minutos",
                                          "bins are 5 or 15 minutes"));
  }
  db::ReadSnapshot snapshot(db);
  if (Status s = snapshot.Begin(); !s.ok()) return s;
  auto ev = db.Event();
  if (!ev.ok()) return ev.status();
  auto span = db::CheckinSpan(db, db::kWholeLog);
  if (!span.ok()) return span.status();
  if (span->rows == 0) {
    return Status::NotFound(Localized(
        req.lang, "el evento no tiene ningún check-in todavía: no hay nada que informar",
        "the event has no check-in yet: there is nothing to report"));
  }
  auto days = EventDays(db, *span, ev->timezone);
  if (!days.ok()) return days.status();
  Report r;
  r.event = ev->name;
  r.timezone = ev->timezone;
  r.day = req.day;
  r.generated_at = FormatUtc(clock.Now());
  r.bin_minutes = req.bin_minutes;
  r.names = req.names;
  db::LogWindow w = db::kWholeLog;
  std::vector<LocalDay> scope_days = *days;
  if (!req.day.empty()) {
    auto it = std::find_if(days->begin(), days->end(),
                           [&](const LocalDay& d) { return d.date == req.day; });
    if (it == days->end()) return DayOutside(req.day, *days, req.lang);
    w = it->window;
    scope_days = {*it};
  }
  const bool whole = req.day.empty();
  // The whole event's span is the one just read; a day has its own.
  db::LogSpan scope = *span;
  if (!whole) {
    auto day_span = db::CheckinSpan(db, w);
    if (!day_span.ok()) return day_span.status();
    scope = *day_span;
  }
  if (Status s = FillScope(scope, ev->timezone, r); !s.ok()) return s;
  if (Status s = FillAttendance(db, w, whole, r); !s.ok()) return s;
  if (Status s = FillCounts(db, w, whole, r); !s.ok()) return s;
  if (Status s = FillDays(db, scope_days, r); !s.ok()) return s;
  if (Status s = FillArrivals(db, scope_days, ev->timezone, r); !s.ok()) return s;
  if (Status s = FillPeople(db, w, scope, r); !s.ok()) return s;
  auto gates = Rates(db, w, db::Door::kGate);
  auto stations = Rates(db, w, db::Door::kStation);
  if (!gates.ok()) return gates.status();
  if (!stations.ok()) return stations.status();
  r.throughput_by_gate = std::move(*gates);
  r.throughput_by_station = std::move(*stations);
  return r;
}

}  // namespace checkin::report
