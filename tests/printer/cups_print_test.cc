// Badges through a real CUPS server: cupsd started in the foreground with a
// private configuration (tests/tools/cups_fixture.sh) and a queue on Debian's
// cups-pdf backend, whose output PDFs are read back with poppler.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "db/print_queue.h"
#include "printer/badge_render.h"
#include "printer/print_worker.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/test_db.h"

namespace checkin::printer {
namespace {

using checkin::testing::Shell;
using checkin::testing::TempDir;

const std::string kFixture = std::string(CHECKIN_TEST_DATA_DIR) + "/../tools/cups_fixture.sh";

class CupsPrintTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(geteuid(), 0u) << "the CUPS fixture runs cupsd and the cups-pdf backend as root";
    dir_ = new TempDir();
    std::filesystem::permissions(dir_->path(), std::filesystem::perms(0755));
    const std::string out = Shell("bash " + kFixture + " start " + dir_->path().string() + " 2>&1");
    // Lines of the form: export NAME='value'
    size_t pos = 0;
    while ((pos = out.find("export ", pos)) != std::string::npos) {
      const size_t eq = out.find('=', pos);
      const size_t end = out.find('\n', eq);
      std::string name = out.substr(pos + 7, eq - pos - 7);
      std::string value = out.substr(eq + 1, end - eq - 1);
      if (value.size() >= 2 && value.front() == '\'') value = value.substr(1, value.size() - 2);
      setenv(name.c_str(), value.c_str(), 1);
      pos = end;
    }
    ASSERT_NE(getenv("CUPS_SERVER"), nullptr) << "the CUPS fixture did not start:\n" << out;
    // The daemons inherit this: the built-in config, whatever /etc/checkin holds.
    setenv("CHECKIN_CONFIG", "", 1);
  }
  static void TearDownTestSuite() {
    if (dir_ != nullptr) Shell("bash " + kFixture + " stop " + dir_->path().string() + " 2>&1");
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    db_ = checkin::testing::NewEventDatabase(work_.File("e.db"), checkin::SystemClock());
    checkin::testing::ImportFixture(*db_, "generic_basic.csv", checkin::SystemClock());
    desk_ = checkin::testing::NewDesk(*db_, checkin::SystemClock());
    auto b = MakePrinterBackend(getenv("CHECKIN_CUPS_QUEUE"));
    ASSERT_TRUE(b.ok());
    backend_ = std::move(b).value();
    config_.worker_id = "test/" + backend_->name();
    config_.layout = DefaultLayout();
    config_.event_name = "KCD Colombia 2026";
  }

