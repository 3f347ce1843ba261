// Crash safety and cross-process exactly-once, with real processes: children
// fork, open the same SQLite file and are killed or raced.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "common/clock.h"
#include "db/checkin_desk.h"
#include "db/roster.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

std::vector<std::string> AllCodes(Database& db) {
  std::vector<std::string> codes;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db.handle(),
                     "SELECT ticket_code FROM attendees WHERE status = 'valid' ORDER BY id", -1,
                     &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    codes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  return codes;
}

class DurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_);
    ASSERT_EQ(checkin::testing::ImportSampleRoster(*db, clock_), 200);
    codes_ = AllCodes(*db);
    ASSERT_GT(codes_.size(), 100u);
  }

  TempDir dir_;
  FakeClock clock_;
  std::vector<std::string> codes_;
};

// The child redeems codes one after another and, after each Redeem returns
// "admitted", writes the code's index to a pipe: that is the acknowledgement a
// volunteer would see. The parent kills it with SIGKILL mid-stream; every
// acknowledged check-in must be in the file afterwards.
TEST_F(DurabilityTest, AcknowledgedCheckinsSurviveSigkill) {
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const size_t begin = static_cast<size_t>(round) * 60;
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      auto db = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
      if (!db.ok()) _exit(3);
      auto desk = CheckinDesk::Create(**db, SystemClock(), DefaultConfig());
      if (!desk.ok()) _exit(4);
      for (size_t i = begin; i < begin + 60; ++i) {
        auto d = (*desk)->Redeem(
            {codes_[i], "Principal", "crash", Direction::kEntry, ScanSource::kCamera});
        if (!d.ok() || d->verdict != Verdict::kAdmitted) _exit(5);
        const uint32_t ack = static_cast<uint32_t>(i);
        if (write(fds[1], &ack, sizeof ack) != sizeof ack) _exit(6);
      }
      pause();  // wait to be killed
      _exit(0);
    }
    close(fds[1]);
    // Kill after a varying number of acknowledgements, mid-write of the next.
    const size_t kill_after = 5 + static_cast<size_t>(round) * 20;
    std::set<uint32_t> acked;
    uint32_t ack;
    while (acked.size() < kill_after && read(fds[0], &ack, sizeof ack) == sizeof ack)
      acked.insert(ack);
    kill(pid, SIGKILL);
    while (read(fds[0], &ack, sizeof ack) == sizeof ack) acked.insert(ack);  // drain what was said
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child failed early with exit " << WEXITSTATUS(status);

    auto db = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
    ASSERT_TRUE(db.ok()) << db.status().message();
    auto desk = CheckinDesk::Create(**db, clock_, DefaultConfig());
    ASSERT_TRUE(desk.ok());
    for (uint32_t i : acked) {
      auto d = (*desk)->Redeem(
          {codes_[i], "Principal", "verify", Direction::kEntry, ScanSource::kManual});
      ASSERT_TRUE(d.ok());
      EXPECT_EQ(d->verdict, Verdict::kAlreadyCheckedIn)
          << "acknowledged check-in lost: " << codes_[i];
    }
  }
}

// Several processes present the same tickets at the same instant (two
// stations, one screenshot shared by friends): each ticket is admitted once.
TEST_F(DurabilityTest, ConcurrentProcessesAdmitEachTicketExactlyOnce) {
  constexpr int kProcs = 6;
  constexpr size_t kCodes = 25;
  int go[2], results[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(results), 0);
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcs; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(go[1]);
      close(results[0]);
      auto db = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
      if (!db.ok()) _exit(3);
      auto desk = CheckinDesk::Create(**db, SystemClock(), DefaultConfig());
      if (!desk.ok()) _exit(4);
      char c;
      if (read(go[0], &c, 1) != 0) _exit(5);  // released when the parent closes the pipe
      for (size_t i = 0; i < kCodes; ++i) {
        const std::string station = "st" + std::to_string(p);
        auto d = (*desk)->Redeem(
            {codes_[i], "Principal", station, Direction::kEntry, ScanSource::kCamera});
        if (!d.ok()) _exit(6);
        const uint32_t msg = static_cast<uint32_t>(i) << 8 | static_cast<uint32_t>(d->verdict);
        if (write(results[1], &msg, sizeof msg) != sizeof msg) _exit(7);
      }
      _exit(0);
    }
    pids.push_back(pid);
  }
  close(go[0]);
  close(results[1]);
  close(go[1]);  // go!
  std::vector<int> admitted(kCodes, 0), already(kCodes, 0);
  uint32_t msg;
  while (read(results[0], &msg, sizeof msg) == sizeof msg) {
    const auto v = static_cast<Verdict>(msg & 0xFF);
    admitted[msg >> 8] += v == Verdict::kAdmitted;
    already[msg >> 8] += v == Verdict::kAlreadyCheckedIn;
  }
  close(results[0]);
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "child exit " << WEXITSTATUS(status);
  }
  for (size_t i = 0; i < kCodes; ++i) {
    EXPECT_EQ(admitted[i], 1) << codes_[i];
    EXPECT_EQ(already[i], kProcs - 1) << codes_[i];
  }
  auto db = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
  ASSERT_TRUE(db.ok());
  auto s = ComputeStats(**db, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->checked_in, static_cast<int64_t>(kCodes));
}

}  // namespace
}  // namespace checkin::db
