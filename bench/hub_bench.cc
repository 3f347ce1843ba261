// hub_bench (issue 10): N concurrent stations redeeming distinct codes on a
// 100,000-attendee roster through the venue hub over loopback HTTPS, against
// the same redeems done locally (one LocalDesk connection per thread on the
// same file) in the same run. The hub runs in this process, on its own
// thread pool, as `hub serve` runs it: same HubServer, same SQLite store,
// synchronous=FULL in WAL. Each station is a RemoteDesk (one kept-alive TLS
// connection) and every redeem carries a fresh nonce.
//
//   hub_bench [--dir DIR] [--seconds S] [--out results.jsonl] [--keep]

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>

#include "bench/report.h"
#include "bench/roster_gen.h"
#include "bench/workloads.h"
#include "common/config.h"
#include "common/forwarding_service.h"
#include "common/random.h"
#include "db/devices.h"
#include "db/local_desk.h"
#include "db/registration_source.h"
#include "db/roster_format.h"
#include "db/roster_import.h"
#include "hub/hub_identity.h"
#include "hub/hub_server.h"
#include "hub/hub_store.h"
#include "hub/remote_desk.h"

namespace checkin::bench {
namespace {

struct HubBenchOptions {
  std::string dir = "/tmp";
  std::string out;
  double seconds = 1.5;  // each phase
  bool keep = false;
};

// Hands out each roster code once, across every phase and thread, in a fixed
// shuffled order.
class Codes {
 public:
  explicit Codes(std::vector<std::string> codes) : codes_(std::move(codes)) {
    Rng rng(kSeed + 10);
    for (size_t i = codes_.size(); i > 1; --i) std::swap(codes_[i - 1], codes_[rng.Below(i)]);
  }
  const std::string* Next() {
    const size_t i = next_.fetch_add(1);
    return i < codes_.size() ? &codes_[i] : nullptr;
  }

 private:
  std::vector<std::string> codes_;
  std::atomic<size_t> next_{0};
};

struct PhaseResult {
  std::vector<double> latencies_ms;
  double seconds = 0;
  int failures = 0;
  std::string first_error;
};

// `n` threads, each with the service `make(i)` gives it, redeem fresh codes
// back to back for `seconds`. Warm-up: each thread's first 5 are not recorded.
template <typename Make>
PhaseResult RunPhase(int n, double seconds, Codes& codes, Make make) {
  PhaseResult r;
  std::mutex mu;
  std::atomic<bool> stop{false};
  std::condition_variable cv;
  int ready = 0;  // guarded by mu, like go
  bool go = false;
  std::vector<std::thread> threads;
  const auto deadline_after = std::chrono::duration<double>(seconds);
  std::chrono::steady_clock::time_point start;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      std::unique_ptr<CheckinService> svc = make(i);
      std::vector<double> mine;
      std::string error;
      int failures = 0;
      auto redeem = [&](const std::string& code) {
        RedeemRequest req{code, kDefaultGate, "bench-" + std::to_string(i), Direction::kEntry,
                          ScanSource::kCamera};
        req.nonce = RandomUuid();
        Sample s;
        auto d = Timed(&s, [&] { return svc->Redeem(req); });
        if (!d.ok()) {
          ++failures;
          if (error.empty()) error = d.status().message();
        }
        return s.wall;
      };
      for (int w = 0; svc && w < 5; ++w) {
        if (const std::string* c = codes.Next()) redeem(*c);
      }
      {
        // Wait without spinning: 64 spinning threads would eat the 2 cores.
        std::unique_lock lock(mu);
        ++ready;
        cv.notify_all();
        cv.wait(lock, [&] { return go; });
      }
      while (svc && !stop.load()) {
        const std::string* c = codes.Next();
        if (c == nullptr) break;
        mine.push_back(redeem(*c));
      }
      if (!svc) {
        ++failures;
        error = "could not open the service";
      }
      std::lock_guard lock(mu);
      r.latencies_ms.insert(r.latencies_ms.end(), mine.begin(), mine.end());
      r.failures += failures;
      if (r.first_error.empty()) r.first_error = error;
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return ready == n; });
    start = std::chrono::steady_clock::now();
    go = true;
  }
  cv.notify_all();
  std::this_thread::sleep_for(deadline_after);
  stop = true;
  for (auto& t : threads) t.join();
  // Stopped threads finish the request in flight; count it in the time.
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// Analysis, not a design: the hub's store with every redeem taken one at a
// time under one mutex, so the hub's connections queue on a futex instead of
// polling SQLite's write lock (WaitForLock). Still one durable commit per
// redeem: it separates the cost of lock polling from that of the commits.
class SerializedService final : public ForwardingService {
 public:
  SerializedService(CheckinService& inner, std::mutex& writer)
      : ForwardingService(inner), writer_(writer) {}
  Result<Decision> Redeem(const RedeemRequest& req) override {
    std::lock_guard lock(writer_);
    return ForwardingService::Redeem(req);
  }

