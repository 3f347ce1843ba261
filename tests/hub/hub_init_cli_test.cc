// `checkin hub init` end to end: the real binary, a real event file, the
// files it leaves beside it read back with the openssl program.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hub/tls_identity.h"
#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/files.h"
#include "tests/fakes/test_db.h"
#include "tests/hub/openssl_tool.h"

namespace checkin::hub {
namespace {

namespace fs = std::filesystem;
using checkin::testing::TempDir;
using Output = checkin::testing::ProcessOutput;
using checkin::testing::ModeOf;
using checkin::testing::NameList;
using checkin::testing::Names;
using checkin::testing::Slurp;

using checkin::testing::RunCheckin;

// Runs checkin as nobody when the tests run as root, for whom folder modes
// do not stop writes.
Output RunCheckinUnprivileged(const std::vector<std::string>& args) {
  if (geteuid() != 0) return RunCheckin(args);
  std::vector<std::string> all{"--reuid=65534", "--regid=65534", "--clear-groups", CHECKIN_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  return checkin::testing::RunProcess("/usr/bin/setpriv", all);
}

class HubInitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    old_umask_ = ::umask(022);
    db_ = dir_.File("venue.db");
    cert_ = dir_.File("venue.hub.crt");
    key_ = dir_.File("venue.hub.key");
    Output init = RunCheckin({"init", "--db", db_, "--event", "KCD Colombia 2026"});
    ASSERT_EQ(init.rc, 0) << init.err;
  }
  void TearDown() override { ::umask(old_umask_); }
  nlohmann::json InitJson(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--db", db_, "hub", "init", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    Output o = RunCheckin(args);
    EXPECT_EQ(o.rc, 0) << o.err;
    auto j = nlohmann::json::parse(o.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << o.out;
    return j;
  }
  TempDir dir_;
  std::string db_, cert_, key_;
  mode_t old_umask_ = 022;
};

TEST_F(HubInitTest, MakesCertificateAndOwnerOnlyKeyBesideTheDatabase) {
  Output o = RunCheckin({"--db", db_, "hub", "init"});
  ASSERT_EQ(o.rc, 0) << o.err;
  EXPECT_EQ(ModeOf(key_), 0600);
  EXPECT_EQ(ModeOf(cert_), 0644);
  const std::string fingerprint = testing::OpensslFingerprint(cert_);
  ASSERT_EQ(fingerprint.size(), 64u);
  EXPECT_NE(o.out.find("Certificado del hub creado."), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Huella SHA-256: " + fingerprint), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(cert_), std::string::npos) << o.out;
  EXPECT_NE(o.out.find(key_), std::string::npos) << o.out;
  EXPECT_TRUE(CheckKeyMatchesCertificate(key_, cert_).ok());

  const std::string text =
      checkin::testing::Shell("/usr/bin/openssl x509 -noout -text -in '" + cert_ + "'");
  EXPECT_NE(text.find("CN = checkin hub KCD Colombia 2026"), std::string::npos) << text;
  EXPECT_NE(text.find("DNS:localhost"), std::string::npos) << text;
  EXPECT_NE(text.find("IP Address:127.0.0.1"), std::string::npos) << text;
  EXPECT_NE(text.find("IP Address:0:0:0:0:0:0:0:1"), std::string::npos) << text;
  EXPECT_NE(text.find("TLS Web Server Authentication"), std::string::npos) << text;
  // The key is EC P-256 and unencrypted: `hub serve` starts unattended.
  const std::string key_text = checkin::testing::Shell("/usr/bin/openssl pkey -noout -text -in '" +
                                                       key_ + "' 2>&1 | grep -c 'prime256v1'");
  EXPECT_EQ(key_text, "1\n");
}

TEST_F(HubInitTest, JsonShapeAndUrls) {
  nlohmann::json j = InitJson();
  ASSERT_TRUE(j.is_object()) << j.dump();
  NameList keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (NameList{"certificate", "created", "fingerprint", "key", "urls"}));
  EXPECT_EQ(j["certificate"], cert_);
  EXPECT_EQ(j["key"], key_);
  EXPECT_EQ(j["fingerprint"], testing::OpensslFingerprint(cert_));
  EXPECT_EQ(j["created"], true);
  ASSERT_TRUE(j["urls"].is_array());
  for (const auto& url : j["urls"]) {
    const std::string u = url.get<std::string>();
    EXPECT_EQ(u.rfind("https://", 0), 0u) << u;
    EXPECT_EQ(u.substr(u.size() - 5), ":8443") << u;
  }
}

TEST_F(HubInitTest, SecondInitKeepsTheCertificateAndRenewReplacesIt) {
  nlohmann::json first = InitJson();
  const std::string cert_bytes = Slurp(cert_), key_bytes = Slurp(key_);
  nlohmann::json second = InitJson();
  EXPECT_EQ(second["created"], false);
  EXPECT_EQ(second["fingerprint"], first["fingerprint"]);
  EXPECT_TRUE(Slurp(cert_) == cert_bytes && Slurp(key_) == key_bytes) << "untouched";

  Output kept = RunCheckin({"--db", db_, "hub", "init"});
  EXPECT_EQ(kept.rc, 0) << kept.err;
  EXPECT_NE(kept.out.find("ya existe"), std::string::npos) << kept.out;
  EXPECT_NE(kept.out.find(first["fingerprint"].get<std::string>()), std::string::npos);

  Output renewed = RunCheckin({"--db", db_, "hub", "init", "--renew"});
  ASSERT_EQ(renewed.rc, 0) << renewed.err;
  EXPECT_NE(renewed.out.find("Cada estación emparejada debe emparejarse de nuevo"),
            std::string::npos)
      << renewed.out;
  const std::string new_fingerprint = testing::OpensslFingerprint(cert_);
  EXPECT_NE(new_fingerprint, first["fingerprint"]);
  EXPECT_NE(renewed.out.find(new_fingerprint), std::string::npos);
  EXPECT_EQ(ModeOf(key_), 0600);
  EXPECT_TRUE(CheckKeyMatchesCertificate(key_, cert_).ok());

  Output en = RunCheckin({"--db", db_, "--lang", "en", "hub", "init", "--renew"});
  ASSERT_EQ(en.rc, 0) << en.err;
  EXPECT_NE(en.out.find("Every paired station must pair again"), std::string::npos) << en.out;
  for (const auto& name : Names(dir_.path())) {
    EXPECT_TRUE(name.rfind("venue.db", 0) == 0 || name == "venue.hub.crt" ||
                name == "venue.hub.key")
        << "left behind: " << name;
  }
}

TEST_F(HubInitTest, ForeignKeyIsRefusedNamingBothFiles) {
  ASSERT_EQ(RunCheckin({"--db", db_, "hub", "init"}).rc, 0);
  const std::string other_db = dir_.File("other.db");
  ASSERT_EQ(RunCheckin({"init", "--db", other_db, "--event", "Otro"}).rc, 0);
  ASSERT_EQ(RunCheckin({"--db", other_db, "hub", "init"}).rc, 0);
  fs::copy_file(dir_.File("other.hub.key"), key_, fs::copy_options::overwrite_existing);
  const std::string cert_bytes = Slurp(cert_), key_bytes = Slurp(key_);

  Output o = RunCheckin({"--db", db_, "hub", "init"});
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.err.find("the key in " + key_ + " does not belong to the certificate " + cert_),
            std::string::npos)
      << o.err;
  EXPECT_TRUE(Slurp(cert_) == cert_bytes && Slurp(key_) == key_bytes) << "nothing changed";

