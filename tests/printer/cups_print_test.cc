// Badges through a real CUPS server: cupsd started in the foreground with a
// private configuration (tests/tools/cups_fixture.sh) and a queue on Debian's
// cups-pdf backend, whose output PDFs are read back with poppler.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "db/print_queue.h"
#include "printer/badge_render.h"
#include "printer/print_worker.h"
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
  }
  static void TearDownTestSuite() {
    if (dir_ != nullptr) Shell("bash " + kFixture + " stop " + dir_->path().string() + " 2>&1");
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    db_ = checkin::testing::NewEventDatabase(work_.File("e.db"), checkin::SystemClock());
    checkin::testing::ImportFixture(*db_, "generic_basic.csv", checkin::SystemClock());
    auto b = MakePrinterBackend(getenv("CHECKIN_CUPS_QUEUE"));
    ASSERT_TRUE(b.ok());
    backend_ = std::move(b).value();
    config_.worker_id = "test/" + backend_->name();
    config_.layout = DefaultLayout();
    config_.event_name = "KCD Colombia 2026";
  }

  // Steps the worker with real time until the job is done (or 30 s pass).
  db::JobState RunUntilDone(PrintWorker& w, db::PrintQueue& q, int64_t id, int max_ms = 30000) {
    for (int waited = 0; waited < max_ms; waited += 100) {
      auto r = w.Step();
      EXPECT_TRUE(r.ok()) << r.status().message();
      auto recent = q.Recent(50);
      for (const auto& j : *recent) {
        if (j.id == id && (j.state == db::JobState::kDone || j.state == db::JobState::kFailed)) return j.state;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return db::JobState::kPrinting;
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
      if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        out.push_back(e.path().string());
      }
    }
    return out;
  }

  static TempDir* dir_;
  TempDir work_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<PrinterBackend> backend_;
  WorkerConfig config_;
};

TempDir* CupsPrintTest::dir_ = nullptr;

TEST_F(CupsPrintTest, BadgeComesOutOfTheQueueWithTheRightName) {
  db::PrintQueue q(*db_, checkin::SystemClock());
  auto id = q.Enqueue(1, "mesa-1");  // María José Muñoz Peña
  ASSERT_TRUE(id.ok());
  PrintWorker w(*db_, *backend_, checkin::SystemClock(), config_);
  ASSERT_EQ(RunUntilDone(w, q, *id), db::JobState::kDone);
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
  PrintWorker w(*db_, *backend_, checkin::SystemClock(), config_);
  EXPECT_EQ(RunUntilDone(w, q, *id, 2000), db::JobState::kPrinting) << "nothing prints while paused";
  EXPECT_TRUE(OutputsFor(q, *id).empty());
  Shell("bash " + kFixture + " resume " + dir_->path().string() + " 2>&1");
  ASSERT_EQ(RunUntilDone(w, q, *id), db::JobState::kDone);
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
  PrintWorker restarted(*db_, *backend_, checkin::SystemClock(), config_);
  ASSERT_EQ(RunUntilDone(restarted, q, *id), db::JobState::kDone);
  EXPECT_EQ(OutputsFor(q, *id).size(), 1u) << "followed, not printed again";
}

}  // namespace
}  // namespace checkin::printer
