// The attendance report of a large past event (issue 13): 100,000 tickets
// and 300,000 check-ins of two days (bench/report_event.h). Times the SQL
// aggregation alone (report::ComputeReport) and each format written whole
// (aggregation, drawing, the file written atomically) in the same run,
// alternating, and sets each format against the aggregation.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/report.h"
#include "bench/report_event.h"
#include "common/number.h"
#include "report/output.h"
#include "report/report.h"

namespace checkin::bench {
namespace {

constexpr uint64_t kSeed = 20261128;

struct Options {
  size_t attendees = 100000;
  size_t rows = 300000;
  size_t runs = 3;
  std::string dir = "/tmp";
  std::string out;
  bool keep = false;
};

struct Target {
  const char* name;
  report::Format format;
  const char* file;
};
constexpr Target kTargets[] = {{"json", report::Format::kJson, "report.json"},
                               {"csv (a folder)", report::Format::kCsv, "report-csv"},
                               {"html", report::Format::kHtml, "report.html"},
                               {"pdf", report::Format::kPdf, "report.pdf"},
                               {"xlsx", report::Format::kXlsx, "report.xlsx"}};

int Run(const Options& o) {
  const Clock& clock = SystemClock();
  const std::string work = o.dir + "/checkin-report-bench-" + std::to_string(::getpid());
  std::filesystem::create_directories(work);
  Report report(o.out);
  auto fail = [&](const std::string& what, const Status& s) {
    std::fprintf(stderr, "\nreport_bench: %s: %s\n", what.c_str(), s.message().c_str());
    if (!o.keep) std::filesystem::remove_all(work);
    return 2;
  };

  const std::string path = work + "/event.db";
  std::fprintf(stderr, "report_bench: making the event (%zu tickets, %zu check-ins)\n", o.attendees,
               o.rows);
  auto made = MakeReportEvent(path, o.attendees, o.rows, kSeed, [&](size_t done) {
    std::fprintf(stderr, "\r  %zu of %zu check-ins recorded", done, o.rows);
  });
  std::fprintf(stderr, "\n");
  if (!made.ok()) return fail("making the event", made.status());
  auto db = db::Database::Open(path, db::OpenMode::kMustExist);
  if (!db.ok()) return fail("opening the event", db.status());

  report::ReportRequest req;
  std::vector<double> aggregation_ms;
  std::vector<std::vector<double>> format_ms(std::size(kTargets)), drawing_ms(std::size(kTargets));
  int64_t checked_in = 0;
  for (size_t run = 0; run < o.runs; ++run) {
    std::fprintf(stderr, "report_bench: run %zu of %zu\n", run + 1, o.runs);
    Sample s;
    auto r = Timed(&s, [&] { return report::ComputeReport(**db, clock, req); });
    if (!r.ok()) return fail("the aggregation", r.status());
    aggregation_ms.push_back(s.wall);
    checked_in = r->checked_in;
    for (size_t t = 0; t < std::size(kTargets); ++t) {
      const std::string out = work + "/" + kTargets[t].file;
      std::error_code ec;
      std::filesystem::remove_all(out, ec);
      Sample f;
      Status written = Timed(&f, [&] {
        auto again = report::ComputeReport(**db, clock, req);
        if (!again.ok()) return again.status();
        return report::WriteReport(*again, kTargets[t].format, out, Language::kSpanish);
      });
      if (!written.ok()) return fail(std::string("the ") + kTargets[t].name + " report", written);
      format_ms[t].push_back(f.wall);
      // What the format itself costs: drawing and writing the computed report.
      std::filesystem::remove_all(out, ec);
      Sample w;
      written = Timed(
          &w, [&] { return report::WriteReport(*r, kTargets[t].format, out, Language::kSpanish); });
      if (!written.ok()) return fail(std::string("the ") + kTargets[t].name + " report", written);
      drawing_ms[t].push_back(w.wall);
    }
  }

  report.Section("Attendance report of a " + std::to_string(made->attendees) + "-ticket event, " +
                 std::to_string(made->log_rows) + " check-ins (medians of " +
                 std::to_string(o.runs) + " runs)");
  report.Info("admissions / exits / denials / undos / conflicts",
              std::to_string(made->admissions) + " / " + std::to_string(made->exits) + " / " +
                  std::to_string(made->denials) + " / " + std::to_string(made->undos) + " / " +
                  std::to_string(made->conflicts));
  report.Info("checked in", std::to_string(checked_in));
  const double base = Median(aggregation_ms);
  report.Value("report", "SQL aggregation alone (ComputeReport)", base, "ms");
  for (size_t t = 0; t < std::size(kTargets); ++t) {
    const double ms = Median(format_ms[t]);
    std::error_code ec;
    const std::string out = work + "/" + kTargets[t].file;
    report.Value("report", std::string(kTargets[t].name) + ": aggregation + file", ms, "ms");
    report.Value("report", std::string("  ") + kTargets[t].name + " / aggregation", ms / base, "x");
    report.Value("report", std::string("  ") + kTargets[t].name + ": drawing and writing alone",
                 Median(drawing_ms[t]), "ms");
    if (std::filesystem::is_regular_file(out, ec)) {
      report.Value("report", std::string("  ") + kTargets[t].name + " size",
                   static_cast<double>(std::filesystem::file_size(out, ec)) / 1e3, "kB");
    }
  }
  for (size_t t = 0; t < std::size(kTargets); ++t) {
    const double ms = Median(format_ms[t]);
    if (kTargets[t].format == report::Format::kPdf || kTargets[t].format == report::Format::kXlsx) {
      report.Goal(std::string(kTargets[t].name) + " / SQL aggregation", ms / base, "x",
                  Bound::kAtMost, 3);
    }
    report.Goal(std::string(kTargets[t].name) + ", whole", ms / 1000, "s", Bound::kBelow, 3);
  }
  if (!o.keep) std::filesystem::remove_all(work);
  return report.Goals() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  using namespace checkin;
  bench::Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--keep") {
      o.keep = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "report_bench: %s needs a value\n", arg.c_str());
      return 2;
    }
    const std::string value = argv[++i];
    Status s;
    if (arg == "--attendees") {
      s = ParseIntInto(value, 100, 10'000'000, arg, &o.attendees);
    } else if (arg == "--rows") {
      s = ParseIntInto(value, 100, 100'000'000, arg, &o.rows);
    } else if (arg == "--runs") {
      s = ParseIntInto(value, 1, 100, arg, &o.runs);
    } else if (arg == "--dir") {
      o.dir = value;
    } else if (arg == "--out") {
      o.out = value;
    } else {
      s = Status::InvalidInput("unknown option " + arg +
                               " (--attendees N, --rows N, --runs N, --dir D, --out FILE, --keep)");
    }
    if (!s.ok()) {
      std::fprintf(stderr, "report_bench: %s\n", s.message().c_str());
      return 2;
    }
  }
  return bench::Run(o);
}
