// The import workload: `checkin roster import` of a fresh export into a fresh
// database, against the sqlite3 shell's own .import of the same file.

#include <cstdio>
#include <filesystem>

#include "bench/sqlite_floors.h"
#include "bench/workloads.h"
#include "db/csv_table.h"
#include "db/registration_source.h"
#include "db/roster_format.h"
#include "db/roster_import.h"

namespace checkin::bench {
namespace {

void RemoveDatabase(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
  }
}

struct ImportTimes {
  double open_s = 0;    // Database::Open + InitEvent: schema, not rows
  double import_s = 0;  // ImportRoster: read, check and store, one transaction
};

Result<std::unique_ptr<db::Database>> ImportOnce(const std::string& csv, const std::string& path,
                                                 size_t rows, ImportTimes* t) {
  const Clock& clock = SystemClock();
  RemoveDatabase(path);
  auto start = clock.Monotonic();
  auto db = db::Database::Open(path, db::OpenMode::kCreateIfMissing);
  if (!db.ok()) return db.status();
  if (Status s = (*db)->InitEvent(EventInfo{"Bench Conf", "America/Bogota", ""}, clock); !s.ok()) {
    return s;
  }
  t->open_s = MillisSince(clock, start) / 1e3;

  start = clock.Monotonic();
  // What `checkin roster import` runs: the source streams on its own thread
  // while the database stores what is already checked.
  db::CsvExportSource source(csv, db::RosterFormat::kAuto, {});
  auto sum =
      db::ImportRoster(**db, source, db::MissingPolicy::kReport, db::ImportMode::kApply, clock);
  if (!sum.ok()) return sum.status();
  t->import_s = MillisSince(clock, start) / 1e3;
  if (sum->added != static_cast<int>(rows)) {
    return Status::Internal("the import added " + std::to_string(sum->added) + " of " +
                            std::to_string(rows) + " rows");
  }
  return std::move(*db);
}

}  // namespace

Result<std::unique_ptr<db::Database>> BenchImport(const Options& o, const std::string& csv,
                                                  const std::string& work, Report& report) {
  const Clock& clock = SystemClock();
  const std::string floor_db = work + "/floor_import.db";
  const std::string event_db = work + "/event.db";
  std::vector<double> ours_s, floor_s, open_s;
  std::unique_ptr<db::Database> last;
  // Alternate the two so a slow spell of the disk or a neighbour's build
  // lands on both rather than on one.
  for (size_t run = 1; run <= o.import_runs; ++run) {
    std::fprintf(stderr, "import run %zu of %zu\n", run, o.import_runs);
    RemoveDatabase(floor_db);
    auto floor = TimeSqliteShellImport(o.sqlite3, floor_db, csv, clock);
    if (!floor.ok()) return floor.status();
    floor_s.push_back(*floor);

    last.reset();
    ImportTimes t;
    auto db = ImportOnce(csv, event_db, o.rows, &t);
    if (!db.ok()) return db.status();
    last = std::move(*db);
    open_s.push_back(t.open_s);
    ours_s.push_back(t.import_s);
  }
  auto floor_rows = CountRows(floor_db, "attendees_floor");
  if (!floor_rows.ok()) return floor_rows.status();
  if (static_cast<size_t>(*floor_rows) != o.rows) {
    return Status::Internal("the sqlite3 shell imported " + std::to_string(*floor_rows) +
                            " rows of " + std::to_string(o.rows));
  }

  // SQLite's own cost of our schema for these rows, in one statement.
  const std::string schema_db = work + "/schema_floor.db";
  RemoveDatabase(schema_db);
  auto schema = db::Database::Open(schema_db, db::OpenMode::kCreateIfMissing);
  if (!schema.ok()) return schema.status();
  auto bulk = TimeSchemaBulkInsert(**schema, floor_db, clock);
  if (!bulk.ok()) return bulk.status();
  schema->reset();
  RemoveDatabase(schema_db);

  // The reading side alone, in its two steps, to say which one costs.
  auto start = clock.Monotonic();
  auto fetched = db::CsvExportSource(csv, db::RosterFormat::kAuto, {}).Fetch();
  if (!fetched.ok()) return fetched.status();
  const double fetch_ms = MillisSince(clock, start);
  start = clock.Monotonic();
  auto table = db::ReadCsvFile(csv);
  if (!table.ok()) return table.status();
  const double parse_ms = MillisSince(clock, start);
  start = clock.Monotonic();
  auto mapped = db::MapRoster(*table, db::RosterFormat::kAuto, {});
  if (!mapped.ok()) return mapped.status();
  const double map_ms = MillisSince(clock, start);

  const double ours = Median(ours_s), floor = Median(floor_s);
  report.Section("Import of a " + std::to_string(o.rows) +
                 "-row generic export into a fresh database (medians of " +
                 std::to_string(o.import_runs) + " runs)");
  report.Rate("import", "checkin: ImportRoster", o.rows, ours_s);
  report.Rate("import", "floor: sqlite3 shell .import", o.rows, floor_s);
  report.Value("import", "  analysis: Fetch alone (read, parse, map)", fetch_ms, "ms");
  report.Value("import", "    ReadCsvFile alone", parse_ms, "ms");
  report.Value("import", "    MapRoster alone (of a copy)", map_ms, "ms");
  report.Value("import", "  Open + InitEvent (not counted)", Median(open_s) * 1e3, "ms");
  report.Value("import", "analysis: SQLite alone, our schema", *bulk * 1e3, "ms");
  report.Value("import", "ratio checkin / floor (time)", ours / floor, "x");
  report.Goal("import rate", static_cast<double>(o.rows) / ours, "rows/s", Bound::kAtLeast, 100000);
  report.Goal("import time / sqlite3 .import time", ours / floor, "x", Bound::kAtMost, 3);
  return last;
}

}  // namespace checkin::bench
