// badge_bench: the badges issue's rendering figures. Batch rendering of 1,000
// badges into one PDF, single-badge PDFs one after another, and the size of
// the batch, on the default layout with names from the sample roster's mix.
// Usage: badge_bench [--badges N] [--out FILE]. Figures: bench/RESULTS.md.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench/report.h"
#include "common/clock.h"
#include "common/number.h"
#include "db/local_desk.h"
#include "db/print_queue.h"
#include "db/roster_import.h"
#include "printer/badge_render.h"
#include "printer/print_worker.h"

namespace checkin::bench {
namespace {

std::vector<Attendee> People(size_t n) {
  static const char* kFirst[] = {"María José", "Andrés Felipe", "Łukasz", "Valentina",
                                 "Søren",      "Juan Pablo",    "Begoña", "Nguyễn Thị",
                                 "Sebastián",  "Ana María"};
  static const char* kLast[] = {"Muñoz Peña",      "Gómez Ríos", "Kowalski",
                                "Ibáñez Quiñones", "Ørsted",     "Fernández de Córdoba y Sotomayor",
                                "Ñañez",           "Hà",         "Zuluaga",
                                "O'Brien"};
  static const char* kCompany[] = {"Cóndor Cloud S.A.S.", "Universidad Distrital", "", "Arepa Labs",
                                   "Datos, Nube y Café S.A.S."};
  static const char* kType[] = {"General", "Speaker", "Sponsor", "Estudiante", "Organizador"};
  std::vector<Attendee> out(n);
  for (size_t i = 0; i < n; ++i) {
    Attendee& a = out[i];
    a.id = static_cast<int64_t>(i + 1);
    a.first_name = kFirst[i % 10];
    a.last_name = kLast[(i / 10) % 10];
    a.company = kCompany[i % 5];
    a.ticket_type = kType[(i / 3) % 5];
    char code[32];
    std::snprintf(code, sizeof code, "B-BENCH%011zu", i);
    a.badge_code = code;
  }
  return out;
}

// Time from a badge job entering the queue (what an admission does) to CUPS
// accepting it, through the print worker, for `n` badges one at a time.
int BenchCups(const std::string& queue_name, size_t n, Report& report) {
  const Clock& clock = SystemClock();
  const std::string dir = std::filesystem::temp_directory_path() / "checkin-badge-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db = db::Database::Open(dir + "/e.db", db::OpenMode::kCreateIfMissing);
  if (!db.ok() || !(*db)->InitEvent({"KCD Colombia 2026", "America/Bogota", ""}, clock).ok())
    return 2;
  db::RosterSnapshot snap;
  for (size_t i = 0; i < n; ++i) {
    db::RosterRecord r;
    r.line = static_cast<int>(i + 2);
    r.ticket_code = r.ticket_id = "CUPS-" + std::to_string(i);
    r.first_name = "María José";
    r.last_name = "Muñoz Peña";
    snap.records.push_back(r);
  }
  if (!db::ApplyRoster(**db, snap, db::MissingPolicy::kReport, db::ImportMode::kApply, clock).ok())
    return 2;
  auto backend = printer::MakePrinterBackend(queue_name);
  if (!backend.ok()) return 2;
  printer::WorkerConfig wc{"bench/" + queue_name, "bench", printer::DefaultLayout(),
                           "KCD Colombia 2026", 8};
  auto desk = db::LocalDesk::Over(**db, clock, DefaultConfig());
  if (!desk.ok()) return 2;
  printer::PrintWorker worker(**desk, **backend, clock, wc);
  db::PrintQueue queue(**db, clock);
  LatencySummary lat;
  std::vector<double> ms;
  for (size_t i = 0; i < n; ++i) {
    const auto start = clock.Monotonic();
    auto id = queue.Enqueue(static_cast<int64_t>(i + 1), "bench");
    if (!id.ok()) return 2;
    for (int tries = 0; tries < 1000; ++tries) {
      if (!worker.Step().ok()) return 2;
      auto recent = queue.Recent(1);
      if (recent.ok() && !recent->empty() && !recent->front().printer_job_id.empty()) break;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(clock.Monotonic() - start).count());
    // Let CUPS finish it so the next one is not queued behind it.
    for (int tries = 0; tries < 300; ++tries) {
      if (!worker.Step().ok()) return 2;
      auto c = queue.Counts();
      if (c.ok() && c->printing == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  std::sort(ms.begin(), ms.end());
  const double p50 = ms[ms.size() / 2], max = ms.back();
  report.Value("badges", "queued -> accepted by CUPS, p50 (" + std::to_string(n) + " badges)", p50,
               "ms");
  report.Value("badges", "queued -> accepted by CUPS, max", max, "ms");
  report.Goal("admitted -> accepted by CUPS (max)", max / 1000.0, "s", Bound::kBelow, 1.0);
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  using namespace checkin;
  using namespace checkin::bench;
  size_t badges = 1000;
  std::string out_path, cups_queue;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--cups") {
      cups_queue = value;
    } else if (arg == "--badges") {
      if (Status s = ParseIntInto(value, 1, 1'000'000, arg, &badges); !s.ok()) {
        std::fprintf(stderr, "badge_bench: %s\n", s.message().c_str());
        return 2;
      }
    } else if (arg == "--out") {
      out_path = value;
    }
  }
  Report report(out_path);
  const Clock& clock = SystemClock();
  const printer::BadgeLayout layout = printer::DefaultLayout();
  const std::vector<Attendee> people = People(badges);

  report.Section("Badge rendering (default layout, 4x3 in, DejaVu Sans, one core)");
  std::vector<double> batch_s;
  size_t batch_bytes = 0;
  for (int run = 0; run < 3; ++run) {
    const auto start = clock.Monotonic();
    auto pdf = printer::RenderBadges(people, layout, "KCD Colombia 2026");
    const std::chrono::duration<double> took = clock.Monotonic() - start;
    if (!pdf.ok()) {
      std::fprintf(stderr, "badge_bench: %s\n", pdf.status().message().c_str());
      return 2;
    }
    batch_s.push_back(took.count());
    batch_bytes = pdf->size();
  }
  report.Rate("badges", "batch: " + std::to_string(badges) + " badges in one PDF", badges, batch_s);

  const size_t singles = std::min<size_t>(badges, 200);
  std::vector<double> single_s;
  const auto start = clock.Monotonic();
  for (size_t i = 0; i < singles; ++i) {
    auto pdf = printer::RenderBadges({people[i]}, layout, "KCD Colombia 2026");
    if (!pdf.ok()) return 2;
  }
  const std::chrono::duration<double> took = clock.Monotonic() - start;
  single_s.push_back(took.count());
  report.Rate("badges", "single-badge PDFs, one after another", singles, single_s);
  report.Value("badges", "size of the batch PDF", static_cast<double>(batch_bytes) / 1e6, "MB");

  if (!cups_queue.empty() && BenchCups(cups_queue, 20, report) != 0) {
    std::fprintf(stderr, "badge_bench: printing through CUPS queue %s failed\n",
                 cups_queue.c_str());
    return 2;
  }

  std::vector<double> sorted = batch_s;
  std::sort(sorted.begin(), sorted.end());
  report.Goal("batch rendering", static_cast<double>(badges) / sorted[1], "badges/s",
              Bound::kAtLeast, 500);
  if (badges == 1000) {
    report.Goal("1,000-badge batch size", static_cast<double>(batch_bytes) / 1e6, "MB",
                Bound::kBelow, 5);
  }
  return report.Goals() == 0 ? 0 : 1;
}
