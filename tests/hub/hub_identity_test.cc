// Where the hub's files go and what they name, and InitHubIdentity on a real
// folder it may not write to.
#include "hub/hub_identity.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "tests/fakes/test_db.h"

namespace checkin::hub {
namespace {

namespace fs = std::filesystem;
using checkin::testing::FakeClock;
using checkin::testing::TempDir;
using Names = std::vector<std::string>;

TEST(HubIdentityTest, FilesSitBesideTheDatabaseWithoutItsExtension) {
  EXPECT_EQ(HubFilesFor("/x/venue.db").certificate, "/x/venue.hub.crt");
  EXPECT_EQ(HubFilesFor("/x/venue.db").key, "/x/venue.hub.key");
  EXPECT_EQ(HubFilesFor("/x/kcd.2026.db").certificate, "/x/kcd.2026.hub.crt");
  EXPECT_EQ(HubFilesFor("venue").key, "venue.hub.key");
}

TEST(HubIdentityTest, AltNamesAndUrls) {
  const Names addresses{"192.168.1.20", "2001:db8::5"};
  EXPECT_EQ(HubAltNames("hub-laptop", addresses),
            (Names{"localhost", "127.0.0.1", "::1", "hub-laptop", "192.168.1.20", "2001:db8::5"}));
  EXPECT_EQ(HubAltNames("bad name", {"127.0.0.1"}), (Names{"localhost", "127.0.0.1", "::1"}))
      << "a host name that is no DNS name is left out, addresses once";
  EXPECT_EQ(StationUrls("hub-laptop", addresses, kDefaultHubPort),
            (Names{"https://hub-laptop:8443", "https://192.168.1.20:8443",
                   "https://[2001:db8::5]:8443"}));
  EXPECT_EQ(StationUrls("", {}, 9000), Names{});
}

// As nobody (the tests may run as root, whom folder modes do not stop): the
// child reports 0 when the failure was the expected one.
TEST(HubIdentityTest, UnwritableFolderLeavesNothingBehind) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to become another user";
  TempDir dir;
  const std::string folder = dir.File("readonly");
  ASSERT_TRUE(fs::create_directory(folder));
  ASSERT_EQ(chmod(folder.c_str(), 0555), 0);
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(10);
    FakeClock clock;
    auto st = InitHubIdentity(folder + "/venue.db", "Evento", {"localhost"}, Renew::kKeep, clock);
    if (st.ok()) _exit(11);
    if (st.status().code() != StatusCode::kDeviceError) _exit(12);
    if (st.status().message().find("cannot create a file in " + folder) == std::string::npos)
      _exit(13);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  chmod(folder.c_str(), 0755);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: could not drop root, 11: succeeded, 12: wrong code, "
                                       "13: message does not name the folder";
  EXPECT_TRUE(fs::is_empty(folder));
}

}  // namespace
}  // namespace checkin::hub
