#include "common/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
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
