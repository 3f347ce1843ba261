#include "bench/report_event.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "bench/roster_gen.h"
#include "common/clock.h"
#include "common/timezone.h"
#include "db/changes.h"
#include "db/database.h"
#include "db/offline.h"
#include "db/registration_source.h"
#include "db/roster.h"
#include "db/roster_import.h"

namespace checkin::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

struct Door {
  const char* gate;
  const char* station;
  int weight;  // share of the arrivals, in percent
};
// Most come in the main door; the north door opens for the rush.
constexpr Door kDoors[] = {
    {"Entrada principal", "puerta-1", 25}, {"Entrada principal", "puerta-2", 25},
    {"Entrada principal", "puerta-3", 15}, {"Entrada norte", "norte-1", 15},
    {"Entrada norte", "norte-2", 15},      {"Talleres", "talleres-1", 5}};

const Door& PickDoor(Rng& rng) {
  int pick = static_cast<int>(rng.Below(100));
  for (const Door& d : kDoors) {
    if (pick < d.weight) return d;
    pick -= d.weight;
  }
  return kDoors[0];
}

const Door& OtherDoor(const Door& d, Rng& rng) {
  const Door* o = &d;
  while (o == &d) o = &kDoors[rng.Below(std::size(kDoors))];
  return *o;
}

std::string Uuid(Rng& rng) {
  static const char* kHex = "0123456789abcdef";
  std::string u;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) u += '-';
    size_t nibble = rng.Below(16);
    if (i == 12) nibble = 4;                 // version 4
    if (i == 16) nibble = 8 + (nibble & 3);  // RFC 4122 variant
    u += kHex[nibble];
  }
  return u;
}

// Milliseconds after local midnight: a morning rush peaking near 08:15
// (the sum of three uniforms), and one in ten arriving later in the day.
int64_t ArrivalMs(Rng& rng) {
  if (rng.Chance(10)) return (9 * 60 + 30) * 60000 + static_cast<int64_t>(rng.Below(390 * 60000));
  const int64_t spread =
      static_cast<int64_t>(rng.Below(50 * 60000) + rng.Below(50 * 60000) + rng.Below(50 * 60000));
  return (7 * 60 + 0) * 60000 + spread;
}

int64_t LeavingMs(Rng& rng) {
  return (16 * 60) * 60000 + static_cast<int64_t>(rng.Below(180 * 60000));
}

struct Scan {
  int day = 0;  // 0 or 1
  int64_t ms = 0;
  db::LoggedCheckin c;
  int undoes = -1;  // index of the admission an undo takes back
};

class LogMaker {
 public:
  LogMaker(uint64_t seed, std::chrono::system_clock::time_point day0) : rng_(seed), day0_(day0) {}

  Scan& Add(int day, int64_t ms, const Door& door, const Attendee* a, const std::string& code,
            const char* kind, Direction dir, const char* verdict, std::string reason = {}) {
    Scan& s = scans_.emplace_back();
    s.day = day;
    s.ms = ms;
    s.c.attendee_id = a != nullptr ? a->id : 0;
    s.c.code = code;
    s.c.gate = door.gate;
    s.c.station = door.station;
    s.c.direction = dir;
    s.c.kind = kind;
    s.c.source = rng_.Chance(95) ? ScanSource::kCamera : ScanSource::kKeyboard;
    s.c.verdict = verdict;
    s.c.reason = std::move(reason);
    return s;
  }
  size_t Admit(int day, int64_t ms, const Door& door, const Attendee& a, Direction dir) {
    Add(day, ms, door, &a, a.ticket_code, "admitted", dir, "admitted");
    return scans_.size() - 1;
  }

