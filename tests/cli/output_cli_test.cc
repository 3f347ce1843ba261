// Output files and the print daemon end to end, on the real binary: where
// `badge render --out` refuses to write, what a failed write leaves behind,
// and `print --once` against a printer folder that is not there.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/files.h"
#include "tests/fakes/test_db.h"

namespace checkin {
namespace {

namespace fs = std::filesystem;
using checkin::testing::TempDir;
using Output = checkin::testing::ProcessOutput;
using checkin::testing::NameList;
using checkin::testing::Names;

using checkin::testing::RunCheckin;

class OutputCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directory(dir_.File("db"));
    db_ = dir_.File("db/kcd.db");  // apart, so its files never show up among the outputs
    checkin::testing::FakeClock clock;
    auto db = checkin::testing::NewEventDatabase(db_, clock);
    ASSERT_NE(db, nullptr);
    checkin::testing::ImportFixture(*db, "generic_basic.csv", clock);
    fs::create_directory(out_dir_);
  }
  Output Render(const std::string& out) {
    return RunCheckin({"badge", "render", "--all", "--out", out, "--db", db_, "--lang", "en"});
  }

  TempDir dir_;
  std::string db_;
  const std::string out_dir_ = dir_.File("out");
};

// It used to write DIR.part, fail to rename it over the folder, and leave it.
TEST_F(OutputCliTest, BadgeRenderIntoAFolderIsRefusedAndLeavesNothing) {
  fs::create_directory(dir_.File("out/badges"));
  Output o = Render(dir_.File("out/badges"));
  EXPECT_EQ(o.rc, 2) << o.err;
  EXPECT_NE(o.err.find("is a folder, not a regular file"), std::string::npos) << o.err;
  EXPECT_EQ(Names(out_dir_), NameList{"badges"});
  EXPECT_TRUE(fs::is_empty(dir_.File("out/badges")));
}

// It used to rename its file over the FIFO (and, as root, over /dev/null).
TEST_F(OutputCliTest, BadgeRenderOverAFifoIsRefusedAndLeavesItAlone) {
  const std::string fifo = dir_.File("out/badges.pdf");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Output o = Render(fifo);
  EXPECT_EQ(o.rc, 2) << o.err;
  EXPECT_NE(o.err.find("is a FIFO"), std::string::npos) << o.err;
  EXPECT_TRUE(fs::is_fifo(fifo)) << "still the FIFO";
  EXPECT_EQ(Names(out_dir_), NameList{"badges.pdf"});
}

// A real failing write: the file size limit of the shell that starts it
// (SIGXFSZ ignored, so write() fails with EFBIG as on a full disk). It used to
// leave badges.pdf.part behind, holding the space the database needs.
TEST_F(OutputCliTest, FailedBadgeWriteKeepsTheOldPdfAndLeavesNoTemporaryFile) {
  const std::string out = dir_.File("out/badges.pdf");
  ASSERT_EQ(Render(out).rc, 0);
  const auto full_size = fs::file_size(out);
  ASSERT_GT(full_size, 64u * 1024) << "the limit below must cut the PDF";
  std::ofstream(out, std::ios::trunc) << "old badges";
  // 64 blocks of 1 KiB: more than the database's shared-memory file, less
  // than the PDF.
  Output o = checkin::testing::RunProcess(
      "/bin/bash", {"-c", "ulimit -f 64 && trap '' XFSZ && exec \"$@\"", "bash", CHECKIN_BINARY,
                    "badge", "render", "--all", "--out", out, "--db", db_, "--lang", "en"});
  EXPECT_EQ(o.rc, 2) << o.err;
  EXPECT_NE(o.err.find("File too large"), std::string::npos) << o.err;
  EXPECT_EQ(Names(out_dir_), NameList{"badges.pdf"}) << "no temporary file left";
  std::ifstream in(out);
  std::stringstream kept;
  kept << in.rdbuf();
  EXPECT_EQ(kept.str(), "old badges");
}

// It used to go round for minutes (each badge through all its retries).
// The timeout is only a guard against a hang.
TEST_F(OutputCliTest, PrintOnceWithAMissingPdfFolderExitsWithTheReason) {
  ASSERT_EQ(RunCheckin({"print", "reprint", "KCD26-2IBYYURL7B", "--db", db_}).rc, 0);
  const std::string missing = dir_.File("out/not-there");
  Output o = checkin::testing::RunProcess(
      "/usr/bin/timeout", {"--kill-after=5", "120", CHECKIN_BINARY, "print", "--printer",
                           "pdf:" + missing, "--once", "--db", db_, "--lang", "en"});
  ASSERT_NE(o.rc, 124) << "still running after 120 s";
  EXPECT_EQ(o.rc, 2) << o.err;
  EXPECT_NE(o.err.find("not reachable (folder " + missing + " is missing)"), std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("badges still queued: 1"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(missing));
}

}  // namespace
}  // namespace checkin
