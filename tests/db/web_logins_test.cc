// Login links, PINs and browser sessions for the pages, on a real event file
// with a fake clock.
#include "db/web_logins.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "db/devices.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;
using std::chrono::hours;
using std::chrono::minutes;

class WebLoginsTest : public ::testing::Test {
 protected:
  WebLoginsTest()
      : db_(checkin::testing::NewEventDatabase(dir_.File("hub.db"), clock_)),
        logins_(*db_, clock_) {}

  std::string FileBytes() {
    std::ifstream in(dir_.File("hub.db"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ifstream wal(dir_.File("hub.db-wal"), std::ios::binary);
    bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
    return bytes;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  WebLogins logins_;
};

TEST_F(WebLoginsTest, ALinkLogsOneBrowserInOnceWithItsRoleAndStation) {
  auto link = logins_.OpenLink(Role::kScan, "norte-1");
  ASSERT_TRUE(link.ok()) << link.status().message();
  auto session = logins_.SpendLink(link->secret);
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->role, Role::kScan);
  EXPECT_EQ(session->station, "norte-1");
  EXPECT_FALSE(session->csrf.empty());
  EXPECT_NE(session->csrf, session->token);

  auto again = logins_.SpendLink(link->secret);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("hub open"), std::string::npos);
  EXPECT_EQ(again.status().message().find(link->secret), std::string::npos);

  auto found = logins_.Find(session->token);
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->csrf, session->csrf);
  EXPECT_EQ(found->station, "norte-1");
}

TEST_F(WebLoginsTest, ALinkExpiresUnused) {
  auto link = logins_.OpenLink(Role::kDesk, "");
  ASSERT_TRUE(link.ok());
  clock_.Advance(kLoginLinkValidity + minutes(1));
  EXPECT_FALSE(logins_.SpendLink(link->secret).ok());
  EXPECT_FALSE(logins_.SpendLink("").ok());
  EXPECT_FALSE(logins_.SpendLink(std::string(32, 'A')).ok());
}

TEST_F(WebLoginsTest, ASessionEndsAtLogoutAndAtTheEndOfItsLifetime) {
  auto a = logins_.SpendLink(logins_.OpenLink(Role::kAdmin, "")->secret);
  auto b = logins_.SpendLink(logins_.OpenLink(Role::kAdmin, "")->secret);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(logins_.End(a->token).ok());
  EXPECT_EQ(logins_.Find(a->token).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(logins_.Find(b->token).ok());
  clock_.Advance(kWebSessionLifetime - minutes(1));
  EXPECT_TRUE(logins_.Find(b->token).ok());
  clock_.Advance(minutes(2));
  EXPECT_EQ(logins_.Find(b->token).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(logins_.Find("").status().code(), StatusCode::kNotFound);
}

TEST_F(WebLoginsTest, NoRoleHasAPinUntilTheAdminSetsOne) {
  auto none = logins_.SpendPin(Role::kDesk, "000000", "");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no tiene PIN"), std::string::npos);
  for (const char* bad : {"12345", "1234567890123", "12a456", "", "123 456"}) {
    EXPECT_EQ(logins_.SetPin(Role::kDesk, bad).code(), StatusCode::kInvalidInput) << bad;
  }
  ASSERT_TRUE(logins_.SetPin(Role::kDesk, "482913").ok());
  auto session = logins_.SpendPin(Role::kDesk, "482913", "ayuda");
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->role, Role::kDesk);
  EXPECT_FALSE(logins_.SpendPin(Role::kAdmin, "482913", "").ok()) << "a PIN is per role";
}

TEST_F(WebLoginsTest, WrongPinsLockTheRoleForAWhile) {
  ASSERT_TRUE(logins_.SetPin(Role::kPrint, "555123").ok());
  for (int i = 0; i < kPinTries; ++i) {
    EXPECT_EQ(logins_.SpendPin(Role::kPrint, "000000", "").status().code(),
              StatusCode::kInvalidInput);
  }
  // Locked: even the right PIN waits.
  EXPECT_EQ(logins_.SpendPin(Role::kPrint, "555123", "").status().code(), StatusCode::kUnavailable);
  clock_.Advance(kPinLock + minutes(1));
  EXPECT_TRUE(logins_.SpendPin(Role::kPrint, "555123", "").ok());
}

TEST_F(WebLoginsTest, OnlyHashesOfLinksTokensAndPinsAreStored) {
  auto link = logins_.OpenLink(Role::kAdmin, "");
  ASSERT_TRUE(link.ok());
  ASSERT_TRUE(logins_.SetPin(Role::kAdmin, "918273645").ok());
  auto session = logins_.SpendLink(link->secret);
  ASSERT_TRUE(session.ok());
  const std::string bytes = FileBytes();
  EXPECT_EQ(bytes.find(link->secret), std::string::npos);
  EXPECT_EQ(bytes.find(session->token), std::string::npos);
  EXPECT_EQ(bytes.find("918273645"), std::string::npos);
}

TEST_F(WebLoginsTest, AStationNameMustBePrintable) {
  EXPECT_EQ(logins_.OpenLink(Role::kScan, "norte\n1").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(logins_.OpenLink(Role::kScan, std::string(65, 'x')).status().code(),
            StatusCode::kInvalidInput);
}

TEST_F(WebLoginsTest, ADevicesLinkIsItsOwnAndEndsWithIt) {
  DeviceRegistry devices(*db_, clock_);
  auto added = devices.Add("mesa-1", Role::kDesk);
  ASSERT_TRUE(added.ok()) << added.status().message();
  // Not paired yet: its token was never given, so it asks for nothing.
  EXPECT_EQ(logins_.OpenDeviceLink("mesa-1", Role::kDesk).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(devices.Pair(added->pairing_secret).ok());

  auto link = logins_.OpenDeviceLink("mesa-1", Role::kDesk);
  ASSERT_TRUE(link.ok()) << link.status().message();
  EXPECT_EQ(link->station, "mesa-1");
  auto session = logins_.SpendLink(link->secret);
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->role, Role::kDesk);
  EXPECT_EQ(session->station, "mesa-1");
  auto live = logins_.LiveDeviceSessions();
  ASSERT_TRUE(live.ok()) << live.status().message();
  EXPECT_EQ(*live, (std::map<std::string, int64_t>{{"mesa-1", 1}}));
  auto unspent = logins_.OpenDeviceLink("mesa-1", Role::kDesk);
  ASSERT_TRUE(unspent.ok()) << unspent.status().message();
  // A PIN session naming the same station belongs to no device.
  ASSERT_TRUE(logins_.SetPin(Role::kDesk, "123456").ok());
  auto by_pin = logins_.SpendPin(Role::kDesk, "123456", "mesa-1");
  ASSERT_TRUE(by_pin.ok()) << by_pin.status().message();

  ASSERT_TRUE(devices.Revoke("mesa-1").ok());
  EXPECT_EQ(logins_.Find(session->token).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(logins_.SpendLink(unspent->secret).ok());
  EXPECT_EQ(logins_.OpenDeviceLink("mesa-1", Role::kDesk).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(logins_.Find(by_pin->token).ok());
  EXPECT_TRUE(logins_.LiveDeviceSessions()->empty());

  // The name given again is another device: the old sessions stay ended.
  auto again = devices.Add("mesa-1", Role::kDesk);
  ASSERT_TRUE(again.ok()) << again.status().message();
  ASSERT_TRUE(devices.Pair(again->pairing_secret).ok());
  EXPECT_EQ(logins_.Find(session->token).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(logins_.OpenDeviceLink("mesa-1", Role::kDesk).ok());
}

}  // namespace
}  // namespace checkin::db