  // Steps the worker with real time until the job is done (or 30 s pass).
  JobState RunUntilDone(PrintWorker& w, db::PrintQueue& q, int64_t id, int max_ms = 30000) {
    for (int waited = 0; waited < max_ms; waited += 100) {
      auto r = w.Step();
      EXPECT_TRUE(r.ok()) << r.status().message();
      auto recent = q.Recent(50);
      for (const auto& j : *recent) {
        if (j.id == id && (j.state == JobState::kDone || j.state == JobState::kFailed))
          return j.state;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return JobState::kPrinting;
  }

  // cups-pdf names its output job_<cups id>-<title>.pdf.
  std::vector<std::string> OutputsFor(db::PrintQueue& q, int64_t job) {
    std::vector<std::string> out;
    std::string title;
    auto recent = q.Recent(50);
    for (const auto& j : *recent) {
      if (j.id == job) title = j.Title();
    }
    EXPECT_FALSE(title.empty());
    const std::string suffix = "-" + title + ".pdf";
    for (const auto& e : std::filesystem::directory_iterator(getenv("CHECKIN_CUPS_PDF_DIR"))) {
      const std::string name = e.path().filename().string();
      if (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        out.push_back(e.path().string());
      }
    }
    return out;
  }

  static TempDir* dir_;
  TempDir work_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::LocalDesk> desk_;
  std::unique_ptr<PrinterBackend> backend_;
  WorkerConfig config_;
};

TempDir* CupsPrintTest::dir_ = nullptr;

// A real `checkin print` daemon process on the test's database and queue.
class Daemon {
 public:
  Daemon(const std::string& db, const std::string& station, const std::string& log) {
    std::vector<std::string> args = {CHECKIN_BINARY, "--db",      db,
                                     "print",        "--printer", getenv("CHECKIN_CUPS_QUEUE"),
                                     "--station",    station};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    EXPECT_EQ(posix_spawn(&pid_, CHECKIN_BINARY, &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
  }
  ~Daemon() { Stop(SIGTERM); }
  // Returns the exit status (or the signal that ended it).
  int Stop(int sig) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = 0;
};

// Waits (up to `max_s`) until no job is queued or printing; false on timeout.
bool AllSettled(db::PrintQueue& q, int max_s) {
  for (int i = 0; i < max_s * 10; ++i) {
    auto c = q.Counts();
    if (c.ok() && c->queued == 0 && c->printing == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST_F(CupsPrintTest, BadgeComesOutOfTheQueueWithTheRightName) {
  db::PrintQueue q(*db_, checkin::SystemClock());
  auto id = q.Enqueue(1, "mesa-1");  // María José Muñoz Peña
  ASSERT_TRUE(id.ok());
  PrintWorker w(*desk_, *backend_, checkin::SystemClock(), config_);
  ASSERT_EQ(RunUntilDone(w, q, *id), JobState::kDone);
  const auto files = OutputsFor(q, *id);
  ASSERT_EQ(files.size(), 1u);
  const std::string text = Shell("pdftotext -enc UTF-8 " + files[0] + " - 2>/dev/null");
  EXPECT_NE(text.find("María José"), std::string::npos) << text;
  EXPECT_NE(text.find("Muñoz Peña"), std::string::npos) << text;
}

TEST_F(CupsPrintTest, PausedPrinterHoldsTheJobAndPrintingResumesByItself) {
  Shell("bash " + kFixture + " pause " + dir_->path().string() + " 2>&1");
  auto st = backend_->State();
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->paused);
  db::PrintQueue q(*db_, checkin::SystemClock());
  auto id = q.Enqueue(2, "mesa-1");
  ASSERT_TRUE(id.ok());
  PrintWorker w(*desk_, *backend_, checkin::SystemClock(), config_);
  EXPECT_EQ(RunUntilDone(w, q, *id, 2000), JobState::kPrinting) << "nothing prints while paused";
  EXPECT_TRUE(OutputsFor(q, *id).empty());
  Shell("bash " + kFixture + " resume " + dir_->path().string() + " 2>&1");
  ASSERT_EQ(RunUntilDone(w, q, *id), JobState::kDone);
  EXPECT_EQ(OutputsFor(q, *id).size(), 1u);
}

TEST_F(CupsPrintTest, QueueRejectingJobsForLongerThanMaxAttemptsPrintsTheBadgeWhenItAccepts) {
  // The pauses between rounds run on a fake clock; CUPS is real.
  checkin::testing::FakeClock clock;
  auto desk = checkin::testing::NewDesk(*db_, clock);
  db::PrintQueue q(*db_, clock);
  auto id = q.Enqueue(4, "mesa-1");
  ASSERT_TRUE(id.ok());
  Shell("bash " + kFixture + " reject " + dir_->path().string() + " 2>&1");
  PrintWorker w(*desk, *backend_, clock, config_);
  for (int round = 0; round < config_.max_attempts + 4; ++round) {
    clock.Advance(std::chrono::seconds(61));
    auto r = w.Step();
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
  Shell("bash " + kFixture + " accept " + dir_->path().string() + " 2>&1");
  auto waiting = q.Recent(1);
  ASSERT_TRUE(waiting.ok() && waiting->size() == 1u);
  EXPECT_EQ(waiting->front().state, JobState::kQueued) << waiting->front().last_error;
  EXPECT_EQ(waiting->front().attempts, 0);
  EXPECT_NE(waiting->front().last_error.find("not accepting"), std::string::npos)
      << waiting->front().last_error;
  clock.Advance(std::chrono::seconds(61));
  ASSERT_EQ(RunUntilDone(w, q, *id), JobState::kDone);
  EXPECT_EQ(OutputsFor(q, *id).size(), 1u);
}

TEST_F(CupsPrintTest, DaemonKilledBetweenSubmitAndRecordPrintsOnce) {
  db::PrintQueue q(*db_, checkin::SystemClock());
  auto id = q.Enqueue(3, "mesa-1");
  ASSERT_TRUE(id.ok());
  // The dead daemon's last acts: claim, render, hand to CUPS; then it died
  // before writing the CUPS job id down.
  auto job = q.Claim(config_.worker_id, backend_->name());
  ASSERT_TRUE(job.ok() && job->has_value());
  checkin::Attendee a;
  a.first_name = "Valentina";
  a.last_name = "Rojas Cárdenas";
  a.badge_code = "B-TESTTESTTESTTEST";
  auto pdf = RenderBadges({a}, DefaultLayout(), "KCD");
  ASSERT_TRUE(pdf.ok());
  ASSERT_TRUE(backend_->Submit(*pdf, (*job)->Title(), Media{}).ok());
  PrintWorker restarted(*desk_, *backend_, checkin::SystemClock(), config_);
  ASSERT_EQ(RunUntilDone(restarted, q, *id), JobState::kDone);
  EXPECT_EQ(OutputsFor(q, *id).size(), 1u) << "followed, not printed again";
}

// Badge PDFs in cups-pdf's output folder, counted by job title.
std::map<std::string, int> PrintedTitles() {
  std::map<std::string, int> out;
  for (const auto& e : std::filesystem::directory_iterator(getenv("CHECKIN_CUPS_PDF_DIR"))) {
    const std::string name = e.path().filename().string();
    const size_t at = name.find("checkin-badge-");
    if (at != std::string::npos) ++out[name.substr(at, name.size() - at - 4)];
  }
  return out;
}

// Every job done, each printed exactly once.
void ExpectEachPrintedOnce(db::PrintQueue& q, const std::vector<int64_t>& ids) {
  const auto printed = PrintedTitles();
  auto recent = q.Recent(500);
  ASSERT_TRUE(recent.ok());
  for (int64_t id : ids) {
    bool found = false;
    for (const auto& j : *recent) {
      if (j.id != id) continue;
      found = true;
      EXPECT_EQ(j.state, JobState::kDone) << "job " << id << ": " << j.last_error;
      auto it = printed.find(j.Title());
      EXPECT_EQ(it == printed.end() ? 0 : it->second, 1)
          << "job " << id << " (" << j.Title() << ")";
    }
    EXPECT_TRUE(found) << id;
  }
}

TEST_F(CupsPrintTest, TwoDaemonProcessesOnOneQueuePrintEachBadgeOnce) {
  db::PrintQueue q(*db_, checkin::SystemClock());
  std::vector<int64_t> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(*q.Enqueue(1 + i % 5, "mesa-1"));
  {
    Daemon a(work_.File("e.db"), "mesa-a", work_.File("a.log"));
    Daemon b(work_.File("e.db"), "mesa-b", work_.File("b.log"));
    ASSERT_TRUE(AllSettled(q, 90))
        << Shell("cat " + work_.File("a.log") + " " + work_.File("b.log"));
  }
  ExpectEachPrintedOnce(q, ids);
}

TEST_F(CupsPrintTest, DaemonSigkilledAtRandomMomentsNeitherLosesNorDoublesABadge) {
  db::PrintQueue q(*db_, checkin::SystemClock());
  std::vector<int64_t> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(*q.Enqueue(1 + i % 5, "mesa-1"));
  std::mt19937 rng(20261126);
  for (int round = 0; round < 6; ++round) {
    Daemon d(work_.File("e.db"), "mesa-1", work_.File("d.log"));
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(80, 700)(rng)));
    EXPECT_EQ(d.Stop(SIGKILL), 128 + SIGKILL);
  }
  Daemon last(work_.File("e.db"), "mesa-1", work_.File("d.log"));
  ASSERT_TRUE(AllSettled(q, 90)) << Shell("cat " + work_.File("d.log"));
  ExpectEachPrintedOnce(q, ids);
}

TEST_F(CupsPrintTest, DaemonSigkilledWhileThePrinterHoldsTheJobPrintsItOnce) {
  // Paused: the job is accepted by CUPS but cannot complete, so the kill
  // lands exactly between submit and confirmation.
  Shell("bash " + kFixture + " pause " + dir_->path().string() + " 2>&1");
  db::PrintQueue q(*db_, checkin::SystemClock());
  const int64_t id = *q.Enqueue(2, "mesa-1");
  {
    Daemon d(work_.File("e.db"), "mesa-1", work_.File("d.log"));
    bool submitted = false;
    for (int i = 0; i < 300 && !submitted; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      auto recent = q.Recent(10);
      ASSERT_TRUE(recent.ok());
      for (const auto& j : *recent) submitted |= j.id == id && !j.printer_job_id.empty();
    }
    ASSERT_TRUE(submitted) << Shell("cat " + work_.File("d.log"));
    EXPECT_EQ(d.Stop(SIGKILL), 128 + SIGKILL);
  }
  Shell("bash " + kFixture + " resume " + dir_->path().string() + " 2>&1");
  Daemon again(work_.File("e.db"), "mesa-1", work_.File("d.log"));
  ASSERT_TRUE(AllSettled(q, 90)) << Shell("cat " + work_.File("d.log"));
  ExpectEachPrintedOnce(q, {id});
}

TEST_F(CupsPrintTest, PrinterThatDisappearsMidQueueReturnsAndEverythingPrintsOnce) {
  db::PrintQueue q(*db_, checkin::SystemClock());
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(*q.Enqueue(1 + i, "mesa-1"));
  Daemon d(work_.File("e.db"), "mesa-1", work_.File("d.log"));
  ASSERT_TRUE(AllSettled(q, 90)) << Shell("cat " + work_.File("d.log"));
  // The print server goes away entirely (cupsd stopped, port closed).
  Shell("bash " + kFixture + " down " + dir_->path().string() + " 2>&1");
  for (int i = 0; i < 3; ++i) ids.push_back(*q.Enqueue(3 + i, "mesa-1"));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  auto counts = q.Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->failed, 0) << "a missing printer is trouble to wait out, not a failure";
  EXPECT_EQ(counts->done, 3);
  bool said_why = false;
  auto recent = q.Recent(10);
  ASSERT_TRUE(recent.ok());
  for (const auto& j : *recent) said_why |= !j.last_error.empty();
  EXPECT_TRUE(said_why) << "the queue records why the jobs wait";
  Shell("bash " + kFixture + " up " + dir_->path().string() + " 2>&1");
  ASSERT_TRUE(AllSettled(q, 120)) << Shell("cat " + work_.File("d.log"));
  ExpectEachPrintedOnce(q, ids);
}

}  // namespace
}  // namespace checkin::printer
