// An import that adds many tickets writes them ahead of its final step, in
// short transactions under an import run, so the doors never wait long for
// the write lock (issue 9, item 7). Until the final step ends the run, those
// rows exist for no reader; a failed or dry run, or a killed importer, leaves
// nothing anybody sees, and the next import clears what a dead one left.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "db/checkin_desk.h"
#include "db/print_queue.h"
#include "db/roster.h"
#include "db/roster_import.h"
#include "tests/fakes/test_db.h"
#include "tests/fakes/wait_signal.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

constexpr const char* kHeader = "ticket_code,first_name,last_name,status,ticket_id\n";

class ImportRunTest : public ::testing::Test {
 protected:
  ImportRunTest() : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)) {
    WriteFile("first.csv", "RUNA1,Ana,Paz,valid,T1\n");
    EXPECT_TRUE(Import("first.csv").ok());
  }

  void WriteFile(const std::string& name, const std::string& rows) {
    std::ofstream(dir_.File(name), std::ios::trunc) << kHeader << rows;
  }
  // `n` new tickets NEW0.., all named Zenaida, optionally ending with `last`.
  void WriteBig(const std::string& name, int n, const std::string& last = "") {
    std::ofstream f(dir_.File(name), std::ios::trunc);
    f << kHeader;
    for (int i = 0; i < n; ++i) f << "NEW" << i << ",Zenaida,Rojas,valid,N" << i << "\n";
    f << last;
  }

  Result<ImportSummary> Import(const std::string& name, ImportMode mode = ImportMode::kApply,
                               const ImportProgressFn& progress = {}) {
    CsvExportSource src(dir_.File(name), RosterFormat::kAuto, {});
    return ImportRoster(*db_, src, MissingPolicy::kReport, mode, clock_, progress);
  }

  // Another station's connection, which will not wait for the write lock.
  Database& Other() {
    if (!other_) {
      auto other = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
      EXPECT_TRUE(other.ok()) << other.status().message();
      other_ = std::move(*other);
      sqlite3_busy_timeout(other_->handle(), 0);
    }
    return *other_;
  }

  int64_t Count(const std::string& sql) { return checkin::testing::QueryInt(*db_, sql); }
  int64_t Rows() { return Count("SELECT COUNT(*) FROM attendees"); }
  int64_t Indexed(const std::string& word) {
    return Count("SELECT COUNT(*) FROM attendees_fts WHERE attendees_fts MATCH '" + word + "'");
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Database> other_;
};

// Between two chunks, every way a station reads the roster still sees the
// one ticket there was, and a redeem of a ticket being written says unknown
// at once: no lock is held between chunks.
TEST_F(ImportRunTest, TicketsWrittenAheadExistForNobodyUntilTheFinalStep) {
  WriteBig("big.csv", 3500);
  bool looked = false;
  auto sum = Import("big.csv", ImportMode::kApply, [&](const ImportProgress& p) {
    if (p.step != ImportProgress::Step::kWriting || looked) return;
    looked = true;
    EXPECT_EQ(p.total, 3500u);
    EXPECT_GT(p.done, 0u);
    EXPECT_LT(p.done, 3500u);
    EXPECT_EQ(Rows(), static_cast<int64_t>(1 + p.done)) << "rows are written ahead";
    const int64_t pending = Count("SELECT MAX(id) FROM attendees");

    Database& other = Other();
    auto desk = CheckinDesk::Create(other, clock_, DefaultConfig());
    ASSERT_TRUE(desk.ok()) << desk.status().message();
    auto d =
        (*desk)->Redeem({"NEW5", "Principal", "door-2", Direction::kEntry, ScanSource::kCamera});
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->verdict, Verdict::kUnknown);
    auto by_code = FindAttendeeByCode(other, "NEW5");
    ASSERT_TRUE(by_code.ok());
    EXPECT_FALSE(by_code->has_value());
    auto by_id = FindAttendeeById(other, pending);
    ASSERT_TRUE(by_id.ok());
    EXPECT_FALSE(by_id->has_value());
    auto hits = SearchAttendees(other, "zenaida", 10);
    ASSERT_TRUE(hits.ok()) << hits.status().message();
    EXPECT_TRUE(hits->empty());
    auto all = ListAttendees(other, AttendeeFilter::kAll);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 1u);
    auto stats = ComputeStats(other, {});
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->expected, 1);
    PrintQueue queue(other, clock_);
    EXPECT_EQ(queue.Enqueue(pending, "door-2").status().code(), StatusCode::kNotFound);
    d = (*desk)->Redeem({"RUNA1", "Principal", "door-2", Direction::kEntry, ScanSource::kCamera});
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->verdict, Verdict::kAdmitted);
  });
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_TRUE(looked) << "3,500 new tickets were written in one transaction";
  EXPECT_EQ(sum->added, 3500);
  EXPECT_EQ(Rows(), 3501);
  EXPECT_EQ(Indexed("zenaida"), 3500);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM import_runs"), 0);
  auto found = FindAttendeeByCode(Other(), "NEW5");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->first_name, "Zenaida");
  auto list = ListAttendees(Other(), AttendeeFilter::kAll);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 3501u);
  EXPECT_EQ(list->at(1).ticket_id, "N0") << "ids follow the file";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins WHERE kind = 'admitted'"), 1);
}

