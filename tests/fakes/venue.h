// A venue on loopback for tests that run the real binary: an event file with
// a generated roster, `checkin hub serve` (HTTPS) as a background process,
// stations paired with `checkin station pair` into their own config files.
// Every file is a real SQLite file; the test owns the processes it starts.
#pragma once

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/fakes/background_process.h"
#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/test_db.h"

namespace checkin::testing {

inline std::string VenueCode(int i) { return "VENUE-" + std::to_string(1000 + i); }

class VenueFixture : public ::testing::Test {
 protected:
  // An event of `codes` valid tickets, VenueCode(0) onwards, with its hub
  // certificate made.
  explicit VenueFixture(int codes = 40) : hub_db_(dir_.File("hub.db")) {
    {
      std::ofstream csv(dir_.File("roster.csv"));
      csv << "ticket_code,first_name,last_name,status,ticket_id\n";
      for (int i = 0; i < codes; ++i)
        csv << VenueCode(i) << ",Persona,Número " << i << ",valid,T" << i << "\n";
    }
    Must({"--db", hub_db_, "init", "--event", "KCD Test"});
    Must({"--db", hub_db_, "roster", "import", dir_.File("roster.csv")});
    Must({"--db", hub_db_, "hub", "init"});
  }
  ~VenueFixture() override { StopHub(SIGTERM); }

  ProcessOutput Must(const std::vector<std::string>& args) {
    ProcessOutput o = RunCheckin(args);
    EXPECT_EQ(o.rc, 0) << o.err << o.out;
    return o;
  }

  // Starts the hub; the first time on any free port, later on the same one
  // (the stations' configs name it). `wrapper`, when given, is a program and
  // its first arguments that run the hub's command line (to start it with a
  // resource limit, say).
  void StartHub(const std::vector<std::string>& wrapper = {}) {
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    std::vector<std::string> args{"--db",  hub_db_,    "--lang", "en",        "hub",
                                  "serve", "--listen", listen,   "--threads", "16"};
    if (!hub_config_.empty()) args.insert(args.begin(), {"--config", hub_config_});
    std::string binary = CHECKIN_BINARY;
    if (!wrapper.empty()) {
      args.insert(args.begin(), binary);
      args.insert(args.begin(), wrapper.begin() + 1, wrapper.end());
      binary = wrapper.front();
    }
    hub_ = std::make_unique<BackgroundProcess>(
        binary, args, dir_.File("hub-" + std::to_string(++starts_) + ".log"));
    const std::string log = hub_->WaitFor("Hub listening at https://127.0.0.1:" +
                                          (port_ == 0 ? std::string() : std::to_string(port_)));
    const size_t at = log.rfind("https://127.0.0.1:");
    ASSERT_NE(at, std::string::npos) << log;
    port_ = std::stoi(log.substr(at + 18));
  }
  void StopHub(int sig) {
    if (hub_) hub_->Stop(sig);
    hub_.reset();
  }

  std::string Url() const { return "https://127.0.0.1:" + std::to_string(port_); }

  std::string NewPairingCode(const std::string& name, const std::string& role) {
    auto o = Must(
        {"--db", hub_db_, "hub", "device", "add", name, "--role", role, "--url", Url(), "--json"});
    return nlohmann::json::parse(o.out).at("pairing_code").get<std::string>();
  }

  // Pairs a new station called `name`; its config file.
  std::string Pair(const std::string& name, const std::string& role = "scan") {
    const std::string config = dir_.File(name + ".toml");
    Must({"--config", config, "--lang", "en", "station", "pair", NewPairingCode(name, role)});
    return config;
  }

  nlohmann::json Redeem(const std::string& config, const std::string& code, int expected_rc = 0) {
    auto o = RunCheckin({"--config", config, "redeem", code, "--gate", "Principal", "--json"});
    EXPECT_EQ(o.rc, expected_rc) << o.err;
    return o.out.empty() ? nlohmann::json() : nlohmann::json::parse(o.out);
  }

  int64_t HubCount(const std::string& sql) {
    auto db = db::Database::Open(hub_db_, db::OpenMode::kMustExist);
    EXPECT_TRUE(db.ok());
    return db.ok() ? QueryInt(**db, sql) : -1;
  }

  TempDir dir_;
  std::string hub_db_;
  std::string hub_config_;  // the hub's --config, when set
  int port_ = 0;
  int starts_ = 0;
  std::unique_ptr<BackgroundProcess> hub_;
};

}  // namespace checkin::testing
