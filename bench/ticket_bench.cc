// ticket_bench: issue 12's signed-ticket figure. What checking a pretix_sig1
// code costs a scan (base64, lengths, Ed25519, protobuf), on pretix's own
// example ticket: against its key alone, against two keys with the right one
// second, a forged code against two keys (two failed checks: the most a scan
// can cost) and a plain roster code (the way out before any decoding). Then
// at the desk, each a durable redeem on a real event file: a synced roster
// ticket (the baseline), a forged signed code, and the first scan of a
// genuine signed ticket sold after the last sync (verified, joined to the
// roster, admitted).
// Usage: ticket_bench [--scans N] [--dir D] [--out FILE]. Figures:
// bench/RESULTS.md.

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bench/report.h"
#include "common/number.h"
#include "common/signed_ticket.h"
#include "db/checkin_desk.h"
#include "db/roster_import.h"
#include "tests/common/pretix_sig1_example.h"
#include "tests/fakes/sig1_signer.h"

namespace checkin::bench {
namespace {

// Times `scans` checks of `code`; false if one came out other than `expect`.
bool Measure(const std::string& name, const std::string& code,
             const std::vector<Sig1PublicKey>& keys, SignedTicketCheck expect, size_t scans,
             Report& report, LatencySummary* out) {
  std::vector<double> ms;
  ms.reserve(scans);
  for (size_t i = 0; i < scans; ++i) {
    Sample s;
    const auto verdict = Timed(&s, [&] { return VerifySignedTicket(code, keys); });
    if (verdict.check() != expect) {
      std::fprintf(stderr, "ticket_bench: %s: unexpected verdict (%s)\n", name.c_str(),
                   verdict.reason().c_str());
      return false;
    }
    ms.push_back(s.wall);
  }
  *out = Summarize(std::move(ms));
  report.Latency("signed_ticket", name, *out);
  return true;
}

// Durable redeems of `codes` in turn; false if one came out other than
// `expect`.
bool MeasureRedeems(const std::string& name, db::CheckinDesk& desk,
                    const std::vector<std::string>& codes, Verdict expect, Report& report,
                    LatencySummary* out) {
  std::vector<double> ms;
  ms.reserve(codes.size());
  for (const std::string& code : codes) {
    Sample s;
    auto d = Timed(&s, [&] {
      return desk.Redeem({code, "Principal", "puerta-1", Direction::kEntry, ScanSource::kCamera});
    });
    if (!d.ok() || d->verdict != expect) {
      std::fprintf(
          stderr, "ticket_bench: %s: %s\n", name.c_str(),
          d.ok() ? std::string(VerdictName(d->verdict)).c_str() : d.status().message().c_str());
      return false;
    }
    ms.push_back(s.wall);
  }
  *out = Summarize(std::move(ms));
  report.Latency("signed_ticket_desk", name, *out);
  return true;
}

// The three kinds of scan at a desk over a pretix roster of `rows` tickets
// whose rules hold our own key pair.
int BenchDesk(const std::string& dir, size_t scans, Report& report, LatencySummary* verify) {
  if (sodium_init() < 0) return 2;
  const std::string path = dir + "/ticket_bench_" + std::to_string(::getpid()) + ".db";
  std::remove(path.c_str());
  auto db = db::Database::Open(path, db::OpenMode::kCreateIfMissing);
  if (!db.ok()) return std::fprintf(stderr, "ticket_bench: %s\n", db.status().message().c_str()), 2;
  const Clock& clock = SystemClock();
  if (Status s = (*db)->InitEvent({"ticket_bench", "America/Bogota", ""}, clock); !s.ok()) return 2;
  testing::sig1::KeyPair key;
  db::RosterSnapshot snap;
  snap.format = db::RosterFormat::kPretix;
  snap.source = "pretix";
  snap.rules.emplace();
  snap.rules->signing_keys = {key.Published()};
  snap.rules->items = {{1, "General Admission", true}};
  std::vector<std::string> synced, unsynced, forged;
  const size_t rows = 3000;
  for (size_t i = 0; i < rows; ++i) {
    db::RosterRecord r;
    r.line = static_cast<int>(i) + 1;
    r.ticket_id = "ORD" + std::to_string(i) + "-1";
    r.ticket_code = testing::sig1::Sign(
        testing::sig1::Payload({.seed = "synced" + std::to_string(i), .item = 1}), key);
    r.first_name = "Asistente";
    r.last_name = std::to_string(i);
    r.ticket_type = "General Admission";
    if (i < scans) synced.push_back(r.ticket_code);
    snap.records.push_back(std::move(r));
  }
  snap.total_rows = static_cast<int>(rows);
  auto applied =
      db::ApplyRoster(**db, snap, db::MissingPolicy::kReport, db::ImportMode::kApply, clock);
  if (!applied.ok()) return 2;
  for (size_t i = 0; i < scans; ++i) {
    unsynced.push_back(testing::sig1::Sign(
        testing::sig1::Payload({.seed = "late" + std::to_string(i), .item = 1}), key));
    std::string f = unsynced.back();
    f[20] = f[20] == 'A' ? 'B' : 'A';
    forged.push_back(std::move(f));
  }
  auto desk = db::CheckinDesk::Create(**db, clock, DefaultConfig());
  if (!desk.ok()) return 2;
  report.Section("Signed tickets at the desk: durable redeems on a 3,000-ticket pretix event");
  LatencySummary roster, bad, late;
  const bool ok =
      MeasureRedeems("synced ticket (baseline)", **desk, synced, Verdict::kAdmitted, report,
                     &roster) &&
      MeasureRedeems("forged signed code", **desk, forged, Verdict::kInvalid, report, &bad) &&
      MeasureRedeems("genuine signed ticket, not synced yet (first scan)", **desk, unsynced,
                     Verdict::kAdmitted, report, &late);
  desk->reset();
  db->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  if (!ok) return 2;
  report.Value("signed_ticket_desk", "verification's share of a synced redeem (p50)",
               verify->p50 / roster.p50, "x");
  report.Value("signed_ticket_desk", "first scan of an unsynced ticket / synced redeem (p50)",
               late.p50 / roster.p50, "x");
  return 0;
}

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  using namespace checkin;
  using namespace checkin::bench;
  size_t scans = 5000;
  size_t desk_scans = 300;
  std::string out_path, dir = "/tmp";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--scans") {
      if (Status s = ParseIntInto(value, 1, 10'000'000, arg, &scans); !s.ok()) {
        std::fprintf(stderr, "ticket_bench: %s\n", s.message().c_str());
        return 2;
      }
    } else if (arg == "--out") {
      out_path = value;
    } else if (arg == "--dir") {
      dir = value;
    } else if (arg == "--desk-scans") {
      if (Status s = ParseIntInto(value, 1, 3000, arg, &desk_scans); !s.ok()) {
        std::fprintf(stderr, "ticket_bench: %s\n", s.message().c_str());
        return 2;
      }
    } else {
      std::fprintf(stderr, "ticket_bench: unknown option %s\n", arg.c_str());
      return 2;
    }
  }
  Report report(out_path);

  auto one = ParseSig1Keys({sig1_example::kPretixKey});
  auto two = ParseSig1Keys({sig1_example::kOtherEventKey, sig1_example::kPretixKey});
  if (!one.ok() || !two.ok()) return 2;
  const std::string genuine = sig1_example::kPretixTicket;
  std::string forged = genuine;
  forged[20] = forged[20] == 'A' ? 'B' : 'A';  // inside the signature

  report.Section("Signed tickets (pretix_sig1), one check per scan, one core");
  LatencySummary single, rotating, worst, plain;
  using enum SignedTicketCheck;
  if (!Measure("genuine, 1 key", genuine, *one, kValid, scans, report, &single) ||
      !Measure("genuine, 2 keys (right one second)", genuine, *two, kValid, scans, report,
               &rotating) ||
      !Measure("forged, 2 keys", forged, *two, kForged, scans, report, &worst) ||
      !Measure("plain roster code", "KCD26-2IBYYURL7B", *two, kNotSigned, scans, report, &plain)) {
    return 2;
  }
  report.Goal("signed ticket checked per scan (2 keys, p50)", rotating.p50, "ms", Bound::kBelow,
              0.2);
  report.Goal("forged ticket refused per scan (2 keys, p50)", worst.p50, "ms", Bound::kBelow, 0.2);
  if (int rc = BenchDesk(dir, desk_scans, report, &rotating); rc != 0) return rc;
  return report.Goals() == 0 ? 0 : 1;
}
