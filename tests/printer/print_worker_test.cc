#include "printer/print_worker.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/fakes/fake_printer.h"
#include "tests/fakes/test_db.h"

namespace checkin::printer {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::FakePrinter;
using checkin::testing::TempDir;

class PrintWorkerTest : public ::testing::Test {
 protected:
  PrintWorkerTest()
      : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)),
        desk_(checkin::testing::NewDesk(*db_, clock_)),
        queue_(*db_, clock_) {
    checkin::testing::ImportFixture(*db_, "generic_basic.csv", clock_);
    config_.worker_id = "host/fake";
    config_.layout = DefaultLayout();
    config_.event_name = "KCD Colombia 2026";
  }
  PrintWorker Worker() { return PrintWorker(*desk_, printer_, clock_, config_); }
  PrintJob Job(int64_t id) {
    auto recent = queue_.Recent(100);  // keep the Result alive while iterating
    EXPECT_TRUE(recent.ok());
    for (const auto& j : *recent) {
      if (j.id == id) return j;
    }
    ADD_FAILURE() << "no job " << id;
    return {};
  }
  void RunUntilIdle(PrintWorker& w) {
    for (int i = 0; i < 20; ++i) {
      auto moved = w.Step();
      ASSERT_TRUE(moved.ok()) << moved.status().message();
      if (!*moved) return;
    }
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::LocalDesk> desk_;
  db::PrintQueue queue_;
  FakePrinter printer_;
  WorkerConfig config_;
};

TEST_F(PrintWorkerTest, PrintsEachQueuedBadgeOnceInOrder) {
  auto a = queue_.Enqueue(1, "mesa-1");
  auto b = queue_.Enqueue(2, "mesa-1");
  PrintWorker w = Worker();
  RunUntilIdle(w);
  EXPECT_EQ(printer_.submits, 2);
  EXPECT_EQ(Job(*a).state, JobState::kDone);
  EXPECT_EQ(Job(*b).state, JobState::kDone);
  EXPECT_EQ(printer_.jobs["101"], Job(*a).Title());
}

TEST_F(PrintWorkerTest, MediaIsTheStockOrTheSheet) {
  PrintWorker plain = Worker();
  ASSERT_TRUE(queue_.Enqueue(1, "mesa-1").ok());
  RunUntilIdle(plain);
  EXPECT_DOUBLE_EQ(printer_.last_media.width_pt, 288);
  EXPECT_DOUBLE_EQ(printer_.last_media.height_pt, 216);
  auto letter = ParseLayout("sheet = \"Letter\"\n", "l.toml");
  ASSERT_TRUE(letter.ok());
  config_.layout = *letter;
  PrintWorker sheets = Worker();
  ASSERT_TRUE(queue_.Enqueue(2, "mesa-1").ok());
  RunUntilIdle(sheets);
  EXPECT_DOUBLE_EQ(printer_.last_media.width_pt, 612);
  EXPECT_DOUBLE_EQ(printer_.last_media.height_pt, 792);
}

TEST_F(PrintWorkerTest, OfflinePrinterKeepsJobsQueuedWithTheReasonThenResumes) {
  auto id = queue_.Enqueue(1, "mesa-1");
  printer_.offline = true;
  PrintWorker w = Worker();
  RunUntilIdle(w);
  PrintJob j = Job(*id);
  EXPECT_EQ(j.state, JobState::kQueued);
  EXPECT_EQ(j.last_error, "printer not reachable") << "the printer's own state, asked first";
  printer_.offline = false;
  RunUntilIdle(w);
  EXPECT_EQ(Job(*id).state, JobState::kQueued) << "waits out its backoff";
  clock_.Advance(PrintWorker::Backoff(1) + std::chrono::seconds(1));
  RunUntilIdle(w);
  EXPECT_EQ(Job(*id).state, JobState::kDone);
  EXPECT_EQ(printer_.submits, 1);
}

// More rounds away than max_attempts allows tries: the morning rush with the
// printer switched off or out of paper for minutes.
constexpr int kRoundsAway = 12;

TEST_F(PrintWorkerTest, PrinterAwayLongerThanMaxAttemptsKeepsBadgesQueuedThenPrintsThem) {
  auto a = queue_.Enqueue(1, "mesa-1");
  auto b = queue_.Enqueue(2, "mesa-1");
  printer_.offline = true;
  PrintWorker w = Worker();
  for (int round = 0; round < kRoundsAway; ++round) {
    clock_.Advance(std::chrono::seconds(61));
    RunUntilIdle(w);
  }
  for (int64_t id : {*a, *b}) {
    PrintJob j = Job(id);
    EXPECT_EQ(j.state, JobState::kQueued) << "job " << id << ": " << j.last_error;
    EXPECT_EQ(j.attempts, 0) << "job " << id << " never reached the printer";
  }
  EXPECT_EQ(Job(*a).last_error, "printer not reachable");
  printer_.offline = false;
  RunUntilIdle(w);
  clock_.Advance(std::chrono::seconds(30));
  RunUntilIdle(w);
  EXPECT_EQ(printer_.submits, 0) << "the pause has grown to a minute";
  clock_.Advance(std::chrono::seconds(31));
  RunUntilIdle(w);
  for (int64_t id : {*a, *b}) {
    EXPECT_EQ(Job(id).state, JobState::kDone) << "job " << id << ": " << Job(id).last_error;
    EXPECT_EQ(Job(id).attempts, 1) << "job " << id;
  }
  EXPECT_EQ(printer_.submits, 2);
}

