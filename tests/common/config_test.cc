#include "common/config.h"

#include <gtest/gtest.h>

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
)", "station.toml");
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
  auto c = ParseConfig("[scanner]\nrepeat_after_s = 4.5\nsound = false\n", "s.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->scanner.repeat_after_ms, 4500);
  EXPECT_FALSE(c->scanner.sound);
  for (const char* bad : {"[scanner]\nrepeat_after_s = 0\n", "[scanner]\nsound = \"yes\"\n",
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

}  // namespace
}  // namespace checkin
