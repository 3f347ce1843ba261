// roster_bench: the foundation issue's benchmarks on a synthetic roster (100,000
// attendees by default): import rate, redeem latency with durable commits and
// search latency, each next to a SQLite floor measured in the same run, because
// a ratio survives a change of machine and an absolute time does not; then
// redeem latency while an import runs, against the same doors without one.
// Usage and figures: bench/RESULTS.md.

#include <sys/statfs.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <thread>

#include "bench/report.h"
#include "bench/roster_gen.h"
#include "bench/sqlite_floors.h"
#include "bench/workloads.h"
#include "common/number.h"

namespace checkin::bench {
namespace {

constexpr const char* kUsage =
    "usage: roster_bench [--rows N] [--redeems N] [--queries N] [--import-runs N]\n"
    "                    [--dir DIR] [--out FILE] [--sqlite3 PATH] [--keep]\n"
    "  --rows N         attendees in the generated export (default 100000)\n"
    "  --redeems N      fresh codes redeemed for the latency figures (default 3000)\n"
    "  --queries N      search queries (default 2000)\n"
    "  --import-runs N  imports of each kind; the median counts (default 3)\n"
    "  --dir DIR        where the scratch directory is made (default /tmp); it must\n"
    "                   be on a disk, since fsync on tmpfs costs nothing\n"
    "  --out FILE       also write the figures as JSON lines to FILE\n"
    "  --sqlite3 PATH   the sqlite3 shell for the import floor (default sqlite3)\n"
    "  --keep           keep the scratch directory\n";

Result<Options> ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--keep") {
      o.keep = true;
      continue;
    }
    if (i + 1 >= argc) return Status::InvalidInput("unknown option or missing value: " + arg);
    const std::string value = argv[++i];
    size_t* number = arg == "--rows"          ? &o.rows
                     : arg == "--redeems"     ? &o.redeems
                     : arg == "--queries"     ? &o.queries
                     : arg == "--import-runs" ? &o.import_runs
                                              : nullptr;
    if (number != nullptr) {
      if (Status s = ParseIntInto(value, 1, 100'000'000, arg, number); !s.ok()) return s;
    } else if (arg == "--dir") {
      o.dir = value;
    } else if (arg == "--out") {
      o.out = value;
    } else if (arg == "--sqlite3") {
      o.sqlite3 = value;
    } else {
      return Status::InvalidInput("unknown option: " + arg);
    }
  }
  // Every redeem phase takes fresh codes: warm-up, the timed run, the mixed
  // run and the run without fsync.
  if (kWarmupRedeems + 2 * o.redeems > o.rows) {
    return Status::InvalidInput("--redeems is too large for --rows (needs rows >= 2 x redeems + " +
                                std::to_string(kWarmupRedeems) + ")");
  }
  return o;
}

// Names the filesystem under `dir`: the redeem figures mean something only
// where fsync reaches a disk.
std::string FilesystemOf(const std::string& dir, bool* in_memory) {
  struct statfs fs {};
  *in_memory = false;
  if (statfs(dir.c_str(), &fs) != 0) return "unknown";
  switch (static_cast<unsigned long>(fs.f_type)) {
    case 0xEF53:
      return "ext2/3/4";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x794C7630:
      return "overlayfs";
    case 0x01021994:
      *in_memory = true;
      return "tmpfs";
    case 0x858458F6:
      *in_memory = true;
      return "ramfs";
    default: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "type 0x%lx", static_cast<unsigned long>(fs.f_type));
      return buf;
    }
  }
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

void Describe(const Options& o, const std::string& work, Report& report) {
  bool in_memory = false;
  report.Section("Machine and run");
  report.Info("cpu", CpuModel());
  report.Info("cores", std::to_string(std::thread::hardware_concurrency()));
  report.Info("scratch directory", work + " (" + FilesystemOf(work, &in_memory) + ")");
  report.Info("sqlite library", SqliteVersion());
  report.Info("rows / redeems / queries", std::to_string(o.rows) + " / " +
                                              std::to_string(o.redeems) + " / " +
                                              std::to_string(o.queries));
  if (in_memory) {
    std::fprintf(stderr,
                 "roster_bench: warning: %s is in memory, so fsync is free and the redeem"
                 " figures are not durable-commit figures; use --dir on a disk\n",
                 work.c_str());
  }
}

// The workloads in order: the import leaves the roster that the redeems and
// then the searches run on.
Status RunWorkloads(const Options& o, const std::string& work, Report& report) {
  const std::string csv = work + "/roster.csv";
  std::fprintf(stderr, "writing %zu rows to %s\n", o.rows, csv.c_str());
  auto codes = WriteGenericRoster(csv, o.rows, kSeed);
  if (!codes.ok()) return codes.status();
  auto db = BenchImport(o, csv, work, report);
  if (!db.ok()) return db.status().WithContext("import: ");
  if (Status s = BenchRedeem(o, **db, *codes, work, report); !s.ok()) {
    return s.WithContext("redeem: ");
  }
  if (Status s = BenchSearch(o, **db, *codes, report); !s.ok()) return s.WithContext("search: ");
  db->reset();
  if (Status s = BenchRedeemDuringImport(o, csv, *codes, work, report); !s.ok()) {
    return s.WithContext("redeem during import: ");
  }
  return Status::Ok();
}

int Run(const Options& o) {
  std::ofstream jsonl;
  if (!o.out.empty()) {
    jsonl.open(o.out, std::ios::trunc);
    if (!jsonl) {
      std::fprintf(stderr, "roster_bench: cannot write %s\n", o.out.c_str());
      return 1;
    }
  }
  std::string work = o.dir + "/checkin-bench-XXXXXX";
  if (mkdtemp(work.data()) == nullptr) {
    std::fprintf(stderr, "roster_bench: cannot make a directory under %s\n", o.dir.c_str());
    return 1;
  }
  Report report(o.out.empty() ? nullptr : &jsonl);
  Describe(o, work, report);
  const Status s = RunWorkloads(o, work, report);
  if (s.ok()) {
    const int failed = report.Goals();
    std::printf("\n%d goal(s) failed.%s\n", failed,
                o.out.empty() ? "" : (" JSON lines: " + o.out).c_str());
  } else {
    std::fprintf(stderr, "roster_bench: %s\n", s.message().c_str());
  }
  if (o.keep) {
    std::printf("kept %s\n", work.c_str());
  } else {
    std::error_code ec;
    std::filesystem::remove_all(work, ec);
  }
  return s.ok() ? 0 : 1;
}

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
      std::fputs(checkin::bench::kUsage, stdout);
      return 0;
    }
  }
  auto options = checkin::bench::ParseOptions(argc, argv);
  if (!options.ok()) {
    std::fprintf(stderr, "roster_bench: %s\n%s", options.status().message().c_str(),
                 checkin::bench::kUsage);
    return 2;
  }
  return checkin::bench::Run(*options);
}
