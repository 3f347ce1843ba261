#include "db/print_queue.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

class PrintQueueTest : public ::testing::Test {
 protected:
  PrintQueueTest()
      : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)), queue_(*db_, clock_) {
    checkin::testing::ImportFixture(*db_, "generic_basic.csv", clock_);
  }
  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  PrintQueue queue_;
};

TEST_F(PrintQueueTest, ClaimsOldestFirstAndNeverTwice) {
  ASSERT_TRUE(queue_.Enqueue(1, "mesa-1").ok());
  ASSERT_TRUE(queue_.Enqueue(2, "mesa-1").ok());
  // A second connection, as a second daemon would have.
  auto other_db = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
  ASSERT_TRUE(other_db.ok());
  PrintQueue other(**other_db, clock_);
  auto a = queue_.Claim("host-a/badges", "badges");
  auto b = other.Claim("host-b/badges", "badges");
  auto c = queue_.Claim("host-a/badges", "badges");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE(a->has_value() && b->has_value());
  EXPECT_EQ((*a)->attendee_id, 1);
  EXPECT_EQ((*b)->attendee_id, 2);
  EXPECT_FALSE(c->has_value());
  EXPECT_EQ((*a)->attempts, 1);
  auto mine = queue_.Claimed("host-a/badges");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().Title().rfind("checkin-badge-", 0), 0u);
  EXPECT_NE(mine->front().Title(), (*b)->Title()) << "titles are unique";
}

TEST_F(PrintQueueTest, RetryWaitsForItsBackoff) {
  auto id = queue_.Enqueue(1, "mesa-1");
  ASSERT_TRUE(id.ok());
  auto job = queue_.Claim("w", "badges");
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_TRUE(queue_
                  .Retry(*id, "the printer dropped job 7", std::chrono::seconds(30),
                         PrintQueue::Attempt::kCounted)
                  .ok());
  EXPECT_FALSE(queue_.Claim("w", "badges")->has_value()) << "too early";
  clock_.Advance(std::chrono::seconds(31));
  auto again = queue_.Claim("w", "badges");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->attempts, 2);
  EXPECT_EQ((*again)->last_error, "the printer dropped job 7");
}

TEST_F(PrintQueueTest, ClaimGivenBackWhileThePrinterIsAwayIsNoAttempt) {
  auto id = queue_.Enqueue(1, "mesa-1");
  ASSERT_TRUE(id.ok());
  for (int round = 0; round < 20; ++round) {
    ASSERT_TRUE(queue_.Claim("w", "badges")->has_value()) << round;
    ASSERT_TRUE(queue_
                    .Retry(*id, "printer not reachable", std::chrono::seconds(60),
                           PrintQueue::Attempt::kNotCounted)
                    .ok());
    clock_.Advance(std::chrono::seconds(61));
  }
  auto again = queue_.Claim("w", "badges");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->attempts, 1) << "only the claim that may reach the printer counts";
  EXPECT_EQ((*again)->last_error, "printer not reachable");
}

TEST_F(PrintQueueTest, CountsAndUnknownAttendee) {
  EXPECT_EQ(queue_.Enqueue(999, "mesa-1").status().code(), StatusCode::kNotFound);
  auto id = queue_.Enqueue(1, "mesa-1");
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(queue_.Claim("w", "p")->has_value());
  ASSERT_TRUE(queue_.MarkSubmitted(*id, "17").ok());
  ASSERT_TRUE(queue_.MarkDone(*id).ok());
  ASSERT_TRUE(queue_.Enqueue(2, "mesa-1").ok());
  auto c = queue_.Counts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->done, 1);
  EXPECT_EQ(c->queued, 1);
  auto recent = queue_.Recent(5);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->size(), 2u);
  EXPECT_EQ(recent->back().printer_job_id, "17");
}

}  // namespace
}  // namespace checkin::db
