// Outside text on a volunteer's terminal (issue 9, item 4): names, the event
// name, gates and stations written into a real event file, then every
// command that shows them, through the real binary.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/test_db.h"

namespace checkin {
namespace {

using checkin::testing::DataFile;
using checkin::testing::ProcessOutput;
using checkin::testing::TempDir;

// Retitles the terminal, rings, clears it; then a C1 CSI (an escape on
// 8-bit terminals) and a right-to-left override.
const std::string kHostile =
    "Ana\x1b]0;pwned\x07\x1b[2J\xC2\x9B"
    "31m\xE2\x80\xAE";

using checkin::testing::RunCheckin;

// What a terminal would obey rather than show.
std::string Steering(const std::string& text) {
  for (const char* bad : {"\x1b", "\x07", "\xC2\x9B", "\xE2\x80\xAE"}) {
    if (text.find(bad) != std::string::npos) return bad;
  }
  return "";
}

class TerminalCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("kcd.db");
    ASSERT_EQ(RunCheckin({"init", "--db", db_, "--event", "KCD Colombia 2026"}).rc, 0);
    const ProcessOutput imp =
        RunCheckin({"roster", "import", DataFile("import/generic_basic.csv"), "--db", db_});
    ASSERT_EQ(imp.rc, 0) << imp.err;
    // Straight into the file, as any import or sync could have left it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    for (const char* sql :
         {"UPDATE attendees SET first_name = ?1, company = ?1, ticket_type = ?1",
          "UPDATE attendees SET status = 'cancelled', upstream_status = ?1 WHERE ticket_code = "
          "'KCD26-6KJ6HBIJLV'",
          "UPDATE event SET name = ?1"}) {
      sqlite3_stmt* st = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sql;
      sqlite3_bind_text(st, 1, kHostile.data(), static_cast<int>(kHostile.size()),
                        SQLITE_TRANSIENT);
      EXPECT_EQ(sqlite3_step(st), SQLITE_DONE) << sql;
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
  }

  void ExpectSafe(const std::vector<std::string>& args) {
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    const ProcessOutput o = RunCheckin(args);
    EXPECT_NE(o.rc, 134) << cmd;
    EXPECT_EQ(Steering(o.out), "") << cmd << "\n" << o.out;
    EXPECT_EQ(Steering(o.err), "") << cmd << "\n" << o.err;
    shown_ += o.out + o.err;
  }

  TempDir dir_;
  std::string db_;
  std::string shown_;
};

TEST_F(TerminalCliTest, NamesEventGatesAndStationsAreShownNotObeyed) {
  const std::string code = "KCD26-2IBYYURL7B";
  ExpectSafe({"redeem", code, "--station", kHostile, "--db", db_});
  ExpectSafe({"redeem", code, "--station", "mesa-2", "--db", db_});  // names the hostile station
  ExpectSafe({"redeem", code, "--station", "mesa-2", "--json", "--db", db_});
  ExpectSafe({"redeem", "KCD26-6KJ6HBIJLV", "--db", db_, "--lang", "en"});  // cancelled (reason)
  ExpectSafe({"roster", "search", "Muñoz", "--db", db_});
  ExpectSafe({"roster", "search", "Gómez", "--db", db_});
  ExpectSafe({"roster", "search", kHostile, "--db", db_});
  ExpectSafe({"stats", "--db", db_});
  ExpectSafe({"stats", "--json", "--db", db_});
  ExpectSafe({"print", "reprint", code, "--db", db_});
  ExpectSafe({"undo", "--code", code, "--station", "mesa-2", "--db", db_, "--lang", "en"});
  ExpectSafe({"redeem", kHostile, "--db", db_});                  // the payload itself
  ExpectSafe({"stats", "--db", dir_.File(kHostile + ".db")});     // an error naming a file
  ExpectSafe({"redeem", code, "--gate", kHostile, "--db", db_});  // an unknown gate
  ExpectSafe({"stats", "--lang", kHostile, "--db", db_});         // CLI11 quotes it back
  // Shown, escaped, where the raw bytes were.
  EXPECT_NE(shown_.find("Ana\\x1B]0;pwned\\x07\\x1B[2J\\u009B31m\\u202E"), std::string::npos)
      << shown_;
}

}  // namespace
}  // namespace checkin
