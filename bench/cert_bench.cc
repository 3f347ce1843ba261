// cert_bench: certificates of attendance (issue 13). An event of N attendees
// (default 1,000), every one admitted on one morning and half of them seen
// leaving, names cycling through seven scripts (Latin with accents, Greek,
// Cyrillic, Arabic, Hebrew, CJK, Devanagari: the fallback fonts are loaded);
// then what `checkin certificates --out FILE.pdf` does, timed three times:
// read the attendance, make the codes, render one PDF.
// Usage: cert_bench [--attendees N] [--out FILE]. Figures: bench/RESULTS.md.

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/report.h"
#include "common/certificate_code.h"
#include "common/clock.h"
#include "common/number.h"
#include "db/attendance.h"
#include "db/local_desk.h"
#include "db/roster_import.h"
#include "printer/certificate_render.h"

namespace checkin::bench {
namespace {

const char* const kFirst[] = {"María José", "Γιώργος", "Анна", "محمد", "דוד", "王", "प्रिया"};
const char* const kLast[] = {"Muñoz Peña", "Παπαδόπουλος", "Иванова", "العلي",
                             "כהן",        "小明",         "शर्मा"};

// An event file under `dir` with `n` attendees, all admitted, half out again.
Result<std::unique_ptr<db::Database>> AdmittedEvent(const std::string& dir, size_t n) {
  const Clock& clock = SystemClock();
  auto db = db::Database::Open(dir + "/e.db", db::OpenMode::kCreateIfMissing);
  if (!db.ok()) return db.status();
  if (Status s = (*db)->InitEvent({"KCD Colombia 2026", "America/Bogota", ""}, clock); !s.ok())
    return s;
  db::RosterSnapshot snap;
  for (size_t i = 0; i < n; ++i) {
    db::RosterRecord r;
    r.line = static_cast<int>(i + 2);
    r.ticket_code = r.ticket_id = "CERT-" + std::to_string(i);
    r.first_name = kFirst[i % 7];
    r.last_name = kLast[i % 7];
    r.ticket_type = "General";
    snap.records.push_back(r);
  }
  auto applied =
      db::ApplyRoster(**db, snap, db::MissingPolicy::kReport, db::ImportMode::kApply, clock);
  if (!applied.ok()) return applied.status();
  auto desk = db::LocalDesk::Over(**db, clock, DefaultConfig());
  if (!desk.ok()) return desk.status();
  for (size_t i = 0; i < n; ++i) {
    for (Direction d : {Direction::kEntry, Direction::kExit}) {
      if (d == Direction::kExit && i % 2 == 1) continue;
      auto r = (*desk)->Redeem(
          {"CERT-" + std::to_string(i), "Principal", "bench", d, ScanSource::kManual});
      if (!r.ok()) return r.status();
    }
  }
  return db;
}

// What the command does between opening the file and writing the PDF.
Result<std::string> Certificates(db::Database& db, size_t* count) {
  auto event = db.Event();
  if (!event.ok()) return event.status();
  auto attended = db::ListAttendance(db, event->timezone);
  if (!attended.ok()) return attended.status();
  auto key = db::CertificateKey(db, SystemClock());
  if (!key.ok()) return key.status();
  std::vector<printer::Certificate> certs;
  for (db::Attendance& a : *attended) {
    auto code = CertificateCode(*key, event->created_at, a.attendee.source, a.attendee.ticket_id);
    if (!code.ok()) return code.status();
    certs.push_back(
        {a.attendee.id, a.attendee.FullName(), a.attendee.ticket_type, a.dates, a.minutes, *code});
  }
  *count = certs.size();
  return printer::RenderCertificates(certs, printer::DefaultCertificateTemplate(Language::kSpanish),
                                     event->name, Language::kSpanish);
}

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  using namespace checkin;
  using namespace checkin::bench;
  size_t attendees = 1000;
  std::string out_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--attendees") {
      if (Status s = ParseIntInto(value, 1, 1'000'000, arg, &attendees); !s.ok()) {
        std::fprintf(stderr, "cert_bench: %s\n", s.message().c_str());
        return 2;
      }
    } else if (arg == "--out") {
      out_path = value;
    }
  }
  Report report(out_path);
  const std::string dir = std::filesystem::temp_directory_path() / "checkin-cert-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db = AdmittedEvent(dir, attendees);
  if (!db.ok()) {
    std::fprintf(stderr, "cert_bench: %s\n", db.status().message().c_str());
    return 2;
  }
  report.Section("Certificates of attendance into one PDF (seven scripts, one core)");
  const Clock& clock = SystemClock();
  std::vector<double> took_s;
  size_t count = 0, bytes = 0;
  for (int run = 0; run < 3; ++run) {
    const auto start = clock.Monotonic();
    auto pdf = Certificates(**db, &count);
    const std::chrono::duration<double> took = clock.Monotonic() - start;
    if (!pdf.ok()) {
      std::fprintf(stderr, "cert_bench: %s\n", pdf.status().message().c_str());
      return 2;
    }
    took_s.push_back(took.count());
    bytes = pdf->size();
  }
  report.Rate("certificates", std::to_string(count) + " certificates in one PDF", count, took_s);
  report.Value("certificates", "size of the PDF", static_cast<double>(bytes) / 1e6, "MB");
  report.Goal("certificates into one PDF", static_cast<double>(count) / Median(took_s),
              "certificates/s", Bound::kAtLeast, 200);
  std::filesystem::remove_all(dir);
  return report.Goals() == 0 ? 0 : 1;
}
