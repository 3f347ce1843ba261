// Saving a station's hub settings into a real config file an organizer wrote:
// what is kept byte for byte, what is replaced, the rights of both files, and
// what is refused; reading the device token back.
#include "common/hub_settings.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "common/pairing_code.h"
#include "common/random.h"
#include "tests/fakes/files.h"
#include "tests/fakes/test_db.h"

namespace checkin {
namespace {

namespace fs = std::filesystem;
using checkin::testing::ModeOf;
using checkin::testing::Slurp;
using checkin::testing::TempDir;

constexpr const char* kPin = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

void Write(const std::string& path, const std::string& bytes, mode_t mode = 0644) {
  std::ofstream(path, std::ios::binary) << bytes;
  ::chmod(path.c_str(), mode);
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class HubSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override { old_umask_ = ::umask(022); }
  void TearDown() override { ::umask(old_umask_); }

  HubSettings Settings() const {
    HubSettings s;
    s.urls = {"https://192.168.1.10:8443", "https://hub.local:8443"};
    s.fingerprint = kPin;
    s.token_file = dir_.File("puerta.token");
    s.replica = dir_.File("puerta.replica.db");
    s.device = "puerta-norte";
    s.role = Role::kScan;
    s.deadline_ms = 300;
    return s;
  }

  TempDir dir_;
  const std::string config_ = dir_.File("station.toml");
  const std::string token_ = RandomBase32(kDeviceTokenLength);
  mode_t old_umask_ = 0;
};

// The organizer's file: comments, odd spacing, CRLF lines, no final newline.
const std::string kOrganizers =
    "# Puerta norte: la del estacionamiento.\n"
    "language = \"es\"   # volunteers read Spanish\r\n"
    "\n"
    "[scanner]\n"
    "repeat_after_s = 3\n"
    "\n"
    "[[gate]]\n"
    "name = \"Norte\"  # not \"Principal\"\n"
    "days = [\n"
    "  \"2026-11-28\",  # sábado\n"
    "]";

TEST_F(HubSettingsTest, KeepsTheOrganizersBytesAndReplacesHubWhenPairedAgain) {
  Write(config_, kOrganizers);
  Status s = SaveHubSettings(config_, Settings(), token_);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::string first = Slurp(config_);
  EXPECT_EQ(first.substr(0, kOrganizers.size()), kOrganizers);
  EXPECT_EQ(Count(first, "[hub]"), 1u);

  HubSettings again = Settings();
  again.urls = {"http://127.0.0.1:8080"};
  again.fingerprint = "";
  again.role = Role::kPrint;
  again.device = "impresora";
  s = SaveHubSettings(config_, again, token_);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::string second = Slurp(config_);
  EXPECT_EQ(second.substr(0, kOrganizers.size()), kOrganizers);
  EXPECT_EQ(Count(second, "[hub]"), 1u) << second;
  EXPECT_EQ(Count(second, "192.168.1.10"), 0u) << "the old URL is gone";
  auto c = LoadConfig(config_);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->hub, again);
  EXPECT_EQ(c->scanner.repeat_after_ms, 3000);
  ASSERT_EQ(c->gates.size(), 1u);
  EXPECT_EQ(c->gates[0].name, "Norte");
}

TEST_F(HubSettingsTest, ReplacesAHubSectionWhereItStands) {
  const std::string before =
      "language = \"en\"\n"
      "\n"
      "# Written by hand before pairing existed.\n";
  const std::string old_hub =
      "[hub]  # the old one\n"
      "url = \"https://10.0.0.5:8443\"\n"
      "# a comment inside the old section\n"
      "fingerprint = \"\"\"\n" +
      std::string(kPin) +
      "\"\"\"\n"
      "urls = [\n"
      "  \"https://10.0.0.6:8443\",\n"
      "]\n";
  const std::string after =
      "\n"
      "# The doors. This comment belongs to them.\n"
      "[[gate]]\n"
      "name = \"Sur\"\n";
  Write(config_, before + old_hub + after);
  ASSERT_TRUE(LoadConfig(config_).ok()) << LoadConfig(config_).status().message();
  Status s = SaveHubSettings(config_, Settings(), token_);
  ASSERT_TRUE(s.ok()) << s.message();
  const std::string text = Slurp(config_);
  ASSERT_GE(text.size(), before.size() + after.size());
  EXPECT_EQ(text.substr(0, before.size()), before);
  EXPECT_EQ(text.substr(text.size() - after.size()), after);
  EXPECT_EQ(Count(text, "10.0.0."), 0u) << text;
  EXPECT_EQ(Count(text, "[hub]"), 1u) << text;
  auto c = LoadConfig(config_);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->hub, Settings());
  EXPECT_EQ(c->language, Language::kEnglish);
}

