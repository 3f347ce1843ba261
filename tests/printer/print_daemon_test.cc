#include "printer/print_daemon.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "db/print_desk.h"
#include "tests/fakes/fake_printer.h"
#include "tests/fakes/test_db.h"

namespace checkin::printer {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::FakePrinter;

class PrintDaemonTest : public ::testing::Test {
 protected:
  PrintDaemonTest()
      : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)),
        desk_(checkin::testing::NewDesk(*db_, clock_)) {
    checkin::testing::ImportFixture(*db_, "generic_basic.csv", clock_);
    config_.worker_id = "host/fake";
    config_.layout = DefaultLayout();
    config_.event_name = "KCD Colombia 2026";
  }
  PrintDaemon Daemon(Language lang = Language::kSpanish) {
    return PrintDaemon(
        *desk_, printer_, clock_, config_, lang,
        [this](const std::string& s) { said_.push_back(s); },
        [this](const Status& s) { errors_.push_back(s.message()); });
  }

  checkin::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::LocalDesk> desk_;
  FakePrinter printer_;
  WorkerConfig config_;
  std::vector<std::string> said_, errors_;
};

TEST_F(PrintDaemonTest, PrintsTheQueueThenStopsWhenAskedToFinish) {
  ASSERT_TRUE(desk_->EnqueueBadge(1, "mesa-1").ok());
  ASSERT_TRUE(desk_->EnqueueBadge(2, "mesa-1").ok());
  PrintDaemon d = Daemon();
  int rounds = 0;
  while (d.Tick(UntilEmpty::kYes).has_value()) ASSERT_LT(++rounds, 20);
  EXPECT_EQ(printer_.submits, 2);
  ASSERT_FALSE(said_.empty());
  EXPECT_EQ(said_.back(), "En cola: 0  imprimiendo: 0  listas: 2  fallidas: 0");
  EXPECT_TRUE(errors_.empty());
}

TEST_F(PrintDaemonTest, AsksThePrinterEveryFewSecondsOnTheClockAndSaysOnlyChanges) {
  PrintDaemon d = Daemon(Language::kEnglish);
  ASSERT_TRUE(d.Tick(UntilEmpty::kNo).has_value());
  EXPECT_EQ(said_, (std::vector<std::string>{"Queued: 0  printing: 0  done: 0  failed: 0",
                                             "Printer: ready"}));
  printer_.offline = true;
  said_.clear();
  auto wait = d.Tick(UntilEmpty::kNo);
  ASSERT_TRUE(wait.has_value());
  EXPECT_GT(wait->count(), 0) << "nothing moved: the daemon waits before the next round";
  EXPECT_TRUE(said_.empty()) << "the printer is asked again only after "
                             << PrintDaemon::kPrinterCheckEvery.count() << " s";
  clock_.Advance(PrintDaemon::kPrinterCheckEvery);
  ASSERT_TRUE(d.Tick(UntilEmpty::kNo).has_value());
  EXPECT_EQ(said_, (std::vector<std::string>{"Printer: not reachable"}));
  clock_.Advance(PrintDaemon::kPrinterCheckEvery);
  ASSERT_TRUE(d.Tick(UntilEmpty::kNo).has_value());
  EXPECT_EQ(said_.size(), 1u) << "the same state is not said twice";
}

// `print --once` with a printer that is away (a pdf: folder that does not
// exist) used to go round until every badge had used up its retries.
TEST_F(PrintDaemonTest, OneOffRunStopsWithTheReasonWhenThePrinterIsAway) {
  ASSERT_TRUE(desk_->EnqueueBadge(1, "mesa-1").ok());
  printer_.offline = true;
  {
    PrintDaemon d = Daemon(Language::kEnglish);
    ASSERT_FALSE(d.Tick(UntilEmpty::kYes).has_value()) << "a one-off run does not wait for it";
  }
  PrintDaemon d = Daemon(Language::kEnglish);
  const Status s = d.Run(UntilEmpty::kYes);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("the printer fake is not reachable; badges still queued: 1"),
            std::string::npos)
      << s.message();

  // The daemon proper says so and keeps trying, at a pace, not flat out.
  said_.clear();
  PrintDaemon daemon = Daemon(Language::kEnglish);
  auto wait = daemon.Tick(UntilEmpty::kNo);
  ASSERT_TRUE(wait.has_value());
  EXPECT_GT(wait->count(), 0);
  EXPECT_NE(std::find(said_.begin(), said_.end(), "Printer: not reachable"), said_.end());
}

