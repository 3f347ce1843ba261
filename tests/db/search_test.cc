#include <gtest/gtest.h>

#include "db/checkin_desk.h"
#include "db/roster.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

class SearchTest : public ::testing::Test {
 protected:
  SearchTest() : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)) {
    EXPECT_EQ(checkin::testing::ImportSampleRoster(*db_, clock_), 200);
  }

  std::vector<std::string> Names(std::string_view q) {
    auto hits = SearchAttendees(*db_, q, 50);
    EXPECT_TRUE(hits.ok()) << hits.status().message();
    std::vector<std::string> out;
    if (hits.ok()) {
      for (const auto& h : *hits) out.push_back(h.attendee.FullName());
    }
    return out;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
};

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST_F(SearchTest, IgnoresAccentsAndCase) {
  for (const char* q : {"jose munoz", "JOSÉ MUÑOZ", "maria jose munoz pena", "muñoz peñ"}) {
    EXPECT_TRUE(Contains(Names(q), "María José Muñoz Peña")) << q;
  }
}

TEST_F(SearchTest, FindsByEmailAndCompanyWords) {
  auto by_company = SearchAttendees(*db_, "condor cloud", 50);
  ASSERT_TRUE(by_company.ok());
  ASSERT_FALSE(by_company->empty());
  for (const auto& h : *by_company) EXPECT_NE(h.attendee.company.find("Cóndor"), std::string::npos);
  EXPECT_FALSE(Names("maria.munoz").empty());
}

TEST_F(SearchTest, OperatorsAndQuotesInInputAreInert) {
  for (const char* q :
       {"\"munoz", "a AND OR NOT", "x*) NEAR(", "'; DROP TABLE attendees; --", "munoz\"*"}) {
    auto r = SearchAttendees(*db_, q, 10);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().message();
  }
  EXPECT_FALSE(SearchAttendees(*db_, "  ,;- ", 10).ok()) << "nothing to search for";
  EXPECT_FALSE(SearchAttendees(*db_, "\"", 10).ok()) << "nothing to search for";
  EXPECT_FALSE(SearchAttendees(*db_,
                               "Mar\xED"
                               "a",
                               10)
                   .ok())
      << "invalid UTF-8";
}

TEST_F(SearchTest, ShowsWhoIsAlreadyIn) {
  auto desk = CheckinDesk::Create(*db_, clock_, DefaultConfig());
  ASSERT_TRUE(desk.ok());
  auto hits = SearchAttendees(*db_, "maria jose munoz", 5);
  ASSERT_TRUE(hits.ok() && !hits->empty());
  const Attendee a = hits->front().attendee;
  EXPECT_FALSE(hits->front().in_force.has_value());
  ASSERT_TRUE(
      (*desk)
          ->Redeem({a.ticket_code, "Principal", "mesa-1", Direction::kEntry, ScanSource::kManual})
          .ok());
  hits = SearchAttendees(*db_, "maria jose munoz", 5);
  ASSERT_TRUE(hits.ok());
  ASSERT_TRUE(hits->front().in_force.has_value());
  EXPECT_EQ(hits->front().in_force->station, "mesa-1");
}

TEST_F(SearchTest, UpdatedNamesAreSearchable) {
  TempDir tmp;
  const std::string path = tmp.File("upd.csv");
  {
    std::ofstream f(path);
    f << "ticket_code,first_name,last_name\nZ-1,Ñusta,Quispe\n";
  }
  auto import = [&] { checkin::testing::ImportFile(*db_, path, clock_); };
  import();
  EXPECT_TRUE(Contains(Names("nusta"), "Ñusta Quispe"));
  {
    std::ofstream f(path);
    f << "ticket_code,first_name,last_name\nZ-1,Ñusta,Huamán\n";
  }
  import();
  EXPECT_TRUE(Contains(Names("huaman"), "Ñusta Huamán"));
  EXPECT_FALSE(Contains(Names("quispe"), "Ñusta Quispe")) << "old name left the index";
}

}  // namespace
}  // namespace checkin::db