TEST_F(HubSettingsTest, BothFilesAreOwnerOnlyAndTheTokenStaysOutOfTheConfig) {
  Write(config_, kOrganizers, 0644);
  Write(dir_.File("puerta.token"), "old token, readable", 0644);
  Status s = SaveHubSettings(config_, Settings(), token_);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(ModeOf(config_), 0600);
  EXPECT_EQ(ModeOf(dir_.File("puerta.token")), 0600);
  EXPECT_EQ(Slurp(dir_.File("puerta.token")), token_);
  EXPECT_EQ(Count(Slurp(config_), token_), 0u);
  // Nothing but the two files: no temporary file left behind.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_.path())) ++entries;
  EXPECT_EQ(entries, 2u);
}

TEST_F(HubSettingsTest, AMissingConfigIsCreatedWithDefaultsBesideIt) {
  HubSettings s = Settings();
  s.token_file = "";
  s.replica = "";
  Status st = SaveHubSettings(config_, s, token_);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(ModeOf(config_), 0600);
  EXPECT_EQ(Slurp(dir_.File("station.token")), token_);
  auto c = LoadConfig(config_);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_TRUE(c->hub.has_value());
  EXPECT_EQ(c->hub->token_file, dir_.File("station.token"));
  EXPECT_EQ(c->hub->replica, dir_.File("station.replica.db"));
  EXPECT_EQ(c->hub->urls, s.urls);
  EXPECT_EQ(c->gates.size(), 1u) << "the default gate, as without a [hub]";
  // Written as relative names: the folder can move with its files.
  EXPECT_NE(Slurp(config_).find("token_file = \"station.token\""), std::string::npos);
}

TEST_F(HubSettingsTest, RoundTripsPathsThatNeedEscaping) {
  const fs::path odd = dir_.path() / "sede \"Ñuñoa\" \\ café";
  fs::create_directory(odd);
  HubSettings s = Settings();
  s.token_file = (odd / "tok'en").string();
  s.replica = (odd / "réplica\t1.db").string();
  s.device = "puerta \"norte\" \\ ñ\n2";
  Status st = SaveHubSettings(config_, s, token_);
  ASSERT_TRUE(st.ok()) << st.message();
  auto c = LoadConfig(config_);
  ASSERT_TRUE(c.ok()) << c.status().message() << "\n" << Slurp(config_);
  EXPECT_EQ(c->hub, s);
  EXPECT_EQ(Slurp(s.token_file), token_);
  // Non-ASCII stays readable in the file rather than \u-escaped.
  EXPECT_NE(Slurp(config_).find("café"), std::string::npos);
}

TEST_F(HubSettingsTest, AConfigThatDoesNotLoadIsLeftUntouched) {
  const std::string broken_cases[] = {
      "language = \"es\"\n[[gate]\nname = \"Norte\"\n",          // TOML syntax
      "language = \"es\"\n[[gate]]\nname = \"A\"\ncolor = 1\n",  // a key it does not know
      "[hub]\nurl = \"https://h:1\"\nfingerprint = \"x\"\n",     // an old [hub] it would not read
  };
  for (const std::string& broken : broken_cases) {
    Write(config_, broken, 0644);
    Status s = SaveHubSettings(config_, Settings(), token_);
    ASSERT_FALSE(s.ok()) << broken;
    EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
    EXPECT_NE(s.message().find(config_ + ":"), std::string::npos) << s.message();
    EXPECT_EQ(Slurp(config_), broken);
    EXPECT_EQ(ModeOf(config_), 0644);
    EXPECT_FALSE(fs::exists(dir_.File("puerta.token"))) << "no token written either";
  }
}

