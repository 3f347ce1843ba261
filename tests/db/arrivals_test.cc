// The dashboard's arrivals: admissions in force, entries only, binned, on a
// real event file whose check-ins are made by the desk at known times.
#include "db/arrivals.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;
using std::chrono::minutes;
using std::chrono::seconds;

class ArrivalsTest : public ::testing::Test {
 protected:
  ArrivalsTest() : db_(checkin::testing::NewEventDatabase(dir_.File("ev.db"), clock_)) {
    EXPECT_EQ(checkin::testing::ImportSampleRoster(*db_, clock_), 200);
    desk_ = checkin::testing::NewDesk(*db_, clock_);
  }
  Decision Redeem(const std::string& code, Direction d = Direction::kEntry) {
    RedeemRequest r;
    r.payload = code;
    r.gate = "Principal";
    r.station = "norte-1";
    r.direction = d;
    auto out = desk_->Redeem(r);
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? *out : Decision{};
  }
  int64_t Epoch() const {
    return std::chrono::duration_cast<seconds>(clock_.Now().time_since_epoch()).count();
  }

  TempDir dir_;
  FakeClock clock_;  // 13:00:00 UTC
  std::unique_ptr<Database> db_;
  std::unique_ptr<LocalDesk> desk_;
};

TEST_F(ArrivalsTest, CountsAdmissionsInForcePerBinAndLeavesOutExitsDenialsAndUndos) {
  const std::string since = FormatUtc(clock_.Now());
  const int64_t first_bin = Epoch();  // 13:00, a multiple of five minutes
  Redeem("KCD26-RIDGUZXCWR");         // 13:00:00
  clock_.Advance(minutes(2));
  Redeem("KCD26-5YYC3MA637");                    // 13:02
  Redeem("KCD26-5YYC3MA637");                    // a repeat: denied, not an arrival
  Redeem("NOT-A-TICKET");                        // unknown: denied
  clock_.Advance(minutes(4));                    // 13:06, the next bin
  Redeem("KCD26-RIDGUZXCWR", Direction::kExit);  // an exit is no arrival
  const Decision undone = Redeem("KCD26-3GAEAW5DBM");
  UndoRequest u;
  u.target = UndoRequest::Target::kCode;
  u.code = undone.code;
  u.station = "norte-1";
  ASSERT_TRUE(desk_->Undo(u).ok());
  Redeem("KCD26-JVJP4A2NLO");  // 13:06, stays

  auto bins = ArrivalsSince(*db_, since, minutes(5));
  ASSERT_TRUE(bins.ok()) << bins.status().message();
  ASSERT_EQ(bins->size(), 2U);
  EXPECT_EQ((*bins)[0].start_s, first_bin);
  EXPECT_EQ((*bins)[0].gate, "Principal");
  EXPECT_EQ((*bins)[0].count, 2);
  EXPECT_EQ((*bins)[1].start_s, first_bin + 300);
  EXPECT_EQ((*bins)[1].count, 1);

  // The window starts where asked; fifteen-minute bins hold it all.
  auto later = ArrivalsSince(*db_, FormatUtc(clock_.Now() - minutes(1)), minutes(5));
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 1U);
  auto wide = ArrivalsSince(*db_, since, minutes(15));
  ASSERT_TRUE(wide.ok());
  ASSERT_EQ(wide->size(), 1U);
  EXPECT_EQ((*wide)[0].count, 3);
  EXPECT_FALSE(ArrivalsSince(*db_, since, minutes(0)).ok());
}

}  // namespace
}  // namespace checkin::db
