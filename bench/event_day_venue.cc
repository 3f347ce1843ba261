// RunVenue: the venue of bench/event_day as an organizer would set it up
// (`hub init`, `hub serve`, `hub device add`, `station pair`), each entrance
// station behind a loopback proxy that can cut it off, and the schedule
// played against it in compressed time.
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "bench/event_day.h"
#include "bench/event_day_procs.h"
#include "bench/roster_gen.h"
#include "common/clock.h"
#include "tests/netcut/tcp_proxy.h"

namespace checkin::bench {
namespace {

using nlohmann::json;
using Seconds = std::chrono::duration<double>;

constexpr const char* kPrinterNames[kPrinters] = {"imprenta-1", "imprenta-2"};

// Names with accents and two surnames, so the badges are the real work.
void WriteRoster(const Schedule& s, const std::string& path) {
  static constexpr const char* kFirst[] = {"María José", "Andrés",    "Lucía",     "José Ángel",
                                           "Camila",     "Sebastián", "Valentina", "Ñusta",
                                           "Martín",     "Sofía",     "Joaquín",   "Inés"};
  static constexpr const char* kLast[] = {"Muñoz Peña", "Gómez",           "Rodríguez Ibáñez",
                                          "Pérez",      "Fernández Núñez", "Quispe",
                                          "Castaño",    "Díaz López"};
  static constexpr const char* kCompany[] = {"", "Universidad de Chile", "Nubes Andinas S.A.S.",
                                             "Independiente", "Datos del Sur"};
  static constexpr const char* kType[] = {"General", "General", "General", "Speaker", "Staff"};
  std::ofstream csv(path);
  csv << "ticket_code,first_name,last_name,company,ticket_type,status,ticket_id\n";
  for (size_t i = 0; i < s.people.size(); ++i) {
    csv << s.people[i].code << "," << kFirst[i % std::size(kFirst)] << ","
        << kLast[(i / 3) % std::size(kLast)] << "," << kCompany[i % std::size(kCompany)] << ","
        << kType[i % std::size(kType)] << "," << (s.people[i].valid ? "valid" : "cancelled") << ",T"
        << i << "\n";
  }
}

// Everything RunVenue starts, stopped in reverse order when it goes.
struct Venue {
  std::unique_ptr<Daemon> hub;
  std::unique_ptr<netcut::TcpProxy> proxies[kDoors];
  std::unique_ptr<Daemon> printers[kPrinters];
  std::unique_ptr<Daemon> doors[kDoors];
  std::string configs[kDoors];
};

class Setup {
 public:
  Setup(const DayOptions& o, VenueLog& log) : o_(o), log_(log) {}

  // A `checkin` command that must succeed; its stdout.
  std::optional<std::string> Must(const std::vector<std::string>& args) {
    RunOutput r = RunToEnd(o_.checkin, args, log_.dir);
    if (r.rc == 0) return r.out;
    log_.error = "checkin";
    // A pairing code carries a one-time secret: never in a message.
    for (const auto& a : args) log_.error += " " + (a.rfind("CKIN1-", 0) == 0 ? "CKIN1-…" : a);
    log_.error += " failed (" + std::to_string(r.rc) + "): " + r.err;
    return std::nullopt;
  }

  // Adds device `name` with `role` at `url` and pairs the config `name`.toml.
  std::optional<std::string> Pair(const std::string& name, const std::string& role,
                                  const std::string& url) {
    auto added = Must({"--db", log_.hub_db, "hub", "device", "add", name, "--role", role, "--url",
                       url, "--json"});
    if (!added) return std::nullopt;
    const std::string config = log_.dir + "/" + name + ".toml";
    const std::string code = json::parse(*added).at("pairing_code").get<std::string>();
    if (!Must({"--config", config, "--lang", "en", "station", "pair", code})) return std::nullopt;
    return config;
  }

  std::unique_ptr<Daemon> Start(const std::vector<std::string>& args, const std::string& name,
                                Io io, const std::string& ready) {
    std::string error;
    auto d = Daemon::Start(o_.checkin, args, log_.dir + "/" + name + ".log", io, &error);
    if (!d) {
      log_.error = name + ": " + error;
      return nullptr;
    }
    const std::string seen = d->WaitForLog(ready, std::chrono::seconds(30));
    if (seen.find(ready) == std::string::npos) {
      log_.error = name + " did not start: " + seen;
      return nullptr;
    }
    return d;
  }

