#include <gtest/gtest.h>

#include "db/checkin_desk.h"
#include "db/roster.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

TEST(StatsTest, CountsPerTicketTypeAndGate) {
  TempDir dir;
  FakeClock clock;
  auto db = checkin::testing::NewEventDatabase(dir.File("e.db"), clock);
  checkin::testing::ImportFixture(*db, "generic_basic.csv", clock);
  auto c = ParseConfig("[[gate]]\nname = \"Norte\"\n[[gate]]\nname = \"Sur\"\n", "t.toml");
  ASSERT_TRUE(c.ok());
  auto desk = CheckinDesk::Create(*db, clock, *c);
  ASSERT_TRUE(desk.ok());
  auto redeem = [&](const char* code, const char* gate, Direction d = Direction::kEntry) {
    auto r = (*desk)->Redeem({code, gate, "s1", d, ScanSource::kCamera});
    ASSERT_TRUE(r.ok());
  };
  redeem("KCD26-2IBYYURL7B", "Norte");  // Speaker
  redeem("KCD26-6KJ6HBIJLV", "Sur");    // Organizador
  redeem("KCD26-6KJ6HBIJLV", "Sur", Direction::kExit);
  redeem("KCD26-2IBYYURL7B", "Norte");  // already in: a denial
  redeem("NOPE", "Sur");

  auto s = ComputeStats(*db, {});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->expected, 5);
  EXPECT_EQ(s->checked_in, 2);
  EXPECT_EQ(s->inside_now, 1);
  int64_t speakers_in = -1;
  for (const auto& t : s->by_ticket_type) {
    if (t.ticket_type == "Speaker") speakers_in = t.checked_in;
  }
  EXPECT_EQ(speakers_in, 1);
  ASSERT_EQ(s->by_gate.size(), 2u);
  EXPECT_EQ(s->by_gate[0].gate, "Norte");
  EXPECT_EQ(s->by_gate[0].entries, 1);
  EXPECT_EQ(s->by_gate[0].denials, 1);
  EXPECT_EQ(s->by_gate[1].exits, 1);
  ASSERT_EQ(s->denials_by_verdict.size(), 2u);

  ASSERT_TRUE(
      (*desk)->Undo({UndoRequest::Target::kLastAtStation, "", 0, "s1"}).ok());  // undoes the exit
  s = ComputeStats(*db, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->inside_now, 2);
}

}  // namespace
}  // namespace checkin::db