 private:
  std::mutex& writer_;
};

class SerializedSession final : public hub::HubSession {
 public:
  SerializedSession(std::unique_ptr<hub::HubSession> inner, std::mutex& writer)
      : in_(std::move(inner)), service_(in_->service(), writer) {}
  CheckinService& service() override { return service_; }
  Result<db::Device> Authenticate(std::string_view token) override {
    return in_->Authenticate(token);
  }
  Result<db::PairedDevice> Pair(std::string_view secret) override { return in_->Pair(secret); }
  Status NoteReplica(const db::Device& device, int64_t outbox, int64_t replica_checkin) override {
    return in_->NoteReplica(device, outbox, replica_checkin);
  }
  Result<db::Changes> ChangesSince(const db::ChangeCursor& from, int limit) override {
    return in_->ChangesSince(from, limit);
  }
  Result<std::vector<db::UploadOutcome>> RecordOffline(
      const std::vector<db::LoggedCheckin>& batch) override {
    return in_->RecordOffline(batch);
  }
  Result<db::WebSession> SpendLoginLink(std::string_view secret) override {
    return in_->SpendLoginLink(secret);
  }
  Result<db::WebSession> SpendPin(Role role, std::string_view pin,
                                  const std::string& station) override {
    return in_->SpendPin(role, pin, station);
  }
  Result<db::WebSession> FindWebSession(std::string_view token) override {
    return in_->FindWebSession(token);
  }
  Status EndWebSession(std::string_view token) override { return in_->EndWebSession(token); }
  Result<db::LoginLink> OpenDeviceLoginLink(const std::string& device, Role role) override {
    return in_->OpenDeviceLoginLink(device, role);
  }
  Result<std::map<std::string, int64_t>> LiveDeviceSessions() override {
    return in_->LiveDeviceSessions();
  }
  Result<std::vector<db::ArrivalBin>> ArrivalsSince(const std::string& since,
                                                    std::chrono::minutes bin) override {
    return in_->ArrivalsSince(since, bin);
  }
  Result<std::vector<db::DeviceStatus>> DeviceStatuses() override { return in_->DeviceStatuses(); }
  Result<report::Report> ComputeReport(const report::ReportRequest& req) override {
    return in_->ComputeReport(req);
  }
  Result<db::NewDevice> AddDevice(const std::string& name, Role role) override {
    return in_->AddDevice(name, role);
  }
  Status RevokeDevice(const std::string& name) override { return in_->RevokeDevice(name); }
  Result<Attendee> RegisterWalkIn(const db::WalkIn& w) override { return in_->RegisterWalkIn(w); }
  Result<Attendee> CorrectName(int64_t attendee_id, const std::string& first_name,
                               const std::string& last_name) override {
    return in_->CorrectName(attendee_id, first_name, last_name);
  }
  Result<std::vector<db::LoggedCheckin>> AttendeeHistory(int64_t attendee_id, int limit) override {
    return in_->AttendeeHistory(attendee_id, limit);
  }
  Result<db::PrintQueue::Recorded> RecordPrinter(const PrinterReport& report) override {
    return in_->RecordPrinter(report);
  }
  Result<db::PrintDeskView> ViewPrintDesk(int limit) override { return in_->ViewPrintDesk(limit); }
  Result<int64_t> Reprint(int64_t attendee_id, const std::string& station,
                          const std::string& reason) override {
    return in_->Reprint(attendee_id, station, reason);
  }
  Status CancelPrintJob(int64_t job_id, const std::string& station) override {
    return in_->CancelPrintJob(job_id, station);
  }
  Status HoldPrinter(const std::string& worker, bool held, const std::string& station) override {
    return in_->HoldPrinter(worker, held, station);
  }

