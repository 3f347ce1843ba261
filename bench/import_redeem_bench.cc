// The redeem-during-import workload (issue 9, item 7): the doors redeem on
// their own connection while a big export is imported into the same event,
// against the same doors with no import, in the same run.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "bench/roster_gen.h"
#include "bench/workloads.h"
#include "common/config.h"
#include "common/priority.h"
#include "db/checkin_desk.h"
#include "db/registration_source.h"
#include "db/roster_import.h"

namespace checkin::bench {
namespace {

// One redeem every 2 ms, several busy doors' worth: paced rather than back to
// back, so what is measured is waiting on the import, not the three threads
// sharing the CPU.
constexpr auto kPace = std::chrono::milliseconds(2);

struct Doors {
  std::vector<Sample> samples;
  size_t refused = 0;  // "database is locked": the busy timeout ran out
};

// Redeems `codes` from `*next` on, paced, until `stop` is set (when given) or
// `count` calls are made.
Status RedeemPaced(db::CheckinDesk& desk, const std::vector<std::string>& codes, size_t* next,
                   size_t count, const std::atomic<bool>* stop, Doors* out) {
  for (size_t n = 0; n < count && *next < codes.size(); ++n) {
    if (stop != nullptr && stop->load()) break;
    const RedeemRequest req{codes[(*next)++], kDefaultGate, "door-2", Direction::kEntry,
                            ScanSource::kCamera};
    Sample s;
    auto d = Timed(&s, [&] { return desk.Redeem(req); });
    if (!d.ok() && d.status().code() != StatusCode::kUnavailable) return d.status();
    out->refused += d.ok() ? 0 : 1;
    out->samples.push_back(s);
    std::this_thread::sleep_for(kPace);
  }
  return Status::Ok();
}

struct ImportRun {
  Status status;
  // ahead: from the last staged batch to the last chunk written ahead (new
  // tickets, in short transactions); final: from then to the commit.
  double total_ms = 0, ahead_ms = 0, final_ms = 0;
};

ImportRun TimedImport(db::Database& db, const std::string& csv) {
  const Clock& clock = SystemClock();
  ImportRun run;
  const auto start = clock.Monotonic();
  auto last_staged = start, last_written = start;
  db::CsvExportSource source(csv, db::RosterFormat::kAuto, {});
  auto sum = db::ImportRoster(
      db, source, db::MissingPolicy::kReport, db::ImportMode::kApply, clock,
      [&](const db::ImportProgress& p) {
        (p.step == db::ImportProgress::Step::kReading ? last_staged : last_written) =
            clock.Monotonic();
      });
  if (last_written < last_staged) last_written = last_staged;  // nothing written ahead
  run.total_ms = MillisSince(clock, start);
  run.final_ms = MillisSince(clock, last_written);
  run.ahead_ms = MillisSince(clock, last_staged) - run.final_ms;
  run.status = sum.status();
  return run;
}

}  // namespace

Status BenchRedeemDuringImport(const Options& o, const std::string& csv,
                               const std::vector<std::string>& codes, const std::string& work,
                               Report& report) {
  std::fprintf(stderr, "redeem during import\n");
  const Clock& clock = SystemClock();
  // A second export of as many new tickets (other codes, other ticket ids):
  // adding them is the longest final step an import of this size can have.
  const std::string more_csv = work + "/roster_more.csv";
  if (auto more = WriteGenericRoster(more_csv, o.rows, kSeed + 7, 90000000); !more.ok()) {
    return more.status();
  }
  const std::string path = work + "/concurrent.db";
  auto db = db::Database::Open(path, db::OpenMode::kCreateIfMissing);
  if (!db.ok()) return db.status();
  if (Status s = (*db)->InitEvent(EventInfo{"Bench Conf", "America/Bogota", ""}, clock); !s.ok()) {
    return s;
  }
  if (ImportRun first = TimedImport(**db, csv); !first.status.ok()) return first.status;

  // The doors: their own connection with the product's busy timeout.
  auto door_db = db::Database::Open(path, db::OpenMode::kMustExist);
  if (!door_db.ok()) return door_db.status();
  auto desk = db::CheckinDesk::Create(**door_db, clock, DefaultConfig());
  if (!desk.ok()) return desk.status();
  size_t next = 0;
  Doors warmup, alone;
  if (Status s = RedeemPaced(**desk, codes, &next, kWarmupRedeems, nullptr, &warmup); !s.ok()) {
    return s;
  }
  const size_t alone_n = std::max<size_t>(o.redeems / 3, 100);
  if (Status s = RedeemPaced(**desk, codes, &next, alone_n, nullptr, &alone); !s.ok()) return s;
  const LatencySummary a = WallSummary(alone.samples);
  report.Section("Redeem on a second connection while a " + std::to_string(o.rows) +
                 "-row import runs into the same " + std::to_string(o.rows) +
                 "-attendee event (one redeem every 2 ms)");
  report.Latency("redeem_during_import", "doors alone", a);

  // First the new tickets (the longest final step), then the same file again
  // (a sync that finds nothing to change).
  for (const char* kind : {"new tickets", "the same file again"}) {
    std::atomic<bool> done{false};
    ImportRun run;
    std::thread importer([&] {
      // As `checkin roster import` does: background work gives way to the
      // doors (threads the import starts inherit this).
      static_cast<void>(LowerThisThreadsPriority());
      run = TimedImport(**db, more_csv);
      done = true;
    });
    Doors during;
    const Status doors = RedeemPaced(**desk, codes, &next, codes.size(), &done, &during);
    importer.join();
    if (!doors.ok()) return doors.WithContext("a redeem during the import: ");
    if (!run.status.ok()) return run.status.WithContext("the import under redeems: ");
    if (next >= codes.size()) return Status::Internal("the doors ran out of codes");

    const std::string what = std::string("import of ") + kind;
    const LatencySummary d = WallSummary(during.samples);
    report.Latency("redeem_during_import", "doors during the " + what, d);
    report.Value("redeem_during_import", "  refused (busy timeout ran out)",
                 static_cast<double>(during.refused), "redeems");
    report.Value("redeem_during_import", "  ratio p99 during / alone", d.p99 / a.p99, "x");
    report.Value("redeem_during_import", "  ratio max during / alone p99", d.max / a.p99, "x");
    report.Rate("redeem_during_import", "  the " + what, o.rows, {run.total_ms / 1e3});
    report.Value("redeem_during_import", "  new tickets written ahead (short transactions)",
                 run.ahead_ms, "ms");
    report.Value("redeem_during_import", "  its final step (one transaction, after the match)",
                 run.final_ms, "ms");
    report.Goal("redeem p99 during the " + what + " / alone", d.p99 / a.p99, "x", Bound::kAtMost,
                5);
  }
  return Status::Ok();
}

}  // namespace checkin::bench
