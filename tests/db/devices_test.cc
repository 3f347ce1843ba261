#include "db/devices.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/text.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;
using std::chrono::minutes;
using std::chrono::seconds;

class DevicesTest : public ::testing::Test {
 protected:
  DevicesTest()
      : db_(checkin::testing::NewEventDatabase(dir_.File("hub.db"), clock_)),
        registry_(*db_, clock_) {}

  PairedDevice AddAndPair(const std::string& name, Role role) {
    auto added = registry_.Add(name, role);
    EXPECT_TRUE(added.ok()) << added.status().message();
    auto paired = registry_.Pair(added->pairing_secret);
    EXPECT_TRUE(paired.ok()) << paired.status().message();
    return paired.ok() ? *paired : PairedDevice{};
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  DeviceRegistry registry_;
};

TEST_F(DevicesTest, PairingSecretIsSingleUse) {
  auto added = registry_.Add("puerta-norte", Role::kScan);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(added->pairing_secret.size(), 32u);
  EXPECT_EQ(added->expires_at, clock_.Now() + kPairingValidity);
  auto paired = registry_.Pair(added->pairing_secret);
  ASSERT_TRUE(paired.ok()) << paired.status().message();
  EXPECT_EQ(paired->name, "puerta-norte");
  EXPECT_EQ(paired->role, Role::kScan);
  EXPECT_EQ(paired->token.size(), 52u);
  auto again = registry_.Pair(added->pairing_secret);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(again.status().message().find("ya se usó"), std::string::npos);
  EXPECT_EQ(again.status().message().find(added->pairing_secret), std::string::npos);
}

TEST_F(DevicesTest, PairingSecretExpires) {
  auto added = registry_.Add("puerta-sur", Role::kDesk, minutes(15));
  ASSERT_TRUE(added.ok());
  clock_.Advance(minutes(15));
  auto late = registry_.Pair(added->pairing_secret);
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.status().message().find("venció"), std::string::npos);
  auto list = registry_.List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->at(0).state, DeviceState::kPairingExpired);

  auto soon = registry_.Add("impresora", Role::kPrint, minutes(15));
  ASSERT_TRUE(soon.ok());
  clock_.Advance(minutes(14) + seconds(59));
  EXPECT_TRUE(registry_.Pair(soon->pairing_secret).ok());
}

TEST_F(DevicesTest, UnknownAndRevokedSecretsAreRefused) {
  EXPECT_FALSE(registry_.Pair("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567").ok());
  EXPECT_FALSE(registry_.Pair("").ok());
  auto added = registry_.Add("mesa", Role::kDesk);
  ASSERT_TRUE(added.ok());
  ASSERT_TRUE(registry_.Revoke("mesa").ok());
  auto r = registry_.Pair(added->pairing_secret);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("revocado"), std::string::npos);
}

TEST_F(DevicesTest, TokensAuthenticateUntilRevoked) {
  PairedDevice d = AddAndPair("puerta-norte", Role::kScan);
  auto who = registry_.Authenticate(d.token);
  ASSERT_TRUE(who.ok()) << who.status().message();
  EXPECT_EQ(who->name, "puerta-norte");
  EXPECT_EQ(who->role, Role::kScan);
  EXPECT_EQ(who->state, DeviceState::kPaired);

  std::string wrong = d.token;
  wrong[10] = wrong[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(registry_.Authenticate(wrong).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(registry_.Authenticate("").status().code(), StatusCode::kInvalidInput);
  // The pairing secret is not a token.
  EXPECT_FALSE(registry_.Authenticate(d.token.substr(0, 32)).ok());

  ASSERT_TRUE(registry_.Revoke("puerta-norte").ok());
  auto revoked = registry_.Authenticate(d.token);
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.status().code(), StatusCode::kNotFound);
  EXPECT_NE(revoked.status().message().find("revocado"), std::string::npos);
  EXPECT_EQ(registry_.Revoke("puerta-norte").code(), StatusCode::kNotFound);
}

TEST_F(DevicesTest, LastSeenIsWrittenAtMostOnceAMinute) {
  PairedDevice d = AddAndPair("puerta-norte", Role::kScan);
  const std::string first = FormatUtc(clock_.Now());
  ASSERT_TRUE(registry_.Authenticate(d.token).ok());
  clock_.Advance(seconds(30));
  auto within = registry_.Authenticate(d.token);
  ASSERT_TRUE(within.ok());
  EXPECT_EQ(within->last_seen_at, first);
  auto list = registry_.List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->at(0).last_seen_at, first) << "no write within the minute";
  clock_.Advance(seconds(30));
  ASSERT_TRUE(registry_.Authenticate(d.token).ok());
  list = registry_.List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->at(0).last_seen_at, FormatUtc(clock_.Now()));
}

TEST_F(DevicesTest, NamesAreUniqueAmongDevicesNotRevoked) {
  PairedDevice old = AddAndPair("laptop-1", Role::kScan);
  auto dup = registry_.Add("laptop-1", Role::kDesk);
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("revóquelo"), std::string::npos);
  // A lost laptop: revoked, and its name given to the replacement.
  ASSERT_TRUE(registry_.Revoke("laptop-1").ok());
  PairedDevice fresh = AddAndPair("laptop-1", Role::kDesk);
  EXPECT_FALSE(registry_.Authenticate(old.token).ok());
  auto who = registry_.Authenticate(fresh.token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->role, Role::kDesk);
  auto list = registry_.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u) << "the revoked one stays on record";
  EXPECT_EQ(list->at(0).state, DeviceState::kRevoked);
  EXPECT_EQ(list->at(1).state, DeviceState::kPaired);
}

TEST_F(DevicesTest, NamesAreValidated) {
  for (const std::string& bad :
       {std::string(), std::string(65, 'x'), std::string("a\x1b[2Jb"), std::string("tab\there"),
        std::string("bad\xff"), std::string(" padded"), std::string("rtl\u202Eevil")}) {
    auto r = registry_.Add(bad, Role::kScan);
    EXPECT_FALSE(r.ok()) << checkin::ForTerminal(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << ForTerminal(bad);
  }
  EXPECT_TRUE(registry_.Add("Puerta Norte ñ 1", Role::kScan).ok());
  EXPECT_TRUE(registry_.Add(std::string(64, 'x'), Role::kScan).ok());
}

// What a copied hub file gives away: neither secret, only their hashes.
TEST_F(DevicesTest, OnlyHashesReachTheFile) {
  auto added = registry_.Add("puerta-norte", Role::kAdmin);
  ASSERT_TRUE(added.ok());
  auto paired = registry_.Pair(added->pairing_secret);
  ASSERT_TRUE(paired.ok());
  ASSERT_TRUE(registry_.Authenticate(paired->token).ok());
  db_.reset();  // checkpoints the WAL into the file
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_NE(bytes.find("puerta-norte"), std::string::npos) << "the files were read";
  EXPECT_EQ(bytes.find(added->pairing_secret), std::string::npos);
  EXPECT_EQ(bytes.find(paired->token), std::string::npos);
}

}  // namespace
}  // namespace checkin::db
