// `checkin hub device add|list|revoke` end to end: the real binary, a real
// hub file, the pairing code read back and spent through the library.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/pairing_code.h"
#include "db/devices.h"
#include "tests/fakes/test_db.h"

namespace checkin {
namespace {

using checkin::testing::ProcessOutput;
using checkin::testing::TempDir;

const std::string kFingerprint = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

class HubDeviceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("hub.db");
    ProcessOutput init = Run({"init", "--event", "KCD Colombia 2026"});
    ASSERT_EQ(init.rc, 0) << init.err;
  }
  ProcessOutput Run(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    args.push_back("--db");
    args.push_back(db_);
    return checkin::testing::RunProcess(CHECKIN_BINARY, args, env);
  }
  ProcessOutput Add(const std::string& name, const std::string& role,
                    std::vector<std::string> extra = {}, const std::vector<std::string>& env = {}) {
    std::vector<std::string> args{
        "hub",           "device",    "add",   name,
        "--role",        role,        "--url", "https://192.168.1.10:8443",
        "--fingerprint", kFingerprint};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args, env);
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(HubDeviceCliTest, AddJsonCarriesAPairingCodeThatPairs) {
  ProcessOutput out = Add("puerta-norte", "scan", {"--json"});
  ASSERT_EQ(out.rc, 0) << out.err;
  auto j = nlohmann::json::parse(out.out);
  EXPECT_EQ(j["name"], "puerta-norte");
  EXPECT_EQ(j["role"], "scan");
  EXPECT_FALSE(j["expires_at"].get<std::string>().empty());
  auto code = DecodePairingCode(j["pairing_code"].get<std::string>());
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(code->hub_urls, std::vector<std::string>{"https://192.168.1.10:8443"});
  EXPECT_EQ(code->fingerprint, kFingerprint);

  // The binary used the real clock, so pairing does too.
  auto db = db::Database::Open(db_, db::OpenMode::kMustExist);
  ASSERT_TRUE(db.ok());
  db::DeviceRegistry registry(**db, SystemClock());
  auto paired = registry.Pair(code->secret);
  ASSERT_TRUE(paired.ok()) << paired.status().message();
  EXPECT_EQ(paired->role, Role::kScan);
  db->reset();

  ProcessOutput list = Run({"hub", "device", "list", "--json"});
  ASSERT_EQ(list.rc, 0) << list.err;
  auto items = nlohmann::json::parse(list.out);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["state"], "paired");
  EXPECT_FALSE(items[0]["paired_at"].get<std::string>().empty());
  EXPECT_EQ(items[0]["revoked_at"], "");

  ProcessOutput text = Run({"hub", "device", "list"});
  EXPECT_NE(text.out.find("emparejado"), std::string::npos) << text.out;
  ProcessOutput en = Run({"hub", "device", "list", "--lang", "en"});
  EXPECT_NE(en.out.find("paired"), std::string::npos) << en.out;
}

// Without --fingerprint the code pins the certificate `hub init` made; with
// no certificate yet, nothing is added and the message says what to run.
TEST_F(HubDeviceCliTest, FingerprintDefaultsToTheCertificateHubInitMade) {
  std::vector<std::string> add{"hub",    "device", "add",   "puerta-sur",
                               "--role", "scan",   "--url", "https://192.168.1.10:8443",
                               "--json"};
  ProcessOutput early = Run(add);
  EXPECT_NE(early.rc, 0) << early.out;
  EXPECT_NE(early.err.find("hub init"), std::string::npos) << early.err;
  ProcessOutput none = Run({"hub", "device", "list", "--json"});
  EXPECT_EQ(nlohmann::json::parse(none.out).size(), 0u) << none.out;

  ProcessOutput init = Run({"hub", "init", "--json"});
  ASSERT_EQ(init.rc, 0) << init.err;
  const std::string fingerprint = nlohmann::json::parse(init.out)["fingerprint"];
  ProcessOutput out = Run(add);
  ASSERT_EQ(out.rc, 0) << out.err;
  auto code = DecodePairingCode(nlohmann::json::parse(out.out)["pairing_code"].get<std::string>());
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(code->fingerprint, fingerprint);
}

TEST_F(HubDeviceCliTest, AddShowsCodeAndQr) {
  ProcessOutput out = Add("mesa-1", "desk", {}, {"LC_ALL=C"});
  ASSERT_EQ(out.rc, 0) << out.err;
  EXPECT_NE(out.out.find("CKIN1-"), std::string::npos);
  EXPECT_NE(out.out.find("America/Bogota"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("##"), std::string::npos) << "ASCII QR without a UTF-8 locale";
  ProcessOutput utf8 = checkin::testing::RunProcess(
      CHECKIN_BINARY,
      {"hub", "device", "add", "mesa-2", "--role", "desk", "--url", "http://127.0.0.1:8080",
       "--fingerprint", kFingerprint, "--db", db_},
      {"LC_ALL=C.UTF-8"});
  ASSERT_EQ(utf8.rc, 0) << utf8.err;
  EXPECT_NE(utf8.out.find("\u2588"), std::string::npos) << "half blocks";
}

TEST_F(HubDeviceCliTest, RefusesBadInputBeforeAddingAnything) {
  EXPECT_EQ(Add("x", "root").rc, 2);
  ProcessOutput http = checkin::testing::RunProcess(
      CHECKIN_BINARY, {"hub", "device", "add", "x", "--role", "scan", "--url",
                       "http://192.168.1.10", "--fingerprint", kFingerprint, "--db", db_});
  EXPECT_EQ(http.rc, 2);
  EXPECT_NE(http.err.find("https://"), std::string::npos) << http.err;
  ProcessOutput fp = checkin::testing::RunProcess(
      CHECKIN_BINARY, {"hub", "device", "add", "x", "--role", "scan", "--url", "https://h",
                       "--fingerprint", "abc", "--db", db_});
  EXPECT_EQ(fp.rc, 2);
  ProcessOutput five =
      Add("x", "scan",
          {"--url", "https://b", "--url", "https://c", "--url", "https://d", "--url", "https://e"});
  EXPECT_EQ(five.rc, 2) << five.out;
  ProcessOutput bad_name = Add("evil\x1b[2J", "scan");
  EXPECT_EQ(bad_name.rc, 2);
  EXPECT_EQ(bad_name.err.find('\x1b'), std::string::npos);
  ProcessOutput list = Run({"hub", "device", "list", "--json"});
  EXPECT_EQ(nlohmann::json::parse(list.out).size(), 0u);
}

TEST_F(HubDeviceCliTest, RevokeThenReuseTheName) {
  ASSERT_EQ(Add("laptop", "scan").rc, 0);
  EXPECT_EQ(Add("laptop", "scan").rc, 2);
  ProcessOutput revoke = Run({"hub", "device", "revoke", "laptop"});
  EXPECT_EQ(revoke.rc, 0) << revoke.err;
  EXPECT_EQ(Run({"hub", "device", "revoke", "laptop"}).rc, 2);
  EXPECT_EQ(Add("laptop", "desk").rc, 0);
  auto items = nlohmann::json::parse(Run({"hub", "device", "list", "--json"}).out);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["state"], "revoked");
  EXPECT_EQ(items[1]["state"], "pairing_pending");
}

}  // namespace
}  // namespace checkin