TEST_F(HubSettingsTest, RefusesBadTokensAndSettingsWritingNothing) {
  Write(config_, kOrganizers);
  HubSettings no_pin = Settings();
  no_pin.fingerprint = "";
  HubSettings slow = Settings();
  slow.deadline_ms = 20000;
  HubSettings token_is_config = Settings();
  token_is_config.token_file = "station.toml";
  struct Case {
    const char* name;
    HubSettings s;
    std::string token;
    const char* expect;
  } cases[] = {
      {"short token", Settings(), token_.substr(1), "device token does not have the expected form"},
      {"lower-case token", Settings(), std::string(kDeviceTokenLength, 'a'), "expected form"},
      {"https without a pin", no_pin, token_, "needs fingerprint"},
      {"deadline out of range", slow, token_, "deadline_ms must be"},
      {"token file is the config", token_is_config, token_, "must not be the config file"},
  };
  for (const Case& c : cases) {
    Status s = SaveHubSettings(config_, c.s, c.token);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << c.name << ": " << s.message();
    EXPECT_EQ(s.message().find(c.token), std::string::npos) << c.name << ": token in message";
    EXPECT_EQ(Slurp(config_), kOrganizers) << c.name;
    EXPECT_FALSE(fs::exists(dir_.File("puerta.token"))) << c.name;
  }
}

TEST_F(HubSettingsTest, ReadsTheTokenBack) {
  ASSERT_TRUE(SaveHubSettings(config_, Settings(), token_).ok());
  auto c = LoadConfig(config_);
  ASSERT_TRUE(c.ok()) << c.status().message();
  auto t = ReadHubToken(*c->hub);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(*t, token_);
  // Made by hand with echo: one newline at the end is fine.
  Write(c->hub->token_file, token_ + "\n", 0600);
  t = ReadHubToken(*c->hub);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(*t, token_);
}

TEST_F(HubSettingsTest, ReadTokenRefusesWithoutShowingIt) {
  HubSettings s = Settings();
  const std::string lower = std::string(kDeviceTokenLength, 'a');
  struct Case {
    const char* name;
    std::string bytes;
    mode_t mode;
    const char* expect;
  } cases[] = {
      {"readable by group", token_, 0640, "can be read or changed by other users"},
      {"readable by all", token_, 0644, "can be read or changed by other users"},
      {"writable by group", token_, 0620, "can be read or changed by other users"},
      {"empty", "", 0600, "is empty"},
      {"only a newline", "\n", 0600, "is empty"},
      {"short", token_.substr(2), 0600, "does not hold a device token"},
      {"lower case", lower, 0600, "does not hold a device token"},
      {"two lines", token_ + "\n" + token_ + "\n", 0600, "does not hold a device token"},
  };
  for (const Case& c : cases) {
    Write(s.token_file, c.bytes, c.mode);
    auto t = ReadHubToken(s);
    ASSERT_FALSE(t.ok()) << c.name;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidInput) << c.name;
    EXPECT_NE(t.status().message().find(c.expect), std::string::npos)
        << c.name << ": " << t.status().message();
    EXPECT_NE(t.status().message().find(s.token_file), std::string::npos) << c.name;
    if (c.bytes.size() > 4) {
      EXPECT_EQ(t.status().message().find(c.bytes.substr(0, 8)), std::string::npos) << c.name;
    }
  }
  fs::remove(s.token_file);
  auto missing = ReadHubToken(s);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("checkin station pair"), std::string::npos);
}

}  // namespace
}  // namespace checkin
