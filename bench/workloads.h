// The three measured workloads of roster_bench, each timed through the same
// library calls the `checkin` CLI makes and printed next to its SQLite floor.
// Single-threaded; each takes the Database it works on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/report.h"
#include "common/result.h"
#include "db/database.h"

namespace checkin::bench {

inline constexpr uint64_t kSeed = 20261128;
// Redeems before the timed ones, so first-use costs (page cache, the WAL file
// growing) are not charged to the door.
inline constexpr size_t kWarmupRedeems = 50;

struct Options {
  size_t rows = 100000;
  size_t redeems = 3000;
  size_t queries = 2000;
  size_t import_runs = 3;
  std::string dir = "/tmp";
  std::string out;
  std::string sqlite3 = "sqlite3";
  bool keep = false;
};

// Imports `csv` into fresh databases in `work` as `checkin roster import` does
// (ImportRoster over a CsvExportSource), alternating with the sqlite3
// shell's .import of the same file. Returns the last database imported.
Result<std::unique_ptr<db::Database>> BenchImport(const Options& o, const std::string& csv,
                                                  const std::string& work, Report& report);

// Redeems distinct codes from `codes` (the roster, in file order) through a
// CheckinDesk, interleaved one for one with bare durable inserts into a
// separate file in `work`; then a mix of fresh codes, repeats and unknown
// codes; then the interleaved run again without fsync, for analysis.
Status BenchRedeem(const Options& o, db::Database& db, const std::vector<std::string>& codes,
                   const std::string& work, Report& report);

// Redeems the first codes of `codes` on a second connection, alone and then
// while another export of as many new tickets is imported into the same
// event (a fresh database in `work`, loaded from `csv` first).
Status BenchRedeemDuringImport(const Options& o, const std::string& csv,
                               const std::vector<std::string>& codes, const std::string& work,
                               Report& report);

// SearchAttendees over generated queries, and point lookups by code as a
// reference.
Status BenchSearch(const Options& o, db::Database& db, const std::vector<std::string>& codes,
                   Report& report);

}  // namespace checkin::bench