// The last line's code belongs to a ticket of another source: everything
// before it was written ahead, the final step refuses the file, and what was
// written ahead goes with it.
TEST_F(ImportRunTest, RefusedBigImportLeavesNoRowBehind) {
  WriteBig("big.csv", 2500, "RUNA1,Luis,Paz,valid,X1\n");
  auto sum = Import("big.csv");
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.status().message().find("line 2502"), std::string::npos) << sum.status().message();
  EXPECT_EQ(Rows(), 1);
  EXPECT_EQ(Indexed("zenaida"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM import_runs"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 1);
}

TEST_F(ImportRunTest, DryRunOfABigAdditionCountsItAndLeavesNothing) {
  WriteBig("big.csv", 2500);
  auto sum = Import("big.csv", ImportMode::kDryRun);
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_TRUE(sum->dry_run);
  EXPECT_EQ(sum->added, 2500);
  EXPECT_EQ(Rows(), 1);
  EXPECT_EQ(Indexed("zenaida"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM import_runs"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 1);
  sum = Import("big.csv");
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, 2500);
}

// A child process is killed with SIGKILL in the middle of writing ahead.
// Its rows stay invisible; once its run has not moved for 30 s, the next
// import clears them (and their search terms), and the same file then
// imports in full: the dead rows no longer hold its codes.
TEST_F(ImportRunTest, RunOfAKilledImporterIsClearedByTheNextImport) {
  WriteBig("big.csv", 3000);
  int written[2], hold[2];
  ASSERT_EQ(pipe(written), 0);
  ASSERT_EQ(pipe(hold), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(written[0]);
    close(hold[1]);
    auto db = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
    if (!db.ok()) _exit(3);
    CsvExportSource src(dir_.File("big.csv"), RosterFormat::kAuto, {});
    static_cast<void>(ImportRoster(**db, src, MissingPolicy::kReport, ImportMode::kApply, clock_,
                                   [&](const ImportProgress& p) {
                                     if (p.step != ImportProgress::Step::kWriting) return;
                                     char c = 1;
                                     if (write(written[1], &c, 1) != 1) _exit(4);
                                     if (read(hold[0], &c, 1) != 1) _exit(5);  // never comes
                                   }));
    _exit(6);
  }
  close(written[1]);
  close(hold[0]);
  char c = 0;
  EXPECT_EQ(read(written[0], &c, 1), 1) << "the child never wrote ahead";
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  close(written[0]);
  close(hold[1]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exit " << WEXITSTATUS(status);

  EXPECT_GT(Rows(), 1) << "the dead run's rows are there";
  auto all = ListAttendees(*db_, AttendeeFilter::kAll);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u) << "and seen by nobody";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM import_runs"), 1);

  clock_.Advance(std::chrono::seconds(31));
  WriteFile("second.csv", "RUNA1,Ana,Paz,valid,T1\nRUNB2,Luis,Paz,valid,T2\n");
  auto sum = Import("second.csv");
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(Rows(), 2);
  EXPECT_EQ(Indexed("zenaida"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM import_runs"), 0);
  sum = Import("big.csv");
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, 3000);
  EXPECT_EQ(Rows(), 3002);
}

// Another import's run is alive (written ahead, not yet final) and holds a
// code this small import adds too: this import waits for that run to end,
// then finds the ticket there and updates it, instead of failing on its code.
TEST_F(ImportRunTest, ImportWaitsForAnotherImportsLiveRun) {
  sqlite3* o = Other().handle();
  sqlite3_busy_timeout(o, 5000);
  const std::string now = FormatUtc(clock_.Now());
  ASSERT_EQ(sqlite3_exec(o,
                         ("INSERT INTO import_runs (source, started_at, alive_at) VALUES"
                          " ('generic', '" +
                          now + "', '" + now +
                          "');"
                          "INSERT INTO attendees (source, ticket_id, ticket_code, badge_code,"
                          " first_name, last_name, status, created_at, updated_at, import_run)"
                          " VALUES ('generic', 'T2', 'LIVE2', 'B-LIVE', 'Luis', 'Paz', 'valid',"
                          " '', '', last_insert_rowid());")
                             .c_str(),
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  // The importer rolls back its write transaction each time it finds the
  // other run alive: that is when it is waiting.
  checkin::testing::WaitSignal w;
  w.OnRollback(db_->handle());
  WriteFile("second.csv", "RUNA1,Ana,Paz,valid,T1\nLIVE2,Luisa,Paz,valid,T2\n");
  Result<ImportSummary> sum = Status::Internal("not run");
  std::thread importer([&] { sum = Import("second.csv"); });
  w.Await();
  // The other import's final step: its run ends, its ticket is there.
  ASSERT_EQ(sqlite3_exec(o,
                         "BEGIN IMMEDIATE; DELETE FROM import_runs;"
                         "INSERT INTO imports (at, format, origin, rows, added, updated,"
                         " cancelled, unchanged, missing, missing_cancelled)"
                         " VALUES ('', 'generic', 'other', 1, 1, 0, 0, 0, 0, 0);"
                         "INSERT INTO attendees_fts (rowid, first_name, last_name, email, company)"
                         " SELECT id, first_name, last_name, email, company FROM attendees"
                         " WHERE ticket_id = 'T2'; COMMIT;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  importer.join();
  sqlite3_rollback_hook(db_->handle(), nullptr, nullptr);
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, 0);
  EXPECT_EQ(sum->updated, 1);
  EXPECT_EQ(Rows(), 2);
  auto luisa = FindAttendeeByCode(*db_, "LIVE2");
  ASSERT_TRUE(luisa.ok() && luisa->has_value());
  EXPECT_EQ((*luisa)->first_name, "Luisa");
}

// Another import commits ticket N7 (with another code) after this one matched
// its stage but before it wrote ahead: N7 was written ahead as new, and the
// final step, matching again, drops that row and updates the ticket.
TEST_F(ImportRunTest, RowWrittenAheadForATicketAddedMeanwhileGoes) {
  WriteBig("big.csv", 1500);
  sqlite3* o = Other().handle();
  ASSERT_EQ(sqlite3_exec(o,
                         "BEGIN IMMEDIATE;"
                         "INSERT INTO attendees (source, ticket_id, ticket_code, badge_code,"
                         " first_name, last_name, status, created_at, updated_at) VALUES"
                         " ('generic', 'N7', 'OTHER7', 'B-OTHER7', 'Zoila', 'Paz', 'valid', '',"
                         " '');"
                         "INSERT INTO imports (at, format, origin, rows, added, updated,"
                         " cancelled, unchanged, missing, missing_cancelled)"
                         " VALUES ('', 'generic', 'other', 1, 1, 0, 0, 0, 0, 0);"
                         "INSERT INTO attendees_fts (rowid, first_name, last_name, email, company)"
                         " SELECT id, first_name, last_name, email, company FROM attendees"
                         " WHERE ticket_id = 'N7';",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  // The import matches on a snapshot, then meets the held lock when it
  // opens its run; the busy handler says so.
  checkin::testing::WaitSignal w;
  w.OnBusy(db_->handle());
  Result<ImportSummary> sum = Status::Internal("not run");
  std::thread importer([&] { sum = Import("big.csv"); });
  w.Await();
  ASSERT_EQ(sqlite3_exec(o, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  importer.join();
  sqlite3_busy_timeout(db_->handle(), 5000);
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, 1499);
  EXPECT_EQ(sum->updated, 1);
  EXPECT_EQ(Rows(), 1501);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees WHERE ticket_id = 'N7'"), 1);
  auto n7 = FindAttendeeByCode(*db_, "NEW7");
  ASSERT_TRUE(n7.ok() && n7->has_value());
  EXPECT_EQ((*n7)->ticket_id, "N7");
  EXPECT_EQ(Indexed("zenaida"), 1500);
  EXPECT_EQ(Indexed("zoila"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM import_runs"), 0);
}

}  // namespace
}  // namespace checkin::db