TEST_F(PrintWorkerTest, MissingPdfFolderIsWaitedOutThenTheBadgeIsWritten) {
  const std::filesystem::path folder = dir_.path() / "badges";
  auto backend = MakePrinterBackend("pdf:" + folder.string());
  ASSERT_TRUE(backend.ok()) << backend.status().message();
  auto id = queue_.Enqueue(1, "mesa-1");
  PrintWorker w(*desk_, **backend, clock_, config_);
  for (int round = 0; round < kRoundsAway; ++round) {
    RunUntilIdle(w);
    clock_.Advance(std::chrono::seconds(61));
  }
  EXPECT_EQ(Job(*id).state, JobState::kQueued) << Job(*id).last_error;
  EXPECT_NE(Job(*id).last_error.find("missing"), std::string::npos) << Job(*id).last_error;
  std::filesystem::create_directory(folder);
  RunUntilIdle(w);
  EXPECT_EQ(Job(*id).state, JobState::kDone) << Job(*id).last_error;
  EXPECT_TRUE(std::filesystem::exists(folder / (Job(*id).Title() + ".pdf")));
}

TEST_F(PrintWorkerTest, JobThePrinterRefusesFailsAfterMaxAttempts) {
  auto id = queue_.Enqueue(1, "mesa-1");
  config_.max_attempts = 2;
  printer_.refuse = true;
  PrintWorker w = Worker();
  RunUntilIdle(w);
  EXPECT_EQ(Job(*id).state, JobState::kQueued);
  clock_.Advance(std::chrono::minutes(2));
  RunUntilIdle(w);
  EXPECT_EQ(Job(*id).state, JobState::kFailed);
  EXPECT_EQ(Job(*id).attempts, 2);
  EXPECT_NE(Job(*id).last_error.find("not supported"), std::string::npos) << Job(*id).last_error;
}

TEST_F(PrintWorkerTest, CrashBetweenSubmitAndRecordDoesNotPrintTwice) {
  auto id = queue_.Enqueue(1, "mesa-1");
  // What a daemon killed right after the printer accepted the job leaves
  // behind: the job claimed, no printer job id recorded, the job at the printer.
  ASSERT_TRUE(queue_.Claim(config_.worker_id, "fake")->has_value());
  printer_.jobs["777"] = Job(*id).Title();
  printer_.states["777"] = RemoteJobState::kPending;
  PrintWorker restarted = Worker();
  RunUntilIdle(restarted);
  EXPECT_EQ(printer_.submits, 0) << "found at the printer, not sent again";
  EXPECT_EQ(Job(*id).printer_job_id, "777");
  printer_.states["777"] = RemoteJobState::kCompleted;
  RunUntilIdle(restarted);
  EXPECT_EQ(Job(*id).state, JobState::kDone);
}

TEST_F(PrintWorkerTest, ClaimedButNeverSentIsSentAfterRestart) {
  auto id = queue_.Enqueue(1, "mesa-1");
  ASSERT_TRUE(queue_.Claim(config_.worker_id, "fake")->has_value());
  PrintWorker restarted = Worker();
  RunUntilIdle(restarted);
  EXPECT_EQ(printer_.submits, 1);
  EXPECT_EQ(Job(*id).state, JobState::kDone);
}

TEST_F(PrintWorkerTest, DroppedJobIsRetriedAndGivesUpAfterMaxAttempts) {
  auto id = queue_.Enqueue(1, "mesa-1");
  config_.max_attempts = 2;
  PrintWorker w = Worker();
  printer_.drop_next = true;
  RunUntilIdle(w);
  EXPECT_EQ(Job(*id).state, JobState::kQueued);
  EXPECT_NE(Job(*id).last_error.find("dropped"), std::string::npos);
  clock_.Advance(std::chrono::minutes(2));
  printer_.drop_next = true;
  RunUntilIdle(w);
  EXPECT_EQ(Job(*id).state, JobState::kFailed);
  EXPECT_EQ(printer_.submits, 2);
}

TEST_F(PrintWorkerTest, BadgeThatCannotRenderFailsWithTheReason) {
  TempDir tmp;
  const std::string path = tmp.File("cjk.csv");
  std::ofstream(path) << "ticket_code,first_name,last_name\nCJK-1,小明,王\n";
  checkin::testing::ImportFile(*db_, path, clock_);
  auto id = queue_.Enqueue(6, "mesa-1");
  ASSERT_TRUE(id.ok()) << id.status().message();
  PrintWorker w = Worker();
  RunUntilIdle(w);
  EXPECT_EQ(Job(*id).state, JobState::kFailed);
  EXPECT_NE(Job(*id).last_error.find("王"), std::string::npos) << Job(*id).last_error;
  EXPECT_EQ(printer_.submits, 0);
}

}  // namespace
}  // namespace checkin::printer