  // In time order, with uuids, undos pointing at their admissions.
  std::vector<db::LoggedCheckin> Finish(size_t limit) {
    std::vector<size_t> order(scans_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      return std::tie(scans_[x].day, scans_[x].ms) < std::tie(scans_[y].day, scans_[y].ms);
    });
    for (Scan& s : scans_) {
      s.c.uuid = Uuid(rng_);
      s.c.at = FormatUtc(day0_ + std::chrono::hours(24 * s.day) + milliseconds(s.ms));
      s.c.offline = true;
    }
    std::vector<db::LoggedCheckin> out;
    out.reserve(std::min(limit, order.size()));
    for (size_t i : order) {
      if (out.size() == limit) break;
      Scan& s = scans_[i];
      if (s.undoes >= 0) s.c.undoes = scans_[static_cast<size_t>(s.undoes)].c.uuid;
      out.push_back(s.c);
    }
    return out;
  }

  Rng& rng() { return rng_; }
  size_t size() const { return scans_.size(); }

 private:
  Rng rng_;
  std::chrono::system_clock::time_point day0_;
  std::vector<Scan> scans_;
};

// The roster was bought before the doors opened: its import is dated a week
// before the event, so the report counts no one as a late registration but
// the few the log adds. The monotonic time stays real.
class RegistrationClock final : public Clock {
 public:
  explicit RegistrationClock(std::chrono::system_clock::time_point at) : at_(at) {}
  std::chrono::system_clock::time_point Now() const override { return at_; }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return SystemClock().Monotonic();
  }

 private:
  std::chrono::system_clock::time_point at_;
};

}  // namespace

