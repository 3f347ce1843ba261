// `checkin roster gates`, the real binary against the fake pretix: the
// event's check-in lists printed as [[gate]] blocks, written into a config
// that LoadConfig then reads, and a refused token that leaves it untouched.
#include <gtest/gtest.h>

#include "common/config.h"
#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/files.h"
#include "tests/sync/platform_fakes.h"

namespace checkin {
namespace {

using sync::fake::FakePretix;
using testing::RunCheckin;
using testing::Slurp;

constexpr char kConfig[] =
    "language = \"es\"\n"
    "# Our own door, kept.\n"
    "[[gate]]\n"
    "name = \"Principal\"\n"
    "\n"
    "[scanner]\n"
    "sound = false\n";

class RosterGatesCliTest : public ::testing::Test {
 protected:
  void SetUp() override { WriteConfig(kConfig); }
  void WriteConfig(const std::string& text) {
    std::ofstream(config_, std::ios::binary | std::ios::trunc) << text;
  }
  testing::ProcessOutput Gates(std::vector<std::string> extra,
                               const std::string& token = sync::fake::kPretixToken) {
    std::vector<std::string> args = {"--config", config_,        "roster",      "gates",
                                     "--url",    pretix_.base(), "--organizer", "kcd",
                                     "--event",  "bogota2025"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCheckin(args, {"CHECKIN_REGISTRATION_TOKEN=" + token});
  }

  FakePretix pretix_;
  testing::TempDir dir_;
  std::string config_ = dir_.File("checkin.toml");
};

TEST_F(RosterGatesCliTest, PrintsTheGatesInSpanish) {
  auto out = Gates({});
  ASSERT_EQ(out.rc, 0) << out.err;
  EXPECT_NE(out.out.find("# Puertas según las listas de check-in de pretix (kcd/bogota2025)"),
            std::string::npos)
      << out.out;
  EXPECT_NE(out.out.find("[[gate]]\nname = \"Entrada principal\"\n\n[[gate]]\n"
                         "name = \"Talleres\"\n"
                         "ticket_types = [ \"Workshop: Kubernetes in production\" ]\n"),
            std::string::npos)
      << out.out;
  EXPECT_NE(out.err.find("nota: check-in list 'Entrega de camisetas'"), std::string::npos)
      << out.err;
  // Printing writes nothing.
  EXPECT_EQ(Slurp(config_), kConfig);
}

TEST_F(RosterGatesCliTest, WriteAddsGatesTheConfigThenReads) {
  auto out = Gates({"--write"});
  ASSERT_EQ(out.rc, 0) << out.err;
  EXPECT_NE(out.out.find("Escritas 3 puertas en"), std::string::npos) << out.out;
  const std::string text = Slurp(config_);
  EXPECT_EQ(text.rfind(kConfig, 0), 0u) << "the rest of the file is kept as it was:\n" << text;
  auto config = LoadConfig(config_);
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_EQ(config->gates.size(), 4u);
  EXPECT_EQ(config->gates[0].name, "Principal");
  EXPECT_EQ(config->gates[1].name, "Entrada principal");
  EXPECT_TRUE(config->gates[1].ticket_types.empty());
  EXPECT_EQ(config->gates[2].ticket_types,
            std::vector<std::string>{"Workshop: Kubernetes in production"});
  EXPECT_EQ(config->gates[3].ticket_types, std::vector<std::string>{"Speaker"});
  EXPECT_FALSE(config->scanner.sound);

  // Again: the names are taken, and nothing changes without --force.
  auto again = Gates({"--write"});
  EXPECT_EQ(again.rc, 2);
  EXPECT_NE(again.err.find("'Entrada principal', 'Talleres', 'Zona de ponentes'"),
            std::string::npos)
      << again.err;
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  EXPECT_EQ(Slurp(config_), text);

  // --force replaces them: each gate once, ours kept.
  auto forced = Gates({"--write", "--force"});
  ASSERT_EQ(forced.rc, 0) << forced.err;
  auto reread = LoadConfig(config_);
  ASSERT_TRUE(reread.ok()) << reread.status().message();
  EXPECT_EQ(reread->gates.size(), 4u);
  EXPECT_EQ(reread->gates[0].name, "Principal");
  const std::string replaced = Slurp(config_);
  EXPECT_EQ(replaced.find("# Puertas según"), replaced.rfind("# Puertas según")) << replaced;
}

TEST_F(RosterGatesCliTest, ARefusedTokenLeavesTheConfigUntouched) {
  auto out = Gates({"--write"}, "an-expired-token");
  EXPECT_EQ(out.rc, 2);
  EXPECT_NE(out.err.find("HTTP 401: the token is wrong or expired"), std::string::npos) << out.err;
  EXPECT_EQ(out.err.find("an-expired-token"), std::string::npos) << out.err;
  EXPECT_EQ(Slurp(config_), kConfig);
}

TEST_F(RosterGatesCliTest, NeedsTheEventAndAToken) {
  auto no_token = Gates({}, "");
  EXPECT_EQ(no_token.rc, 2);
  EXPECT_NE(no_token.err.find("CHECKIN_REGISTRATION_TOKEN"), std::string::npos) << no_token.err;
  auto no_event =
      RunCheckin({"--config", config_, "roster", "gates"},
                 {std::string("CHECKIN_REGISTRATION_TOKEN=") + sync::fake::kPretixToken});
  EXPECT_EQ(no_event.rc, 2);
  EXPECT_NE(no_event.err.find("--organizer"), std::string::npos) << no_event.err;
  EXPECT_TRUE(pretix_.targets().empty());
}

}  // namespace
}  // namespace checkin