  fs::remove(key_);
  Output missing = RunCheckin({"--db", db_, "hub", "init"});
  EXPECT_EQ(missing.rc, 2);
  EXPECT_NE(missing.err.find("its key " + key_ + " is missing"), std::string::npos) << missing.err;
}

TEST_F(HubInitTest, FileWithoutAnEventIsRefusedAndNothingIsMade) {
  const std::string bare = dir_.File("bare.db");
  { auto db = db::Database::Open(bare, db::OpenMode::kCreateIfMissing); }
  Output o = RunCheckin({"--db", bare, "hub", "init"});
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.err.find("has no event yet"), std::string::npos) << o.err;
  Output none = RunCheckin({"--db", dir_.File("none.db"), "hub", "init"});
  EXPECT_EQ(none.rc, 2);
  EXPECT_NE(none.err.find("no database at"), std::string::npos) << none.err;
  for (const auto& name : Names(dir_.path()))
    EXPECT_EQ(name.find(".hub."), std::string::npos) << name;
}

TEST_F(HubInitTest, FolderAtTheKeyPathIsRefusedAndNothingIsMade) {
  ASSERT_TRUE(fs::create_directory(key_));
  const NameList before = Names(dir_.path());
  Output o = RunCheckin({"--db", db_, "hub", "init"});
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.err.find(key_ + " is a folder"), std::string::npos) << o.err;
  EXPECT_EQ(Names(dir_.path()), before);
  EXPECT_TRUE(fs::is_directory(key_));
  EXPECT_TRUE(fs::is_empty(key_));
}

TEST_F(HubInitTest, UnwritableFolderSaysSoAndNothingIsMade) {
  if (geteuid() == 0 && access("/usr/bin/setpriv", X_OK) != 0)
    GTEST_SKIP() << "running as root, whom folder modes do not stop, and setpriv is missing";
  const std::string folder = dir_.File("readonly");
  ASSERT_TRUE(fs::create_directory(folder));
  const std::string db = folder + "/venue.db";
  fs::copy_file(db_, db);
  ASSERT_EQ(chmod(db.c_str(), 0666), 0);
  ASSERT_EQ(chmod(folder.c_str(), 0555), 0);
  ASSERT_EQ(chmod(dir_.path().c_str(), 0755), 0);  // mkdtemp's 0700 would hide it all
  Output o = RunCheckinUnprivileged({"--db", db, "--lang", "en", "hub", "init"});
  chmod(folder.c_str(), 0755);
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.err.find(folder), std::string::npos) << o.err;
  EXPECT_EQ(Names(folder), NameList{"venue.db"});
}

}  // namespace
}  // namespace checkin::hub
