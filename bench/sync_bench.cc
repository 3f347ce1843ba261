// sync_bench: issue 12's roster sync figure. A 20,000-position pretix event
// (200 pages of 50 orders) served on loopback in pretix's format: a full
// PretixSource + ImportRoster into a fresh event file, against the CSV import
// of the same admission tickets (pretix's CSV layout) into another fresh
// file, alternated in the same run; then incremental passes (modified_since,
// 1% of the orders changed) on the synced file, and the reading side alone
// to say where the time goes.
// Usage: sync_bench [--orders N] [--runs N] [--dir D] [--out FILE].
// Figures: bench/RESULTS.md, "Roster sync".

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/pretix_event.h"
#include "bench/report.h"
#include "common/number.h"
#include "db/database.h"
#include "db/registration_source.h"
#include "db/roster_import.h"
#include "sync/pretix_json.h"
#include "sync/pretix_source.h"

namespace checkin::bench {
namespace {

constexpr uint64_t kEventSeed = 20261201;

struct Options {
  size_t orders = 10000;  // two positions each: 20,000 positions, 200 pages
  size_t runs = 5;
  std::string dir = "/tmp";
  std::string out;
};

void RemoveDatabase(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
  }
}

Result<std::unique_ptr<db::Database>> FreshEvent(const std::string& path) {
  RemoveDatabase(path);
  auto db = db::Database::Open(path, db::OpenMode::kCreateIfMissing);
  if (!db.ok()) return db.status();
  Status s = (*db)->InitEvent(EventInfo{"Bench Conf", "America/Bogota", ""}, SystemClock());
  if (!s.ok()) return s;
  return std::move(*db);
}

sync::PretixSource Source(const FakePretixServer& server, const std::string& since) {
  sync::PretixOptions o;
  o.url = server.url();
  o.organizer = "bench";
  o.event = "sync";
  o.token = FakePretixServer::kToken;
  o.modified_since = since;
  return sync::PretixSource(o, SystemClock(), sync::RealSleeper());
}

std::vector<double> Millis(const std::vector<double>& seconds) {
  std::vector<double> ms;
  for (double s : seconds) ms.push_back(s * 1e3);
  return ms;
}

// One import of `source` into `db`, timed; `expect_added` checks it did the work.
Result<double> TimedImport(db::Database& db, db::RegistrationSource& source, int expect_added,
                           db::ImportSummary* summary = nullptr) {
  Sample t;
  auto sum = Timed(&t, [&] {
    return db::ImportRoster(db, source, db::MissingPolicy::kReport, db::ImportMode::kApply,
                            SystemClock());
  });
  if (!sum.ok()) return sum.status();
  if (expect_added >= 0 && sum->added != expect_added) {
    return Status::Internal("the import added " + std::to_string(sum->added) + " of " +
                            std::to_string(expect_added) + " tickets");
  }
  if (summary != nullptr) *summary = *sum;
  return t.wall / 1e3;
}

// The sync's reading side alone: HTTP and JSON (Fetch), and the JSON of the
// same pages read from memory.
Status Analysis(const FakePretixServer& server, Report& report) {
  auto source = Source(server, "");
  Sample fetch;
  auto snap = Timed(&fetch, [&] { return source.Fetch(); });
  if (!snap.ok()) return snap.status();
  sync::PretixItems items;
  if (auto r = sync::ReadItemsPage(server.ItemsPage(), &items); !r.ok()) return r.status();
  const auto pages = server.FullPages();
  size_t bytes = 0;
  for (const auto& p : pages) bytes += p.size();
  // The fastest of three: the least disturbed by whatever else the machine runs.
  double parse_ms = 1e300;
  for (int i = 0; i < 3; ++i) {
    sync::PretixOrders orders;
    Sample parse;
    auto st = Timed(&parse, [&] {
      for (const auto& p : pages) {
        if (auto r = sync::ReadOrdersPage(p, items, &orders); !r.ok()) return r.status();
      }
      return Status::Ok();
    });
    if (!st.ok()) return st;
    parse_ms = std::min(parse_ms, parse.cpu);
  }
  report.Value("sync", "  analysis: Fetch alone (HTTP + JSON)", fetch.wall, "ms");
  report.Value("sync", "    ReadOrdersPage alone (CPU, best of 3)", parse_ms, "ms");
  report.Value("sync", "    order pages, total", static_cast<double>(bytes) / 1e6, "MB");
  return Status::Ok();
}

int Run(const Options& o) {
  Report report(o.out);
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "sync_bench: %s\n", s.message().c_str());
    return 2;
  };

  PretixEvent event = MakePretixEvent(o.orders, kEventSeed);
  FakePretixServer server;
  server.SetOrders(event, {});
  const std::string csv = o.dir + "/sync_bench_pretix.csv";
  if (Status s = WritePretixCsv(event, csv); !s.ok()) return fail(s);
  const std::string sync_db = o.dir + "/sync_bench_sync.db";
  const std::string csv_db = o.dir + "/sync_bench_csv.db";
  const int tickets = static_cast<int>(event.admissions);

  std::vector<double> sync_s, csv_s;
  std::unique_ptr<db::Database> synced;
  // Alternated, so a slow spell of the disk or a neighbour lands on both.
  for (size_t run = 1; run <= o.runs; ++run) {
    std::fprintf(stderr, "sync run %zu of %zu\n", run, o.runs);
    synced.reset();
    auto sdb = FreshEvent(sync_db);
    if (!sdb.ok()) return fail(sdb.status());
    auto source = Source(server, "");
    auto ts = TimedImport(**sdb, source, tickets);
    if (!ts.ok()) return fail(ts.status());
    sync_s.push_back(*ts);
    synced = std::move(*sdb);

    auto cdb = FreshEvent(csv_db);
    if (!cdb.ok()) return fail(cdb.status());
    db::CsvExportSource file(csv, db::RosterFormat::kPretix, {}, "pretix");
    auto tc = TimedImport(**cdb, file, tickets);
    if (!tc.ok()) return fail(tc.status());
    csv_s.push_back(*tc);
  }

  // Incremental passes on the synced file: a different 1% each time.
  const size_t changes = std::max<size_t>(1, o.orders / 100);
  std::vector<double> delta_s;
  int delta_rows = 0;
  for (size_t run = 0; run < o.runs; ++run) {
    auto changed = ChangeOrders(&event, run * changes, changes, kEventSeed + run);
    server.SetOrders(event, changed);
    auto source = Source(server, "2026-11-28T12:00:01Z");
    db::ImportSummary sum;
    auto t = TimedImport(*synced, source, -1, &sum);
    if (!t.ok()) return fail(t.status());
    if (sum.updated + sum.cancelled == 0) return fail(Status::Internal("a pass changed nothing"));
    delta_s.push_back(*t);
    delta_rows = sum.rows;
  }
  server.SetOrders(event, {});

  report.Section("Roster sync of a " + std::to_string(event.positions) +
                 "-position pretix event (" +
                 std::to_string(event.orders.size() / kPretixPageOrders) +
                 " pages) on loopback, against the CSV import of its " + std::to_string(tickets) +
                 " admission tickets (medians of " + std::to_string(o.runs) + " runs)");
  report.Info("positions / admission tickets",
              std::to_string(event.positions) + " / " + std::to_string(tickets));
  report.Rate("sync", "sync: PretixSource + ImportRoster", static_cast<size_t>(tickets), sync_s);
  report.Rate("sync", "import: pretix CSV + ImportRoster", static_cast<size_t>(tickets), csv_s);
  report.Latency("sync", "sync, full pass: spread", Summarize(Millis(sync_s)));
  report.Latency("sync", "import: spread", Summarize(Millis(csv_s)));
  report.Rate("sync", "incremental: 1% of orders changed", static_cast<size_t>(delta_rows),
              delta_s);
  if (Status s = Analysis(server, report); !s.ok()) return fail(s);
  const double ratio = Median(sync_s) / Median(csv_s);
  report.Value("sync", "ratio sync / import (time)", ratio, "x");
  report.Goal("sync time / CSV import time", ratio, "x", Bound::kAtMost, 2);
  synced.reset();
  RemoveDatabase(sync_db);
  RemoveDatabase(csv_db);
  std::filesystem::remove(csv);
  return report.Goals() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  using namespace checkin;
  bench::Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    Status s;
    if (arg == "--orders") {
      s = ParseIntInto(value, 2, 1'000'000, arg, &o.orders);
      o.orders += o.orders % 2;
    } else if (arg == "--runs") {
      s = ParseIntInto(value, 1, 1000, arg, &o.runs);
    } else if (arg == "--dir") {
      o.dir = value;
    } else if (arg == "--out") {
      o.out = value;
    }
    if (!s.ok()) {
      std::fprintf(stderr, "sync_bench: %s\n", s.message().c_str());
      return 2;
    }
  }
  return bench::Run(o);
}