// A queue that rejects jobs is waited out like a printer that is off, so a
// one-off run stops and says so rather than going round for ever.
TEST_F(PrintDaemonTest, OneOffRunStopsWhenThePrinterTakesNoJobs) {
  ASSERT_TRUE(desk_->EnqueueBadge(1, "mesa-1").ok());
  printer_.rejecting = true;
  PrintDaemon d = Daemon(Language::kEnglish);
  ASSERT_FALSE(d.Tick(UntilEmpty::kYes).has_value()) << "a one-off run does not wait for it";
  const Status s = d.Run(UntilEmpty::kYes);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("the printer fake does not accept jobs; badges still queued: 1"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(printer_.submits, 0);
}

// The event file moved away under a running daemon: it stops with the reason
// instead of printing the error every second for ever (its badges would go to
// nobody's queue). Not even the daemon proper keeps going.
TEST_F(PrintDaemonTest, StopsWhenTheEventFileIsMovedAway) {
  ASSERT_TRUE(desk_->EnqueueBadge(1, "mesa-1").ok());
  std::filesystem::rename(dir_.File("e.db"), dir_.File("elsewhere.db"));
  PrintDaemon d = Daemon(Language::kEnglish);
  ASSERT_FALSE(d.Tick(UntilEmpty::kNo).has_value()) << "a daemon answering from a lost file";
  const Status s = d.Run(UntilEmpty::kNo);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("fue movida, borrada o reemplazada"), std::string::npos)
      << s.message();
  EXPECT_EQ(printer_.submits, 0);
}

// The print desk pauses this daemon: it claims nothing, says so once, and a
// run asked to finish the queue says why it cannot rather than waiting.
TEST_F(PrintDaemonTest, APauseFromThePrintDeskIsHeardAndSaid) {
  config_.station = "host";
  PrintDaemon d = Daemon();
  ASSERT_TRUE(d.Tick(UntilEmpty::kNo).has_value());  // reports its printer first
  db::PrintDesk desk(*db_, clock_, Language::kSpanish);
  ASSERT_TRUE(desk.Hold("host/fake", true, "mesa-impresion").ok());
  ASSERT_TRUE(desk_->EnqueueBadge(1, "mesa-1").ok());
  clock_.Advance(PrintDaemon::kPrinterCheckEvery);
  ASSERT_TRUE(d.Tick(UntilEmpty::kNo).has_value());
  EXPECT_EQ(printer_.submits, 0);
  EXPECT_EQ(std::count_if(said_.begin(), said_.end(),
                          [](const std::string& s) {
                            return s.rfind("Impresión en pausa desde la mesa", 0) == 0;
                          }),
            1);
  EXPECT_FALSE(d.Tick(UntilEmpty::kYes).has_value());
  Status why = d.Run(UntilEmpty::kYes);
  EXPECT_EQ(why.code(), StatusCode::kUnavailable);
  EXPECT_NE(why.message().find("en pausa desde la mesa de impresión"), std::string::npos)
      << why.message();

  ASSERT_TRUE(desk.Hold("host/fake", false, "mesa-impresion").ok());
  clock_.Advance(PrintDaemon::kPrinterCheckEvery);
  PrintDaemon again = Daemon();
  int rounds = 0;
  while (again.Tick(UntilEmpty::kYes).has_value()) ASSERT_LT(++rounds, 20);
  EXPECT_EQ(printer_.submits, 1);
}

TEST_F(PrintDaemonTest, PrinterWordsInBothLanguages) {
  PrinterStatus paused{true, true, true, "media-empty"};
  EXPECT_EQ(PrinterStateWords(paused, Language::kSpanish), "en pausa: sin papel");
  EXPECT_EQ(PrinterStateWords(paused, Language::kEnglish), "paused: out of paper");
  // CUPS's keywords with their severity suffix, repeated, and one it does
  // not translate.
  PrinterStatus jammed{true, true, false, "media-jam-error, paused, fuser-over-temp, media-jam"};
  EXPECT_EQ(PrinterStateWords(jammed, Language::kSpanish),
            "lista: papel atascado (paused, fuser-over-temp)");
  PrinterStatus away;
  EXPECT_EQ(PrinterStateWords(away, Language::kSpanish), "no responde");
  // The reasons are the print server's text.
  PrinterStatus hostile{true, true, true, "jam\x1b[2J\xC2\x9B"};
  EXPECT_EQ(PrinterStateWords(hostile, Language::kEnglish), "paused (jam\\x1B[2J\\u009B)");
  PrinterStatus refusing{true, false, false, ""};
  EXPECT_EQ(PrinterStateWords(refusing, Language::kEnglish), "ready, not accepting jobs");
}

}  // namespace
}  // namespace checkin::printer
