// ticket_bench: issue 12's signed-ticket figure. What checking a pretix_sig1
// code costs a scan (base64, lengths, Ed25519, protobuf), on pretix's own
// example ticket: against its key alone, against two keys with the right one
// second, a forged code against two keys (two failed checks: the most a scan
// can cost) and a plain roster code (the way out before any decoding).
// Usage: ticket_bench [--scans N] [--out FILE]. Figures: bench/RESULTS.md.

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench/report.h"
#include "common/number.h"
#include "common/signed_ticket.h"
#include "tests/common/pretix_sig1_example.h"

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

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  using namespace checkin;
  using namespace checkin::bench;
  size_t scans = 5000;
  std::string out_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--scans") {
      if (Status s = ParseIntInto(value, 1, 10'000'000, arg, &scans); !s.ok()) {
        std::fprintf(stderr, "ticket_bench: %s\n", s.message().c_str());
        return 2;
      }
    } else if (arg == "--out") {
      out_path = value;
    }
  }
  std::ofstream jsonl;
  if (!out_path.empty()) jsonl.open(out_path, std::ios::app);
  Report report(out_path.empty() ? nullptr : &jsonl);

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
  return report.Goals() == 0 ? 0 : 1;
}