 private:
  const DayOptions& o_;
  VenueLog& log_;
};

bool StartVenue(const DayOptions& o, const Schedule& s, VenueLog& log, Venue& v) {
  Setup setup(o, log);
  WriteRoster(s, log.dir + "/roster.csv");
  if (!setup.Must({"--db", log.hub_db, "init", "--event", "Event day"}) ||
      !setup.Must({"--db", log.hub_db, "roster", "import", log.dir + "/roster.csv"}) ||
      !setup.Must({"--db", log.hub_db, "hub", "init"})) {
    return false;
  }
  const std::string listening = "Hub listening at https://127.0.0.1:";
  v.hub = setup.Start({"--db", log.hub_db, "--lang", "en", "hub", "serve", "--listen",
                       "127.0.0.1:0", "--threads", "32"},
                      "hub", Io::kLogOnly, listening);
  if (!v.hub) return false;
  const std::string hub_log = v.hub->WaitForLog(listening, std::chrono::seconds(1));
  const int port = std::stoi(hub_log.substr(hub_log.find(listening) + listening.size()));
  const std::string direct = "https://127.0.0.1:" + std::to_string(port);
  for (int p = 0; p < kPrinters; ++p) {
    auto config = setup.Pair(kPrinterNames[p], "print", direct);
    if (!config) return false;
    log.printer_dirs[p] = log.dir + "/badges-" + std::to_string(p + 1);
    std::filesystem::create_directories(log.printer_dirs[p]);
    v.printers[p] = setup.Start({"--config", *config, "--lang", "en", "print", "--printer",
                                 "pdf:" + log.printer_dirs[p], "--station", kPrinterNames[p]},
                                kPrinterNames[p], Io::kLogOnly, "Printing badges on");
    if (!v.printers[p]) return false;
  }
  for (int d = 0; d < kDoors; ++d) {
    std::string error;
    v.proxies[d] = netcut::TcpProxy::Start(port, 0, &error);
    if (!v.proxies[d]) {
      log.error = "netcut: " + error;
      return false;
    }
    auto config = setup.Pair(kDoorNames[d], "scan",
                             "https://127.0.0.1:" + std::to_string(v.proxies[d]->port()));
    if (!config) return false;
    v.configs[d] = *config;
    v.doors[d] = setup.Start(
        {"--config", *config, "--lang", "en", "scan", "--source", "keyboard", "--headless",
         "--json", "--print", "--gate", "Principal", "--station", kDoorNames[d]},
        kDoorNames[d], Io::kPiped, "Handheld scanner");
    if (!v.doors[d]) return false;
  }
  return true;
}

// The answers coming back from the four stations, matched to what was sent.
class Answers {
 public:
  Answers(Schedule& s, const Clock& clock, std::chrono::steady_clock::time_point start)
      : s_(s), clock_(clock), start_(start) {}

  void Sent(size_t attempt) {
    std::lock_guard lock(mu_);
    s_.attempts[attempt].sent_real_s = Seconds(clock_.Monotonic() - start_).count();
    pending_[s_.attempts[attempt].door].push_back(attempt);
  }

  // Reads door `d`'s JSON lines until its stdout ends.
  void Read(int d, Daemon& station) {
    std::string line;
    while (station.ReadLine(&line)) {
      json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!j.is_object() || !j.contains("verdict")) continue;  // the summary line
      Answer a;
      a.verdict = j.value("verdict", "");
      a.offline = j.value("offline", false);
      a.at = j.value("at", "");
      a.uuid = j.value("checkin_id", "");
      a.real_s = Seconds(clock_.Monotonic() - start_).count();
      const std::string code = j.value("code", "");
      std::lock_guard lock(mu_);
      auto& q = pending_[d];
      auto it = std::find_if(q.begin(), q.end(), [&](size_t i) {
        return s_.people[s_.attempts[i].person].code == code;
      });
      if (it == q.end()) {
        ++unmatched_;
        continue;
      }
      s_.attempts[*it].answer = a;
      q.erase(it);
      if (a.offline) ++offline_[d];
      last_offline_[d] = a.offline;
      cv_.notify_all();
    }
  }

  bool WaitAll(std::chrono::seconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] {
      return std::all_of(std::begin(pending_), std::end(pending_),
                         [](const auto& q) { return q.empty(); });
    });
  }

  // Offline decisions door `d` made so far, and whether its last was one.
  std::pair<int64_t, bool> Offline(int d) {
    std::lock_guard lock(mu_);
    return {offline_[d], last_offline_[d]};
  }
  size_t unmatched() {
    std::lock_guard lock(mu_);
    return unmatched_;
  }

 private:
  Schedule& s_;
  const Clock& clock_;
  const std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<size_t> pending_[kDoors];
  int64_t offline_[kDoors] = {};
  bool last_offline_[kDoors] = {};
  size_t unmatched_ = 0;
};

