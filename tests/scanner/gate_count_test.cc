// The door screen's count on a real SQLite event, with the clock moved by
// hand across midnight in Bogotá.
#include "scanner/gate_count.h"

#include <gtest/gtest.h>

#include "common/config.h"
#include "common/timezone.h"
#include "db/local_desk.h"
#include "tests/fakes/faulty_service.h"
#include "tests/fakes/test_db.h"

namespace checkin::scanner {
namespace {

class GateCountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 23:50 in Bogotá (UTC-5), ten minutes before the day changes.
    clock_.Set(*ParseUtc("2026-11-29T04:50:00.000Z"));
    db_ = checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_);
    checkin::testing::ImportSampleRoster(*db_, clock_);
    desk_ = checkin::testing::NewDesk(*db_, clock_);
    ASSERT_NE(desk_, nullptr);
    faulty_ = std::make_unique<checkin::testing::FaultyService>(*desk_);
  }
  Decision Admit(const char* code, const char* gate = "Principal") {
    auto d = desk_->Redeem({code, gate, "puerta-1", Direction::kEntry, ScanSource::kCamera});
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : Decision{};
  }

  checkin::testing::TempDir dir_;
  checkin::testing::FakeClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::LocalDesk> desk_;
  std::unique_ptr<checkin::testing::FaultyService> faulty_;
};

TEST_F(GateCountTest, YesterdaysAdmissionsAreNotCountedToday) {
  GateCount count(*faulty_, "Principal", "America/Bogota", clock_);
  Admit("KCD26-J6I72TAV7B");
  Admit("KCD26-P6QOP7W77X");
  EXPECT_EQ(count.After(nullptr), 2);

  clock_.Advance(std::chrono::minutes(15));  // 00:05 the next day, well within kRecount
  EXPECT_EQ(count.After(nullptr), 0) << "a new local day asks again";
  const Decision d = Admit("KCD26-QNRQWA6D3L");
  EXPECT_EQ(count.After(&d), 1);
}

TEST_F(GateCountTest, UtcMidnightIsNotTheEventsMidnight) {
  clock_.Set(*ParseUtc("2026-11-28T23:50:00.000Z"));  // 18:50 in Bogotá
  Admit("KCD26-J6I72TAV7B");
  GateCount count(*faulty_, "Principal", "America/Bogota", clock_);
  EXPECT_EQ(count.After(nullptr), 1);
  clock_.Advance(std::chrono::minutes(20));  // a new day in UTC, still 19:10 in Bogotá
  EXPECT_EQ(count.After(nullptr), 1);
}

TEST_F(GateCountTest, OwnAdmissionsMoveTheCountBetweenRecounts) {
  GateCount count(*faulty_, "Principal", "America/Bogota", clock_);
  EXPECT_EQ(count.After(nullptr), 0);
  const Decision admitted = Admit("KCD26-J6I72TAV7B");
  EXPECT_EQ(count.After(&admitted), 1);
  const Decision again = Admit("KCD26-J6I72TAV7B");
  ASSERT_EQ(again.verdict, Verdict::kAlreadyCheckedIn);
  EXPECT_EQ(count.After(&again), 1);
}

TEST_F(GateCountTest, CountsOnlyItsOwnGate) {
  auto c = ParseConfig("[[gate]]\nname = \"Norte\"\n[[gate]]\nname = \"Sur\"\n", "t.toml");
  ASSERT_TRUE(c.ok());
  auto desk = db::LocalDesk::Over(*db_, clock_, *c);
  ASSERT_TRUE(desk.ok()) << desk.status().message();
  desk_ = std::move(desk).value();
  faulty_ = std::make_unique<checkin::testing::FaultyService>(*desk_);
  Admit("KCD26-J6I72TAV7B", "Norte");
  Admit("KCD26-P6QOP7W77X", "Sur");
  Admit("KCD26-QNRQWA6D3L", "Sur");
  GateCount count(*faulty_, "Sur", "America/Bogota", clock_);
  EXPECT_EQ(count.After(nullptr), 2);
}

TEST_F(GateCountTest, AFailedRecountKeepsTodaysCount) {
  GateCount count(*faulty_, "Principal", "America/Bogota", clock_);
  Admit("KCD26-J6I72TAV7B");
  EXPECT_EQ(count.After(nullptr), 1);
  faulty_->stats_unavailable = true;
  clock_.Advance(GateCount::kRecount);
  EXPECT_EQ(count.After(nullptr), 1);
}

}  // namespace
}  // namespace checkin::scanner
