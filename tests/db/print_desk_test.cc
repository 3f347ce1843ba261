#include "db/print_desk.h"

#include <gtest/gtest.h>

#include "db/print_queue.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

class PrintDeskTest : public ::testing::Test {
 protected:
  PrintDeskTest()
      : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)),
        queue_(*db_, clock_),
        desk_(*db_, clock_, Language::kSpanish) {
    checkin::testing::ImportFixture(*db_, "generic_basic.csv", clock_);
  }
  PrinterReport Report(PrinterState state) {
    PrinterReport r;
    r.worker = "impresion/badges";
    r.station = "impresion";
    r.printer = "badges";
    r.state = std::move(state);
    return r;
  }
  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  PrintQueue queue_;
  PrintDesk desk_;
};

TEST_F(PrintDeskTest, ViewListsTheQueueFirstWithNamesAndCountsReprints) {
  auto first = queue_.Enqueue(1, "puerta-norte");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(queue_.Claim("w", "p")->has_value());
  ASSERT_TRUE(queue_.MarkDone(*first).ok());
  auto again = desk_.Reprint(1, "mesa-impresion", "  Se imprimió mal ");
  ASSERT_TRUE(again.ok()) << again.status().message();
  auto other = queue_.Enqueue(2, "puerta-sur");
  ASSERT_TRUE(other.ok());

  auto view = desk_.View(10);
  ASSERT_TRUE(view.ok()) << view.status().message();
  ASSERT_EQ(view->jobs.size(), 3u);
  // What is still to print comes first, oldest first; then the finished.
  EXPECT_EQ(view->jobs[0].job.id, *again);
  EXPECT_EQ(view->jobs[0].job.reason, "Se imprimió mal");
  EXPECT_EQ(view->jobs[0].name, "María José Muñoz Peña");
  EXPECT_EQ(view->jobs[1].job.id, *other);
  EXPECT_EQ(view->jobs[2].job.id, *first);
  EXPECT_EQ(view->jobs[2].job.state, JobState::kDone);
  EXPECT_EQ(view->reprints, 1);
  EXPECT_EQ(view->counts.queued, 2);
  EXPECT_EQ(view->counts.done, 1);
}

TEST_F(PrintDeskTest, AReprintNeedsAReasonAndAnAttendee) {
  EXPECT_EQ(desk_.Reprint(1, "m", "").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(desk_.Reprint(1, "m", "   ").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(desk_.Reprint(1, "m", "a\x1b[2Jb").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(desk_.Reprint(1, "m", std::string(201, 'x')).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(desk_.Reprint(999, "m", "perdida").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(queue_.Counts()->queued, 0) << "a refused reprint queues nothing";
}

TEST_F(PrintDeskTest, OnlyAQueuedBadgeIsCancelledAndNoDaemonGetsIt) {
  auto queued = queue_.Enqueue(1, "m");
  auto printing = queue_.Enqueue(2, "m");
  ASSERT_TRUE(queued.ok() && printing.ok());
  ASSERT_TRUE(desk_.Cancel(*queued, "mesa-impresion").ok());
  auto claimed = queue_.Claim("w", "p");
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, *printing) << "the cancelled job is never claimed";

  Status at_printer = desk_.Cancel(*printing, "mesa-impresion");
  EXPECT_EQ(at_printer.code(), StatusCode::kConflict);
  EXPECT_NE(at_printer.message().find("ya está en la impresora"), std::string::npos)
      << at_printer.message();
  EXPECT_EQ(desk_.Cancel(*queued, "m").code(), StatusCode::kConflict) << "cancelled already";
  EXPECT_EQ(desk_.Cancel(12345, "m").code(), StatusCode::kNotFound);

  auto counts = queue_.Counts();
  EXPECT_EQ(counts->cancelled, 1);
  EXPECT_EQ(counts->printing, 1);
  EXPECT_EQ(counts->failed, 0) << "a cancelled badge is not a failed one";
  auto view = desk_.View(10);
  EXPECT_EQ(view->reprints, 0);
  EXPECT_NE(view->jobs.back().job.last_error.find("mesa-impresion"), std::string::npos);
}

TEST_F(PrintDeskTest, AHeldDaemonClaimsNothingUntilResumed) {
  ASSERT_TRUE(queue_.Enqueue(1, "m").ok());
  EXPECT_EQ(desk_.Hold("impresion/badges", true, "mesa").code(), StatusCode::kNotFound)
      << "a daemon that never reported cannot be paused";
  auto recorded = queue_.RecordPrinter(Report({true, true, false, ""}));
  ASSERT_TRUE(recorded.ok());
  EXPECT_FALSE(recorded->held);
  ASSERT_TRUE(desk_.Hold("impresion/badges", true, "mesa-impresion").ok());

  auto none = queue_.Claim("impresion/badges", "badges");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  recorded = queue_.RecordPrinter(Report({true, true, false, ""}));
  EXPECT_TRUE(recorded->held) << "the daemon learns it is paused";
  // Another daemon still prints.
  auto other = queue_.Claim("otra/badges", "badges");
  ASSERT_TRUE(other.ok() && other->has_value());
  ASSERT_TRUE(
      queue_.Retry((*other)->id, "", std::chrono::seconds(0), PrintQueue::Attempt::kNotCounted)
          .ok());

  auto view = desk_.View(10);
  ASSERT_EQ(view->printers.size(), 1u);
  EXPECT_TRUE(view->printers[0].held);
  EXPECT_EQ(view->printers[0].held_by, "mesa-impresion");
  ASSERT_TRUE(desk_.Hold("impresion/badges", false, "mesa-impresion").ok());
  auto resumed = queue_.Claim("impresion/badges", "badges");
  ASSERT_TRUE(resumed.ok() && resumed->has_value());
}

TEST_F(PrintDeskTest, APrinterReportSaysWhetherAnythingChanged) {
  auto r = queue_.RecordPrinter(Report({true, true, false, ""}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->changed) << "the first report is news";
  clock_.Advance(std::chrono::seconds(5));
  r = queue_.RecordPrinter(Report({true, true, false, ""}));
  EXPECT_FALSE(r->changed);
  clock_.Advance(std::chrono::seconds(5));
  r = queue_.RecordPrinter(Report({true, true, true, "media-empty"}));
  EXPECT_TRUE(r->changed);
  auto view = desk_.View(10);
  ASSERT_EQ(view->printers.size(), 1u);
  EXPECT_TRUE(view->printers[0].report.state.paused);
  EXPECT_EQ(view->printers[0].report.state.reasons, "media-empty");
  EXPECT_EQ(view->printers[0].changed_at, view->printers[0].reported_at);
}

}  // namespace
}  // namespace checkin::db
