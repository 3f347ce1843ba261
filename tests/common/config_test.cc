#include "common/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

namespace checkin {
namespace {

TEST(ConfigTest, DefaultHasOneGateThatAdmitsAll) {
  Config c = DefaultConfig();
  ASSERT_EQ(c.gates.size(), 1u);
  auto g = c.FindGate("principal");
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE((*g)->AdmitsTicketType("anything"));
  EXPECT_EQ(c.language, Language::kSpanish);
}

TEST(ConfigTest, ParsesGatesAndLanguage) {
  auto c = ParseConfig(R"(
language = "en"
[[gate]]
name = "Norte"
[[gate]]
name = "Sala VIP"
ticket_types = ["Speaker", "Sponsor"]
days = ["2026-11-28"]
)",
                       "station.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->language, Language::kEnglish);
  ASSERT_EQ(c->gates.size(), 2u);
  auto vip = c->FindGate("sala vip");
  ASSERT_TRUE(vip.ok());
  EXPECT_TRUE((*vip)->AdmitsTicketType("speaker"));
  EXPECT_FALSE((*vip)->AdmitsTicketType("General"));
  EXPECT_TRUE((*vip)->OpenOn("2026-11-28"));
  EXPECT_FALSE((*vip)->OpenOn("2026-11-29"));
}

TEST(ConfigTest, ErrorsNameTheFileLineAndKey) {
  struct Case {
    const char* toml;
    const char* expect;
  };
  const Case cases[] = {
      {"language = \"fr\"\n", "station.toml:1: language must be"},
      {"lenguaje = \"es\"\n", "station.toml:1: unknown key 'lenguaje'"},
      {"\n[[gate]]\nticket_types = []\n", "station.toml:2: every [[gate]] needs a name"},
      {"[[gate]]\nname = \"A\"\ndays = [\"28/11/2026\"]\n", "is not YYYY-MM-DD"},
      // Not in the calendar: the gate would never open.
      {"[[gate]]\nname = \"A\"\ndays = [\"2026-02-31\"]\n", "day '2026-02-31' of gate A"},
      {"[[gate]]\nname = \"A\"\ndays = [\"2027-02-29\"]\n", "day '2027-02-29' of gate A"},
      {"[[gate]]\nname = \"A\"\n[[gate]]\nname = \"a\"\n", "defined twice"},
      {"[[gate]]\nname = \"A\"\ncolor = 1\n", "station.toml:3: unknown key 'color'"},
      {"language = \n", "station.toml:1:"},
  };
  for (const auto& c : cases) {
    auto r = ParseConfig(c.toml, "station.toml");
    ASSERT_FALSE(r.ok()) << c.toml;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << "got: " << r.status().message() << " for " << c.toml;
  }
}

constexpr const char* kPin = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TEST(ConfigTest, HubSettingsWithPathsBesideTheConfig) {
  const std::string toml = std::string(R"(
[hub]
url = "https://192.168.1.10:8443"
urls = ["https://hub.local:8443", "http://127.0.0.1:8080"]
fingerprint = ")") + kPin + R"("
token_file = "keys/puerta.token"
device = "puerta-norte"
role = "desk"
deadline_ms = 250
)";
  auto c = ParseConfig(toml, "/srv/station/station.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_TRUE(c->hub.has_value());
  const HubSettings& h = *c->hub;
  EXPECT_EQ(h.urls, (std::vector<std::string>{"https://192.168.1.10:8443", "https://hub.local:8443",
                                              "http://127.0.0.1:8080"}));
  EXPECT_EQ(h.fingerprint, kPin);
  EXPECT_EQ(h.token_file, "/srv/station/keys/puerta.token");
  EXPECT_EQ(h.replica, "/srv/station/station.replica.db") << "the default, beside the config";
  EXPECT_EQ(h.device, "puerta-norte");
  EXPECT_EQ(h.role, Role::kDesk);
  EXPECT_EQ(h.deadline_ms, 250);
  EXPECT_FALSE(DefaultConfig().hub.has_value());
}

TEST(ConfigTest, HubDefaultsAndLoopbackWithoutFingerprint) {
  for (const char* url : {"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080",
                          "http://127.3.2.1"}) {
    auto c = ParseConfig(
        std::string("[hub]\nurl = \"") + url + "\"\nreplica = \"/var/lib/checkin/r.db\"\n",
        "st.toml");
    ASSERT_TRUE(c.ok()) << url << ": " << c.status().message();
    EXPECT_EQ(c->hub->urls, std::vector<std::string>{url});
    EXPECT_EQ(c->hub->fingerprint, "");
    EXPECT_EQ(c->hub->token_file, "st.token") << "relative to the config, itself relative";
    EXPECT_EQ(c->hub->replica, "/var/lib/checkin/r.db") << "absolute stays";
    EXPECT_EQ(c->hub->deadline_ms, kDefaultHubDeadlineMs);
    EXPECT_FALSE(c->hub->role.has_value());
  }
}

TEST(ConfigTest, HubErrorsNameTheFileLineAndKey) {
  const std::string pin = std::string("fingerprint = \"") + kPin + "\"\n";
  const std::string url = "[hub]\nurl = \"https://h:8443\"\n" + pin;
  struct Case {
    std::string toml;
    const char* expect;
  };
  const Case cases[] = {
      {"[hub]\n" + pin, "s.toml:1: [hub] needs url"},
      {"[hub]\nurl = \"https://h:8443\"\n", "s.toml:1: [hub] needs fingerprint"},
      {"[hub]\nurl = \"http://192.168.1.10:8080\"\n", "s.toml:2: url: plain http://"},
      {"[hub]\nurl = \"ftp://h\"\n", "s.toml:2: url: the hub URL must start with https://"},
      {"[hub]\nurl = 8443\n", "s.toml:2: url must be a string"},
      {url + "urls = \"https://b\"\n", "s.toml:4: urls must be a list of strings"},
      {url + "urls = [\"https://b\", \"http://10.0.0.1\"]\n", "s.toml:4: urls: plain http://"},
      {url + "urls = [\"https://b\", \"https://c\", \"https://d\", \"https://e\"]\n",
       "s.toml:4: urls holds at most 3 fallbacks"},
      {"[hub]\nurl = \"https://h\"\nfingerprint = \"abc\"\n", "s.toml:3: fingerprint: the cert"},
      {"[hub]\nurl = \"https://h\"\nfingerprint = \"" + std::string(64, 'A') + "\"\n",
       "s.toml:3: fingerprint:"},
      {url + "token_file = \"\"\n", "s.toml:4: token_file must name a file"},
      {url + "replica = 1\n", "s.toml:4: replica must be a string"},
      {url + "device = true\n", "s.toml:4: device must be a string"},
      {url + "role = \"boss\"\n", "s.toml:4: role must be scan, desk, print or admin"},
      {url + "deadline_ms = 49\n", "s.toml:4: deadline_ms must be a whole number from 50"},
      {url + "deadline_ms = 10001\n", "s.toml:4: deadline_ms must be"},
      {url + "deadline_ms = 400.0\n", "s.toml:4: deadline_ms must be"},
      {url + "deadline_ms = \"400\"\n", "s.toml:4: deadline_ms must be"},
      {url + "token = \"ABC\"\n", "s.toml:4: unknown key 'token' in [hub]"},
      {url + "[hub.extra]\nx = 1\n", "unknown key 'extra' in [hub]"},
      // Only a [hub] header gives pairing again a block of lines to replace.
      {"hub = { url = \"http://127.0.0.1:1\" }\n", "s.toml:1: hub settings are written as a [hub]"},
      {"hub.url = \"http://127.0.0.1:1\"\n", "s.toml:1: hub settings are written as a [hub]"},
      {"[[hub]]\nurl = \"http://127.0.0.1:1\"\n", "hub settings are written as a [hub] table"},
      {"hub = 3\n", "s.toml:1: hub settings are written as a [hub] table"},
  };
  for (const auto& c : cases) {
    auto r = ParseConfig(c.toml, "s.toml");
    ASSERT_FALSE(r.ok()) << c.toml;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << "got: " << r.status().message() << " for " << c.toml;
  }
}

TEST(ConfigTest, RegistrationWithTheContractKeys) {
  auto c = ParseConfig(R"(
[registration]
platform = "pretix"            # or "eventbrite", "sympla"
url = "https://pretix.eu/"     # the API's base URL (plain http allowed only on loopback)
organizer = "kcd"              # pretix only
event = "bogota2025"           # the platform's event id or slug
token_file = "keys/pretix.token"
interval_s = 60
)",
                       "/etc/checkin/hub.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_TRUE(c->registration.has_value());
  const RegistrationSettings& r = *c->registration;
  EXPECT_EQ(r.platform, "pretix");
  EXPECT_EQ(r.url, "https://pretix.eu/");
  EXPECT_EQ(r.organizer, "kcd");
  EXPECT_EQ(r.event, "bogota2025");
  EXPECT_EQ(r.token_file, "/etc/checkin/keys/pretix.token") << "beside the config";
  EXPECT_EQ(r.token_env, "CHECKIN_REGISTRATION_TOKEN");
  EXPECT_EQ(r.interval_s, 60);
  EXPECT_EQ(r.upload_list, 0) << "check-ins go back to pretix only when asked";
  EXPECT_FALSE(DefaultConfig().registration.has_value());
  auto upload = ParseConfig(
      "[registration]\nplatform = \"pretix\"\nurl = \"https://pretix.eu/\"\n"
      "organizer = \"kcd\"\nevent = \"e\"\nupload_list = 12\n",
      "u.toml");
  ASSERT_TRUE(upload.ok()) << upload.status().message();
  EXPECT_EQ(upload->registration->upload_list, 12);

  // Eventbrite and Sympla need no organizer; the token may come from the
  // environment; plain http to this machine (a test server) is allowed.
  auto sympla = ParseConfig(
      "[registration]\nplatform = \"sympla\"\nurl = \"http://127.0.0.1:8080/\"\nevent = "
      "\"2468\"\ntoken_env = \"SYMPLA_TOKEN\"\ninterval_s = 10\n",
      "s.toml");
  ASSERT_TRUE(sympla.ok()) << sympla.status().message();
  EXPECT_EQ(sympla->registration->token_file, "");
  EXPECT_EQ(sympla->registration->token_env, "SYMPLA_TOKEN");
  EXPECT_EQ(sympla->registration->interval_s, 10);

  // Eventbrite's client knows its API's address.
  auto eventbrite = ParseConfig(
      "[registration]\nplatform = \"eventbrite\"\nevent = \"812345678901\"\n", "s.toml");
  ASSERT_TRUE(eventbrite.ok()) << eventbrite.status().message();
  EXPECT_EQ(eventbrite->registration->url, "");
}

TEST(ConfigTest, RegistrationErrorsNameTheFileLineAndKey) {
  const std::string head = "[registration]\nplatform = \"pretix\"\n";
  const std::string ok =
      head + "url = \"https://pretix.eu/\"\norganizer = \"kcd\"\nevent = \"e\"\n";
  struct Case {
    std::string toml;
    const char* expect;
  };
  const Case cases[] = {
      {"[registration]\nplatform = \"tito\"\n", "s.toml:2: platform 'tito' is not one we sync"},
      {head + "url = \"http://192.168.1.5/\"\n", "s.toml:3: url: plain http:// is allowed only"},
      {head + "url = \"ftp://pretix.eu/\"\n", "s.toml:3: url: must start with https://"},
      {head + "url = \"https://user:pw@pretix.eu/\"\n", "s.toml:3: url: must not carry a user"},
      {head + "url = \"https:///\"\n", "s.toml:3: url: names no host"},
      {head + "url = \"https://pretix.eu/?token=x\"\n", "s.toml:3: url: must be the API's base"},
      {head + "url = 3\n", "s.toml:3: url must be a string"},
      {ok + "interval_s = 9\n", "s.toml:6: interval_s must be a whole number of seconds from 10"},
      {ok + "interval_s = 86401\n", "s.toml:6: interval_s must be"},
      {ok + "interval_s = 60.0\n", "s.toml:6: interval_s must be"},
      {ok + "interval_s = \"60\"\n", "s.toml:6: interval_s must be"},
      {ok + "token = \"abc\"\n", "s.toml:6: unknown key 'token' in [registration]"},
      {ok + "token = \"abc\"\n", "the token goes in token_file, never here"},
      {ok + "token_env = \"my-token\"\n", "s.toml:6: token_env must name an environment"},
      {ok + "token_file = \"  \"\n", "s.toml:6: token_file is empty"},
      {head + "url = \"https://pretix.eu/\"\nevent = \"e\"\n",
       "s.toml:1: [registration] needs "
       "organizer"},
      {head + "organizer = \"kcd\"\nevent = \"e\"\n", "s.toml:1: [registration] needs url"},
      {head + "url = \"https://pretix.eu/\"\norganizer = \"kcd\"\n", "[registration] needs event"},
      {"[registration]\nurl = \"https://x/\"\n", "[registration] needs platform"},
      {"[registration]\nplatform = \"sympla\"\n", "[registration] needs event"},
      {"registration = 3\n", "s.toml:1: registration settings are written as a [registration]"},
      {ok + "upload_list = 0\n", "s.toml:6: upload_list must be the id of a pretix check-in list"},
      {ok + "upload_list = \"12\"\n", "s.toml:6: upload_list must be"},
      {"[registration]\nplatform = \"eventbrite\"\nevent = \"8\"\nupload_list = 3\n",
       "upload_list sends check-ins to a pretix check-in list; eventbrite has none"},
  };
  for (const auto& c : cases) {
    auto r = ParseConfig(c.toml, "s.toml");
    ASSERT_FALSE(r.ok()) << c.toml;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << "got: " << r.status().message() << " for " << c.toml;
  }
}

TEST(ConfigTest, DefaultHubFileNamesFollowTheConfigName) {
  EXPECT_EQ(DefaultHubTokenFile("/etc/checkin/checkin.toml"), "checkin.token");
  EXPECT_EQ(DefaultHubReplica("/etc/checkin/checkin.toml"), "checkin.replica.db");
  EXPECT_EQ(BesideConfig("/etc/checkin/checkin.toml", "a/b.db"), "/etc/checkin/a/b.db");
  EXPECT_EQ(BesideConfig("/etc/checkin/checkin.toml", "/var/b.db"), "/var/b.db");
  EXPECT_EQ(BesideConfig("station.toml", "b.db"), "b.db");
}

// The example organizers copy: it loads, and so do its [hub] and
// [registration] once uncommented.
TEST(ConfigTest, ExampleConfigLoadsWithItsHubSection) {
  const std::string path =
      std::string(CHECKIN_TEST_DATA_DIR) + "/../../deploy/checkin.example.toml";
  auto c = LoadConfig(path);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_FALSE(c->hub.has_value());
  std::ifstream in(path);
  std::string text, line;
  bool in_hub = false;
  while (std::getline(in, line)) {
    in_hub = in_hub || line == "#[hub]";
    if (in_hub && line.size() > 1 && line[0] == '#' && line[1] != ' ') line.erase(0, 1);
    const size_t placeholder = line.find("<64 lowercase hex digits>");
    if (placeholder != std::string::npos) line.replace(placeholder, 25, kPin);
    text += line + "\n";
  }
  auto uncommented = ParseConfig(text, "/etc/checkin/checkin.toml");
  ASSERT_TRUE(uncommented.ok()) << uncommented.status().message();
  ASSERT_TRUE(uncommented->hub.has_value());
  EXPECT_EQ(uncommented->hub->urls.size(), 2u);
  EXPECT_EQ(uncommented->hub->token_file, "/etc/checkin/checkin.token");
  EXPECT_EQ(uncommented->hub->role, Role::kScan);
  ASSERT_TRUE(uncommented->registration.has_value());
  EXPECT_EQ(uncommented->registration->platform, "pretix");
  EXPECT_EQ(uncommented->registration->token_file, "/etc/checkin/pretix.token");
}

TEST(ConfigTest, UnknownGateListsTheKnownOnes) {
  auto r = DefaultConfig().FindGate("Norte");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Principal"), std::string::npos);
}

TEST(ConfigTest, ScannerSettings) {
  EXPECT_EQ(DefaultConfig().scanner.repeat_after_ms, 2000);
  EXPECT_TRUE(DefaultConfig().scanner.sound);
  auto leap = ParseConfig("[[gate]]\nname = \"A\"\ndays = [\"2028-02-29\"]\n", "s.toml");
  EXPECT_TRUE(leap.ok()) << "2028 is a leap year: " << leap.status().message();
  auto c = ParseConfig("[scanner]\nrepeat_after_s = 4.5\nsound = false\n", "s.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->scanner.repeat_after_ms, 4500);
  EXPECT_FALSE(c->scanner.sound);
  // nan compared false with both bounds and switched repeat suppression off.
  for (const char* bad : {"[scanner]\nrepeat_after_s = 0\n", "[scanner]\nrepeat_after_s = nan\n",
                          "[scanner]\nrepeat_after_s = inf\n", "[scanner]\nsound = \"yes\"\n",
                          "[scanner]\ncooldown = 3\n", "scanner = 3\n"}) {
    auto r = ParseConfig(bad, "s.toml");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("s.toml:"), std::string::npos) << r.status().message();
  }
}

TEST(ConfigTest, MissingFileIsNotFound) {
  auto r = LoadConfig("/nonexistent/station.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(ConfigTest, SearchOrderFlagThenEnvironmentThenEtc) {
  struct Case {
    const char* name;
    ConfigSources sources;
    std::set<std::string> on_disk;
    std::string want;
  };
  const std::string etc = kSystemConfigFile;
  const Case cases[] = {
      {"flag wins over everything", {"mine.toml", "env.toml"}, {etc}, "mine.toml"},
      {"flag given but missing is still the flag",
       {"missing.toml", std::nullopt},
       {etc},
       "missing.toml"},
      {"environment over /etc", {"", "env.toml"}, {etc}, "env.toml"},
      {"empty environment means the defaults", {"", ""}, {etc}, ""},
      {"/etc when nothing is named", {"", std::nullopt}, {etc}, etc},
      {"defaults when /etc has no file", {"", std::nullopt}, {}, ""},
      {"another system file", {"", std::nullopt, "/opt/c.toml"}, {"/opt/c.toml"}, "/opt/c.toml"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> asked;
    auto exists = [&](const std::string& path) {
      asked.push_back(path);
      return c.on_disk.count(path) > 0;
    };
    EXPECT_EQ(FindConfigFile(c.sources, exists), c.want) << c.name;
    // Named files are never second-guessed; only the system file is looked for.
    for (const std::string& path : asked) EXPECT_EQ(path, c.sources.system_file) << c.name;
  }
}

TEST(ConfigTest, EmptyEnvironmentIgnoresTheSystemFile) {
  const char* saved = std::getenv("CHECKIN_CONFIG");
  const std::string restore = saved == nullptr ? "" : saved;
  setenv("CHECKIN_CONFIG", "", 1);
  EXPECT_EQ(FindConfigFile(""), "");
  EXPECT_EQ(FindConfigFile("given.toml"), "given.toml");
  setenv("CHECKIN_CONFIG", "env.toml", 1);
  EXPECT_EQ(FindConfigFile(""), "env.toml");
  if (saved == nullptr) {
    unsetenv("CHECKIN_CONFIG");
  } else {
    setenv("CHECKIN_CONFIG", restore.c_str(), 1);
  }
}

}  // namespace
}  // namespace checkin
