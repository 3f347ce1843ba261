// badge_bench: the badges issue's rendering figures. Batch rendering of 1,000
// badges into one PDF, single-badge PDFs one after another, and the size of
// the batch, on the default layout with names from the sample roster's mix.
// Usage: badge_bench [--badges N] [--out FILE]. Figures: bench/RESULTS.md.

#include <charconv>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench/report.h"
#include "common/clock.h"
#include "printer/badge_render.h"

namespace checkin::bench {
namespace {

std::vector<Attendee> People(size_t n) {
  static const char* kFirst[] = {"María José", "Andrés Felipe", "Łukasz", "Valentina", "Søren",
                                 "Juan Pablo", "Begoña", "Nguyễn Thị", "Sebastián", "Ana María"};
  static const char* kLast[] = {"Muñoz Peña", "Gómez Ríos", "Kowalski", "Ibáñez Quiñones", "Ørsted",
                                "Fernández de Córdoba y Sotomayor", "Ñañez", "Hà", "Zuluaga", "O'Brien"};
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

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  using namespace checkin;
  using namespace checkin::bench;
  size_t badges = 1000;
  std::string out_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--badges") {
      std::from_chars(value.data(), value.data() + value.size(), badges);
    } else if (arg == "--out") {
      out_path = value;
    }
  }
  std::ofstream jsonl;
  if (!out_path.empty()) jsonl.open(out_path, std::ios::app);
  Report report(out_path.empty() ? nullptr : &jsonl);
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

  std::vector<double> sorted = batch_s;
  std::sort(sorted.begin(), sorted.end());
  report.Goal("batch rendering", static_cast<double>(badges) / sorted[1], "badges/s",
              Bound::kAtLeast, 500);
  if (badges == 1000) {
    report.Goal("1,000-badge batch size", static_cast<double>(batch_bytes) / 1e6, "MB", Bound::kBelow, 5);
  }
  return report.Goals() == 0 ? 0 : 1;
}
