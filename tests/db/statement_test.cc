#include "db/statement.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace checkin::db {
namespace {

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK); }
  void TearDown() override { sqlite3_close(db_); }
  sqlite3* db_ = nullptr;
};

// A prepare that fails (here: a table the file does not have, as with another
// program's database) is a value with SQLite's reason, not an assert.
TEST_F(StatementTest, FailedPrepareIsReturnedByStepAndRunWithSqlitesReason) {
  Statement st(db_, "SELECT name FROM attendees WHERE id = ?1");
  st.Bind(1, int64_t{7}).Bind(1, "x").BindNull(1);
  st.Reset();  // harmless on a statement that never prepared
  auto r = st.Step();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "database: no such table: attendees");
  Status run = st.Run();
  EXPECT_EQ(run.message(), "database: no such table: attendees");
}

// Callers return on an error without Reset(); a cached statement must still
// work for the next call.
TEST_F(StatementTest, FailedBindIsReportedOnceByTheNextStep) {
  Statement st(db_, "SELECT ?1");
  st.Bind(2, int64_t{1});  // no parameter 2
  auto r = st.Step();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("column index out of range"), std::string::npos)
      << r.status().message();
  st.Bind(1, "ok");
  r = st.Step();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(*r);
  EXPECT_EQ(st.Text(0), "ok");
}

}  // namespace
}  // namespace checkin::db