 private:
  std::unique_ptr<hub::HubSession> in_;
  SerializedService service_;
};

class SerializedStore final : public hub::HubStore {
 public:
  explicit SerializedStore(hub::HubStore& inner) : in_(inner) {}
  Result<std::unique_ptr<hub::HubSession>> NewSession() override {
    auto s = in_.NewSession();
    if (!s.ok()) return s.status();
    return std::unique_ptr<hub::HubSession>(
        std::make_unique<SerializedSession>(std::move(*s), writer_));
  }

 private:
  hub::HubStore& in_;
  std::mutex writer_;
};

Status ImportEvent(const std::string& csv, const std::string& path, size_t rows) {
  const Clock& clock = SystemClock();
  auto db = db::Database::Open(path, db::OpenMode::kCreateIfMissing);
  if (!db.ok()) return db.status();
  if (Status s = (*db)->InitEvent(EventInfo{"Hub Bench", "America/Bogota", ""}, clock); !s.ok()) {
    return s;
  }
  db::CsvExportSource source(csv, db::RosterFormat::kAuto, {});
  auto sum =
      db::ImportRoster(**db, source, db::MissingPolicy::kReport, db::ImportMode::kApply, clock);
  if (!sum.ok()) return sum.status();
  if (sum->added != static_cast<int>(rows)) return Status::Internal("short import");
  return Status::Ok();
}