// From the heal on: when the hub holds every check-in each cut-off door
// decided alone (that door answering online again).
void WatchCatchUp(HubFile& hub, Answers& answers, VenueLog& log, const Clock& clock,
                  std::chrono::steady_clock::time_point start) {
  const auto give_up = clock.Monotonic() + std::chrono::seconds(60);
  for (bool waiting = true; waiting && clock.Monotonic() < give_up;) {
    waiting = false;
    for (int d = 0; d < kDoors; ++d) {
      if (!kCutDoor[d] || log.caught_up_after_heal_s[d] >= 0) continue;
      const auto [alone, still_offline] = answers.Offline(d);
      const int64_t on_hub = hub.Count(
          "SELECT count(*) FROM checkins WHERE station = ?1 AND offline = 1", {kDoorNames[d]});
      if (!still_offline && on_hub >= alone) {
        log.caught_up_after_heal_s[d] =
            Seconds(clock.Monotonic() - start).count() - log.heal_real_s;
      } else {
        waiting = true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Waits until `done` or `limit`; whether it got there.
template <typename Done>
bool PollUntil(Done done, std::chrono::seconds limit) {
  const auto end = SystemClock().Monotonic() + limit;
  while (!done()) {
    if (SystemClock().Monotonic() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

}  // namespace

VenueLog RunVenue(const DayOptions& o, Schedule& s) {
  VenueLog log;
  const Clock& clock = SystemClock();
  const auto t0 = clock.Monotonic();
  std::string tmpl = o.dir + "/event_day-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    log.error = "cannot make a folder under " + o.dir;
    return log;
  }
  log.dir = tmpl;
  log.hub_db = log.dir + "/hub.db";
  Venue v;
  if (!StartVenue(o, s, log, v)) return log;
  std::string error;
  auto hub_file = HubFile::Open(log.hub_db, &error);
  if (!hub_file) {
    log.error = error;
    return log;
  }
  log.setup_s = Seconds(clock.Monotonic() - t0).count();

  const auto start = clock.Monotonic();
  auto since = [&] { return Seconds(clock.Monotonic() - start).count(); };
  auto sleep_until = [&](double sim_s) {
    std::this_thread::sleep_until(
        start + std::chrono::duration_cast<std::chrono::nanoseconds>(Seconds(sim_s / o.speed)));
  };
  Answers answers(s, clock, start);
  std::vector<std::thread> readers;
  for (int d = 0; d < kDoors; ++d) readers.emplace_back([&, d] { answers.Read(d, *v.doors[d]); });
  std::thread watcher;
  bool cut = false, healed = false;
  for (size_t i = 0; i < s.attempts.size(); ++i) {
    const Attempt& a = s.attempts[i];
    if (!cut && a.sim_s >= s.cut_start_s) {
      sleep_until(s.cut_start_s);
      for (int d = 0; d < kDoors; ++d)
        if (kCutDoor[d]) v.proxies[d]->CutOff(o.hang ? netcut::Cut::kHang : netcut::Cut::kDrop);
      log.cut_real_s = since();
      cut = true;
    }
    if (cut && !healed && a.sim_s >= s.cut_end_s) {
      sleep_until(s.cut_end_s);
      for (int d = 0; d < kDoors; ++d)
        if (kCutDoor[d]) v.proxies[d]->Heal();
      log.heal_real_s = since();
      healed = true;
      watcher = std::thread([&] { WatchCatchUp(*hub_file, answers, log, clock, start); });
    }
    sleep_until(a.sim_s);
    answers.Sent(i);
    v.doors[a.door]->WriteLine(s.people[a.person].code);
  }
  answers.WaitAll(std::chrono::seconds(30));
  log.arrivals_s = since();
  const auto drain_from = clock.Monotonic();
  if (watcher.joinable()) watcher.join();

  // The stations' own sync passes upload what they decided alone; wait for
  // the hub to hold every decision a station announced.
  std::vector<std::string> announced;
  for (const Attempt& a : s.attempts)
    if (a.answer && !a.answer->uuid.empty()) announced.push_back(a.answer->uuid);
  PollUntil(
      [&] {
        std::set<std::string> on_hub;
        for (auto& row : hub_file->Rows("SELECT uuid FROM checkins")) on_hub.insert(row[0]);
        return std::all_of(announced.begin(), announced.end(),
                           [&](const std::string& u) { return on_hub.count(u) > 0; });
      },
      std::chrono::seconds(60));
  for (int d = 0; d < kDoors; ++d) {
    RunOutput st = RunToEnd(
        o.checkin, {"--config", v.configs[d], "--lang", "en", "station", "status", "--json"},
        log.dir);
    json j = json::parse(st.out, nullptr, false);
    log.outbox_left[d] = j.is_object() ? j.value("outbox", int64_t{-1}) : -1;
  }
  for (int d = 0; d < kDoors; ++d) v.doors[d]->Stop(std::chrono::seconds(10), SIGTERM);
  for (auto& t : readers) t.join();
  log.unmatched_lines = answers.unmatched();
  PollUntil(
      [&] {
        return hub_file->Count(
                   "SELECT count(*) FROM print_jobs WHERE state IN ('queued', 'printing')") == 0;
      },
      std::chrono::seconds(60));
  for (auto& p : v.printers) p->Stop(std::chrono::milliseconds(0), SIGTERM);
  RunOutput conflicts = RunToEnd(
      o.checkin, {"--db", log.hub_db, "--lang", "en", "hub", "conflicts", "--json"}, log.dir);
  if (conflicts.rc != 0) {
    log.error = "hub conflicts failed: " + conflicts.err;
    return log;
  }
  log.conflicts_json = conflicts.out;
  v.hub->Stop(std::chrono::milliseconds(0), SIGTERM);
  log.drain_s = Seconds(clock.Monotonic() - drain_from).count();
  log.total_s = Seconds(clock.Monotonic() - t0).count();
  log.ok = true;
  return log;
}

}  // namespace checkin::bench
