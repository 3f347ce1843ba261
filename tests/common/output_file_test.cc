// The one writer of output files, on a real folder: what it refuses, what it
// leaves behind when the disk says no (a real write failure, from a file size
// limit in a child process), and that a name planted in advance is not used.
#include "common/output_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fakes/files.h"
#include "tests/fakes/test_db.h"

namespace checkin {
namespace {

namespace fs = std::filesystem;
using checkin::testing::ModeOf;
using checkin::testing::NameList;
using checkin::testing::Names;
using checkin::testing::Slurp;
using checkin::testing::TempDir;

TEST(OutputFileTest, WritesANewFileAndReplacesAnOldOne) {
  TempDir dir;
  const std::string path = dir.File("badges.pdf");
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  EXPECT_EQ(Slurp(path), "first");
  Status s = WriteFileAtomically(path, "second, longer");
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Slurp(path), "second, longer");
  EXPECT_EQ(Names(dir.path()), NameList{"badges.pdf"}) << "no temporary file left";
}

TEST(OutputFileTest, OwnerOnlyFileIsNeverReadableByOthers) {
  TempDir dir;
  const std::string path = dir.File("hub.key");
  const mode_t old_umask = ::umask(022);
  ASSERT_TRUE(WriteFileAtomically(path, "shared").ok());
  EXPECT_EQ(ModeOf(path), 0644);
  // Replacing a readable file: the new one does not inherit its rights.
  Status s = WriteFileAtomically(path, "secret", FileAccess::kOwnerOnly);
  ::umask(old_umask);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Slurp(path), "secret");
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(Names(dir.path()), NameList{"hub.key"});
}

TEST(OutputFileTest, RefusesWhatIsNotARegularFileAndLeavesNothing) {
  TempDir dir;
  fs::create_directory(dir.File("out"));
  ASSERT_EQ(::mkfifo(dir.File("pipe").c_str(), 0600), 0);
  std::ofstream(dir.File("victim")) << "keep me";
  fs::create_symlink(dir.File("victim"), dir.File("link"));
  const struct {
    const char* name;
    const char* kind;
  } cases[] = {{"out", "a folder"}, {"pipe", "a FIFO"}, {"link", "a symbolic link"}};
  for (const auto& c : cases) {
    Status s = WriteFileAtomically(dir.File(c.name), "pdf bytes");
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << c.name;
    EXPECT_NE(s.message().find(c.kind), std::string::npos) << s.message();
  }
  EXPECT_TRUE(fs::is_directory(dir.File("out")));
  EXPECT_TRUE(fs::is_fifo(dir.File("pipe")));
  EXPECT_TRUE(fs::is_symlink(dir.File("link")));
  EXPECT_EQ(Slurp(dir.File("victim")), "keep me");
  EXPECT_EQ(Names(dir.path()), (NameList{"link", "out", "pipe", "victim"}));
  EXPECT_TRUE(fs::is_empty(dir.File("out")));
}

TEST(OutputFileTest, MissingFolderIsNotFound) {
  TempDir dir;
  Status s = WriteFileAtomically(dir.File("gone/badges.pdf"), "x");
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.message();
  EXPECT_NE(s.message().find("does not exist"), std::string::npos) << s.message();
}

// The old writer used PATH.part: whoever could write the folder first could
// point that name at any file and have it overwritten.
TEST(OutputFileTest, PlantedPartFileIsNeitherFollowedNorUsed) {
  TempDir dir;
  std::ofstream(dir.File("victim")) << "keep me";
  fs::create_symlink(dir.File("victim"), dir.File("badges.pdf.part"));
  ASSERT_TRUE(WriteFileAtomically(dir.File("badges.pdf"), "pdf bytes").ok());
  EXPECT_EQ(Slurp(dir.File("victim")), "keep me");
  EXPECT_EQ(Slurp(dir.File("badges.pdf")), "pdf bytes");
  EXPECT_EQ(Names(dir.path()), (NameList{"badges.pdf", "badges.pdf.part", "victim"}));
}

// A real failing write: a child process with a 4 KiB file size limit (and
// SIGXFSZ ignored, so write() fails with EFBIG instead of killing it) writes
// 64 KiB. The old file must stay whole and no temporary file may remain.
TEST(OutputFileTest, FailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile) {
  TempDir dir;
  const std::string path = dir.File("badges.pdf");
  std::ofstream(path) << "old badges";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(10);
    Status s = WriteFileAtomically(path, std::string(64 * 1024, 'x'));
    if (s.ok()) _exit(11);
    if (s.code() != StatusCode::kDeviceError) _exit(12);
    if (s.message().find("File too large") == std::string::npos) _exit(13);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: no limit, 11: wrote anyway, 12: wrong code, 13: "
                                       "message without the reason";
  EXPECT_EQ(Slurp(path), "old badges");
  EXPECT_EQ(Names(dir.path()), NameList{"badges.pdf"});
}

}  // namespace
}  // namespace checkin