int Run(const HubBenchOptions& o) {
  const Clock& clock = SystemClock();
  const size_t rows = 100000;
  const std::string work = o.dir + "/checkin-hub-bench-" + std::to_string(::getpid());
  std::filesystem::create_directories(work);
  Report report(o.out);
  auto fail = [&](const std::string& what, const Status& s) {
    std::fprintf(stderr, "hub_bench: %s: %s\n", what.c_str(), s.message().c_str());
    if (!o.keep) std::filesystem::remove_all(work);
    return 2;
  };

  std::fprintf(stderr, "hub_bench: roster and import\n");
  const std::string csv = work + "/roster.csv", db_path = work + "/event.db";
  auto codes = WriteGenericRoster(csv, rows, kSeed);
  if (!codes.ok()) return fail("roster", codes.status());
  if (Status s = ImportEvent(csv, db_path, rows); !s.ok()) return fail("import", s);
  Codes pool(std::move(*codes));

  auto id = hub::InitHubIdentity(db_path, "Hub Bench", {"127.0.0.1"}, hub::Renew::kKeep, clock);
  if (!id.ok()) return fail("hub identity", id.status());
  auto store = hub::OpenSqliteHubStore(db_path, clock, DefaultConfig(), Language::kEnglish);
  if (!store.ok()) return fail("hub store", store.status());
  hub::HubServerOptions so;
  so.host = "127.0.0.1";
  so.certificate_file = id->files.certificate;
  so.key_file = id->files.key;
  auto server = hub::HubServer::Start(**store, clock, so);
  if (!server.ok()) return fail("hub server", server.status());
  std::string url = "https://127.0.0.1:" + std::to_string((*server)->port());

  auto station = [&](const std::string& token) -> std::unique_ptr<hub::RemoteDesk> {
    hub::RemoteOptions ro;
    ro.urls = {url};
    ro.fingerprint = id->fingerprint;
    ro.token = token;
    ro.deadline = std::chrono::seconds(10);  // latency is measured, not bounded here
    ro.lang = Language::kEnglish;
    auto d = hub::RemoteDesk::Connect(ro, clock);
    return d.ok() ? std::move(*d) : nullptr;
  };
  // 64 scan devices, paired as `station pair` pairs them.
  std::fprintf(stderr, "hub_bench: pairing 64 devices\n");
  std::vector<std::string> tokens;
  {
    auto admin = db::Database::Open(db_path, db::OpenMode::kMustExist);
    if (!admin.ok()) return fail("open", admin.status());
    db::DeviceRegistry devices(**admin, clock);
    for (int i = 0; i < 64; ++i) {
      auto added = devices.Add("station-" + std::to_string(i), Role::kScan);
      if (!added.ok()) return fail("device add", added.status());
      auto desk = station("");
      if (!desk) return fail("connect", Status::Internal("RemoteDesk::Connect"));
      auto paired = desk->Pair(added->pairing_secret);
      if (!paired.ok()) return fail("pair", paired.status());
      tokens.push_back(paired->token);
    }
  }
  auto local = [&](int) -> std::unique_ptr<CheckinService> {
    auto d = db::LocalDesk::Open(db_path, clock, DefaultConfig());
    return d.ok() ? std::move(*d) : nullptr;
  };
  auto remote = [&](int i) -> std::unique_ptr<CheckinService> { return station(tokens[i]); };

  report.Section("Hub: N stations redeeming distinct codes on a " + std::to_string(rows) +
                 "-attendee roster, loopback HTTPS vs local (same file, same run)");
  report.Info("hub", "in-process HubServer (HTTPS, 96 threads), synchronous=FULL, WAL");
  int failures = 0;
  auto summarize = [&](const std::string& name, const PhaseResult& r) {
    if (r.failures > 0) {
      std::fprintf(stderr, "hub_bench: %s: %d failed redeems (%s)\n", name.c_str(), r.failures,
                   r.first_error.c_str());
      failures += r.failures;
    }
    const LatencySummary s = Summarize(r.latencies_ms);
    report.Latency("hub", name, s);
    const double rate = static_cast<double>(r.latencies_ms.size()) / r.seconds;
    report.Value("hub", name + ": throughput", rate, "redeems/s");
    return std::pair{s, rate};
  };
  for (int n : {8, 32, 64}) {
    std::fprintf(stderr, "hub_bench: %d stations\n", n);
    const std::string tag = std::to_string(n) + " stations";
    const auto [ls, lrate] = summarize("local, " + tag, RunPhase(n, o.seconds, pool, local));
    const auto [hs, hrate] = summarize("hub, " + tag, RunPhase(n, o.seconds, pool, remote));
    report.Value("hub", "hub p99 - local p99, " + tag, hs.p99 - ls.p99, "ms");
    report.Goal("hub p99 - local p99, " + tag, hs.p99 - ls.p99, "ms", Bound::kAtMost, 2);
    if (n == 32) {
      report.Value("hub", "hub / local throughput, " + tag, hrate / lrate, "x");
      report.Goal("durable redeems/s through the hub, 32 stations", hrate, "/s", Bound::kAtLeast,
                  1000);
    }
  }
  // Dashboards: 64 more connections kept alive and idle (one request each,
  // then nothing) while 32 stations redeem.
  {
    std::fprintf(stderr, "hub_bench: 32 stations + 64 idle connections\n");
    std::vector<std::unique_ptr<hub::RemoteDesk>> idle;
    for (int i = 0; i < 64; ++i) {
      auto d = station(tokens[i]);
      if (!d || !d->Event().ok()) return fail("idle connection", Status::Internal("Event()"));
      idle.push_back(std::move(d));
    }
    summarize("hub, 32 stations + 64 idle kept-alive", RunPhase(32, o.seconds, pool, remote));
  }
  (*server)->Stop();
  // Analysis: the same hub with its redeems serialized in-process (see
  // SerializedStore), 32 and 64 stations.
  SerializedStore serialized(**store);
  auto server2 = hub::HubServer::Start(serialized, clock, so);
  if (!server2.ok()) return fail("hub server", server2.status());
  url = "https://127.0.0.1:" + std::to_string((*server2)->port());
  for (int n : {32, 64}) {
    std::fprintf(stderr, "hub_bench: %d stations, serialized redeems\n", n);
    summarize("analysis: hub, " + std::to_string(n) + " stations, redeems under one mutex",
              RunPhase(n, o.seconds, pool, remote));
  }
  (*server2)->Stop();
  report.Value("hub", "failed redeems (must be 0)", failures, "");
  if (failures > 0) report.Goal("failed redeems", failures, "", Bound::kAtMost, 0);
  const int failed_goals = report.Goals();
  if (!o.keep) std::filesystem::remove_all(work);
  return failed_goals > 0 ? 1 : 0;
}

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  checkin::bench::HubBenchOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc) {
      o.dir = argv[++i];
    } else if (a == "--out" && i + 1 < argc) {
      o.out = argv[++i];
    } else if (a == "--seconds" && i + 1 < argc) {
      o.seconds = std::stod(argv[++i]);
    } else if (a == "--keep") {
      o.keep = true;
    } else {
      std::fprintf(stderr, "usage: hub_bench [--dir DIR] [--seconds S] [--out FILE] [--keep]\n");
      return 2;
    }
  }
  return checkin::bench::Run(o);
}
