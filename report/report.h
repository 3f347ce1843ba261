// The attendance report after the event (issue 13): one Report computed from
// an event file, for the whole event or one local day, then written as JSON or
// CSV (the PDF, XLSX and HTML writers take the same Report). Each figure
// means what `checkin stats` and the dashboard mean by it. Pure functions over
// one Database connection: one call per connection at a time.
//
// Throughput is people admitted per minute while the door was busy, and a
// door (gate or station) was busy in each clock minute holding at least one of
// its admissions: the idle stretches between waves of arrivals, and the hours
// it stood closed, do not dilute it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/messages.h"
#include "common/records.h"
#include "common/result.h"
#include "db/database.h"

namespace checkin::report {

enum class Names { kLeftOut, kListed };  // people's names are personal data

struct ReportRequest {
  std::string day;       // local "YYYY-MM-DD" in the event's time zone; empty: the whole event
  int bin_minutes = 15;  // 5 or 15
  Names names = Names::kLeftOut;
  Language lang = Language::kSpanish;  // of the error messages
};

struct TimeBin {
  std::string start;    // local time of the event, "2026-11-28T08:15"
  int64_t start_s = 0;  // the same instant, seconds since 1970 UTC
  int64_t count = 0;
};

struct GateBin {
  std::string gate;
  TimeBin bin;
};

struct DoorRate {
  std::string name;
  int64_t admissions = 0;
  int64_t busy_minutes = 0;
  double per_minute = 0;  // admissions / busy_minutes, 0 when never busy
};

struct DayFigures {
  std::string date;        // local "YYYY-MM-DD"
  int64_t checked_in = 0;  // attendees with an entry in force that day
  int64_t entries = 0;
  int64_t denials = 0;
};

struct DenialReason {
  std::string verdict, reason;
  int64_t count = 0;
};

struct Person {
  std::string first_name, last_name, email, ticket_type, ticket_code;
};

struct Report {
  std::string event, timezone;
  std::string day;                          // as asked; empty for the whole event
  std::string generated_at;                 // UTC, FormatUtc
  std::string first_checkin, last_checkin;  // local "YYYY-MM-DDTHH:MM" within the scope

  int64_t registered = 0;  // valid tickets
  int64_t checked_in = 0;  // distinct attendees with an entry in force
  double show_rate = 0;    // checked_in / registered, 0 for an empty roster
  std::vector<TicketTypeStats> by_ticket_type;
  std::vector<DayFigures> by_day;  // each local day of the scope with a row in the log

  int bin_minutes = 15;
  // Within each day, every bin from its first arrival to its last, empty ones too.
  std::vector<TimeBin> arrivals;
  std::vector<GateBin> arrivals_by_gate;     // bins with arrivals only
  std::optional<TimeBin> peak_quarter_hour;  // the earliest of the busiest
  std::vector<DoorRate> throughput_by_gate, throughput_by_station;

  int64_t entries = 0, exits = 0;
  std::vector<std::pair<std::string, int64_t>> denials;  // verdict name -> count
  std::vector<DenialReason> denials_by_reason;
  int64_t repeat_attempts = 0;  // denied as already checked in
  int64_t undos = 0, conflicts = 0, reprints = 0;
  int64_t no_shows = 0;            // registered - checked_in
  int64_t late_registrations = 0;  // valid tickets added once doors had opened
  Names names = Names::kLeftOut;
  std::vector<Person> no_show_list, late_list;  // empty unless names were asked for
};

// Errors in req.lang, saying what to do: NotFound when the event has no
// check-in at all; InvalidInput for a day without any (the message lists
// the event's days) or a bin other than 5 or 15 minutes.
Result<Report> ComputeReport(db::Database& db, const Clock& clock, const ReportRequest& req);

// The JSON contract of issue 13: registered, checked_in, show_rate,
// by_ticket_type, arrivals with bin_minutes, denials, undos, conflicts, and
// the rest of Report under the names of its members. One line.
std::string ReportJson(const Report& r);
// ReportJson's object read back (a paired laptop's copy of the hub's
// report): ReportJson(*ParseReportJson(ReportJson(r))) == ReportJson(r).
// InvalidInput in `lang` naming the first member missing or of the wrong type.
Result<Report> ParseReportJson(std::string_view text, Language lang);

// One CSV table per part of the report: file name (e.g. "summary.csv") and
// its bytes, headers named like the JSON's members.
std::vector<std::pair<std::string, std::string>> ReportCsvTables(const Report& r);

// The formats for people draw the same Document (report/document.h), so a
// figure reads the same in each; labels in `lang`.
//
// One self-contained HTML file: inline CSS and SVG charts, nothing fetched.
std::string ReportHtml(const Report& r, Language lang);
// A4 pages drawn with libharu, charts as vector paths, DejaVu Sans embedded.
// NotFound when the font is not installed; Internal when libharu fails.
Result<std::string> ReportPdf(const Report& r, Language lang);
// An XLSX workbook (libxlsxwriter) written to `path`: a summary sheet and a
// sheet per table with a native chart of its cells. libxlsxwriter writes
// only to files, so the caller writes to a temporary name and renames.
// DeviceError naming `path` when it cannot be written.
Status WriteReportXlsx(const Report& r, Language lang, const std::string& path);

}  // namespace checkin::report
