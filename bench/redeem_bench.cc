// The redeem workload: codes presented at the door through a CheckinDesk (one
// durable commit each), against a bare durable insert into a separate file.

#include <cstdio>
#include <map>
#include <numeric>

#include "bench/roster_gen.h"
#include "bench/sqlite_floors.h"
#include "bench/workloads.h"
#include "common/config.h"
#include "db/checkin_desk.h"

namespace checkin::bench {
namespace {

// Latencies of one phase, and how many of each verdict it saw.
struct Phase {
  std::vector<Sample> ours, floor;
  std::map<std::string, std::vector<Sample>> by_verdict;
  std::map<std::string, int> verdicts;
};

// A desk and its floor over one roster, handing out each code once in the
// order people arrive (a fixed shuffle, not file order).
class RedeemRig {
 public:
  RedeemRig(std::unique_ptr<db::CheckinDesk> desk, std::unique_ptr<DurableInsertFloor> floor,
            const std::vector<std::string>& codes)
      : desk_(std::move(desk)), floor_(std::move(floor)), codes_(codes), order_(codes.size()) {
    std::iota(order_.begin(), order_.end(), size_t{0});
    Rng rng(kSeed + 1);
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng.Below(i)]);
  }

  // Fresh codes, each redeemed right after one floor insert: whatever the disk
  // does meanwhile, both see it. The first `skip` are not recorded.
  Status Interleaved(size_t n, size_t skip, Phase* p) {
    for (size_t i = 0; i < skip + n; ++i) {
      const std::string& code = Fresh();
      Sample f, s;
      const std::string at = FormatUtc(SystemClock().Now());
      if (Status st = Timed(&f, [&] { return floor_->Insert(code, at); }); !st.ok()) return st;
      auto v = Redeem(code, &s);
      if (!v.ok()) return v.status();
      if (i >= skip) Record(p, *v, s, &f);
    }
    return Status::Ok();
  }

  // The door as it is, desk only: fresh tickets (40%), people scanning twice
  // (35%) and codes from another event (25%).
  Status Mixed(size_t n, Phase* p) {
    Rng rng(kSeed + 2);
    for (size_t i = 0; i < n; ++i) {
      const size_t pick = rng.Below(100);
      // Generated codes have no '0', so this one is in nobody's roster.
      const std::string code = pick < 40   ? Fresh()
                               : pick < 75 ? codes_[order_[rng.Below(next_)]]
                                           : "EV-0" + std::to_string(100000000000 + i);
      Sample s;
      auto v = Redeem(code, &s);
      if (!v.ok()) return v.status();
      Record(p, *v, s, nullptr);
    }
    return Status::Ok();
  }

  DurableInsertFloor& floor() { return *floor_; }

 private:
  const std::string& Fresh() { return codes_[order_[next_++]]; }

  Result<Verdict> Redeem(const std::string& code, Sample* s) {
    const RedeemRequest req{code, kDefaultGate, "bench-1", Direction::kEntry, ScanSource::kCamera};
    auto d = Timed(s, [&] { return desk_->Redeem(req); });
    if (!d.ok()) return d.status();
    return d->verdict;
  }

  static void Record(Phase* p, Verdict v, const Sample& ours, const Sample* floor) {
    const std::string name(VerdictName(v));
    p->ours.push_back(ours);
    if (floor != nullptr) p->floor.push_back(*floor);
    p->by_verdict[name].push_back(ours);
    ++p->verdicts[name];
  }

  std::unique_ptr<db::CheckinDesk> desk_;
  std::unique_ptr<DurableInsertFloor> floor_;
  const std::vector<std::string>& codes_;
  std::vector<size_t> order_;
  size_t next_ = 0;  // codes_[order_[0..next_)] have been presented
};

// Runs the interleaved phase with fsync off on both sides, then turns it back on.
Status WithoutFsync(db::Database& db, RedeemRig& rig, size_t n, Phase* p) {
  auto set = [&](Sync sync) -> Status {
    if (Status st = SetSync(db, sync); !st.ok()) return st;
    return rig.floor().SetSync(sync);
  };
  if (Status st = set(Sync::kOff); !st.ok()) return st;
  Status run = rig.Interleaved(n, 0, p);
  if (Status st = set(Sync::kFull); !st.ok()) return st;
  return run;
}

}  // namespace

Status BenchRedeem(const Options& o, db::Database& db, const std::vector<std::string>& codes,
                   const std::string& work, Report& report) {
  std::fprintf(stderr, "redeem\n");
  auto desk = db::CheckinDesk::Create(db, SystemClock(), DefaultConfig());
  if (!desk.ok()) return desk.status();
  auto floor = DurableInsertFloor::Open(work + "/floor_insert.db");
  if (!floor.ok()) return floor.status();
  RedeemRig rig(std::move(*desk), std::move(*floor), codes);

  Phase fresh, mixed, nosync;
  if (Status st = rig.Interleaved(o.redeems, kWarmupRedeems, &fresh); !st.ok()) return st;
  if (Status st = rig.Mixed(o.redeems / 2, &mixed); !st.ok()) return st;
  if (Status st = WithoutFsync(db, rig, o.redeems / 2, &nosync); !st.ok()) return st;

  const LatencySummary r = WallSummary(fresh.ours), f = WallSummary(fresh.floor);
  std::string tally;
  for (const auto& [name, n] : fresh.verdicts) {
    tally += (tally.empty() ? "" : ", ") + name + " " + std::to_string(n);
  }
  report.Section("Redeem on a " + std::to_string(codes.size()) +
                 "-attendee roster (CheckinDesk::Redeem; one durable commit each)");
  report.Info("verdicts of the fresh codes", tally);
  report.Latency("redeem", "checkin: fresh codes", r);
  report.Latency("redeem", "floor: bare durable INSERT", f);
  report.Value("redeem", "ratio p50 checkin / floor", r.p50 / f.p50, "x");
  report.Value("redeem", "ratio p99 checkin / floor", r.p99 / f.p99, "x");
  report.Value("redeem", "CPU per call, checkin (mean)", MeanCpu(fresh.ours), "ms");
  report.Value("redeem", "CPU per call, floor (mean)", MeanCpu(fresh.floor), "ms");
  report.Latency("redeem_mixed", "mixed, back to back: all", WallSummary(mixed.ours));
  for (const auto& [name, samples] : mixed.by_verdict) {
    report.Latency("redeem_mixed", "mixed: " + name, WallSummary(samples));
  }
  const LatencySummary rn = WallSummary(nosync.ours), fn = WallSummary(nosync.floor);
  report.Latency("redeem_nosync", "analysis, no fsync: checkin", rn);
  report.Latency("redeem_nosync", "analysis, no fsync: floor", fn);
  report.Value("redeem_nosync", "ratio p50 checkin / floor, no fsync", rn.p50 / fn.p50, "x");
  report.Value("redeem_nosync", "ratio p99 checkin / floor, no fsync", rn.p99 / fn.p99, "x");
  report.Goal("redeem p99 / durable insert p99", r.p99 / f.p99, "x", Bound::kAtMost, 3);
  return Status::Ok();
}

}  // namespace checkin::bench