Result<ReportEventCounts> MakeReportEvent(const std::string& db_path, size_t attendees,
                                          size_t log_rows, uint64_t seed,
                                          const std::function<void(size_t)>& progress) {
  auto day0 = ParseUtc("2026-11-28T05:00:00.000Z");  // local midnight of day one in Bogota
  if (!day0.ok()) return day0.status();
  const RegistrationClock clock(*day0 - std::chrono::hours(24 * 7));
  if (std::filesystem::exists(db_path)) {
    return Status::InvalidInput(db_path + " exists; the report event is made in a new file");
  }
  const std::string csv = db_path + ".roster.csv";
  auto codes = WriteGenericRoster(csv, attendees, seed);
  if (!codes.ok()) return codes.status();
  auto db = db::Database::Open(db_path, db::OpenMode::kCreateIfMissing);
  if (!db.ok()) return db.status();
  if (Status s = (*db)->InitEvent(EventInfo{"KCD Colombia 2026", "America/Bogota", ""}, clock);
      !s.ok()) {
    return s;
  }
  db::CsvExportSource source(csv, db::RosterFormat::kAuto, {});
  auto sum =
      db::ImportRoster(**db, source, db::MissingPolicy::kReport, db::ImportMode::kApply, clock);
  std::filesystem::remove(csv);
  if (!sum.ok()) return sum.status();

  std::vector<Attendee> roster;
  roster.reserve(codes->size());
  for (const std::string& code : *codes) {
    auto a = db::FindAttendeeByCode(**db, code);
    if (!a.ok()) return a.status();
    if (!*a) return Status::Internal("the imported roster lacks " + code);
    roster.push_back(std::move(**a));
  }

  LogMaker log(seed + 1, *day0);
  Rng& rng = log.rng();
  std::vector<size_t> inside;  // admitted and not out, for repeats
  for (const Attendee& a : roster) {
    if (a.status != TicketStatus::kValid) {
      if (rng.Chance(40)) {
        log.Add(0, ArrivalMs(rng), PickDoor(rng), &a, a.ticket_code, "denied", Direction::kEntry,
                "cancelled", "Entrada cancelada en la plataforma");
      }
      continue;
    }
    bool out_day0 = true;
    if (rng.Chance(75)) {
      const Door& door = PickDoor(rng);
      const int64_t at = ArrivalMs(rng);
      if (door.gate == std::string_view("Talleres") && rng.Chance(30)) {
        log.Add(0, at, door, &a, a.ticket_code, "denied", Direction::kEntry, "not_allowed",
                "Este tipo de entrada no vale en Talleres");
      }
      size_t entry = log.Admit(0, at + 20000, door, a, Direction::kEntry);
      if (rng.Chance(1)) {  // the wrong person: taken back, then admitted again
        Scan& undo = log.Add(0, at + 40000, door, &a, a.ticket_code, "undo", Direction::kEntry, "",
                             "Persona equivocada");
        undo.c.source = ScanSource::kManual;  // as the desk writes an undo
        undo.undoes = static_cast<int>(entry);
        if (rng.Chance(50)) entry = log.Admit(0, at + 90000, door, a, Direction::kEntry);
      }
      if (rng.Chance(8)) {  // shown twice: a repeat at the same door
        log.Add(0, at + 25000 + static_cast<int64_t>(rng.Below(30000)), door, &a, a.ticket_code,
                "denied", Direction::kEntry, "already_checked_in");
      }
      if (rng.Chance(1)) {  // two stations cut off from each other both let them in
        log.Admit(0, at + static_cast<int64_t>(rng.Below(120000)), OtherDoor(door, rng), a,
                  Direction::kEntry);
      }
      out_day0 = rng.Chance(60);
      if (out_day0) {
        log.Admit(0, LeavingMs(rng), door, a, Direction::kExit);
      } else {
        inside.push_back(static_cast<size_t>(&a - roster.data()));
      }
    }
    if (out_day0 && rng.Chance(70)) {
      const Door& door = PickDoor(rng);
      log.Admit(1, ArrivalMs(rng), door, a, Direction::kEntry);
      if (rng.Chance(50)) log.Admit(1, LeavingMs(rng), door, a, Direction::kExit);
    }
  }
  // The rest of the log: codes nobody sold (a screenshot of another event,
  // a typo) and people inside shown again.
  while (log.size() < log_rows) {
    const int day = static_cast<int>(rng.Below(2));
    if (rng.Chance(30) || inside.empty()) {
      char code[32];
      std::snprintf(code, sizeof code, "ZZ%010llu",
                    static_cast<unsigned long long>(rng.Next() % 10000000000ULL));
      log.Add(day, ArrivalMs(rng), PickDoor(rng), nullptr, code, "denied", Direction::kEntry,
              "unknown");
    } else {
      const Attendee& a = roster[inside[rng.Below(inside.size())]];
      log.Add(day, (10 * 60) * 60000 + static_cast<int64_t>(rng.Below(360 * 60000)), PickDoor(rng),
              &a, a.ticket_code, "denied", Direction::kEntry, "already_checked_in");
    }
  }

  ReportEventCounts counts;
  counts.attendees = roster.size();
  const std::vector<db::LoggedCheckin> rows = log.Finish(log_rows);
  constexpr size_t kBatch = 20000;
  for (size_t from = 0; from < rows.size(); from += kBatch) {
    const std::vector<db::LoggedCheckin> batch(
        rows.begin() + static_cast<std::ptrdiff_t>(from),
        rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), from + kBatch)));
    auto outcomes = db::RecordOffline(**db, batch, clock);
    if (!outcomes.ok()) return outcomes.status();
    for (size_t i = 0; i < outcomes->size(); ++i) {
      const db::UploadOutcome& o = (*outcomes)[i];
      if (o.kind != db::UploadOutcome::Kind::kRecorded) {
        return Status::Internal("the generated check-in " + o.uuid +
                                " was not recorded: " + o.reason);
      }
      const db::LoggedCheckin& c = batch[i];
      counts.log_rows++;
      counts.conflicts += o.conflict ? 1 : 0;
      if (c.kind == "undo") {
        counts.undos++;
      } else if (c.kind == "denied") {
        counts.denials++;
      } else if (c.direction == Direction::kExit) {
        counts.exits++;
      } else {
        counts.admissions++;
      }
    }
    if (progress) progress(counts.log_rows);
  }
  return counts;
}

}  // namespace checkin::bench
