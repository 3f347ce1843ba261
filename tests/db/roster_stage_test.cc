// An import is staged and applied in one short final transaction: the doors
// keep redeeming while it reads and stages, a failure at any step changes
// nothing, and codes may swap between tickets (issue 9, items 7 and 13).
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "db/checkin_desk.h"
#include "db/roster.h"
#include "db/roster_import.h"
#include "tests/fakes/test_db.h"
#include "tests/fakes/wait_signal.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

constexpr const char* kHeader = "ticket_code,first_name,last_name,status,ticket_id\n";

RosterRecord Record(int line, const std::string& ticket_id, const std::string& code,
                    const std::string& first_name) {
  RosterRecord r;
  r.line = line;
  r.ticket_id = ticket_id;
  r.ticket_code = code;
  r.first_name = first_name;
  r.last_name = "Paz";
  return r;
}

class RosterStageTest : public ::testing::Test {
 protected:
  RosterStageTest() : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)) {}

  Result<ImportSummary> ImportText(const std::string& csv,
                                   MissingPolicy missing = MissingPolicy::kReport,
                                   ImportMode mode = ImportMode::kApply) {
    const std::string path = dir_.File("roster.csv");
    std::ofstream(path, std::ios::trunc) << kHeader << csv;
    CsvExportSource src(path, RosterFormat::kAuto, {});
    return ImportRoster(*db_, src, missing, mode, clock_);
  }

  // A second connection, as another station or process would have, that
  // fails at once instead of waiting if the import holds the write lock.
  std::unique_ptr<CheckinDesk> ImpatientDesk() {
    auto other = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
    EXPECT_TRUE(other.ok()) << other.status().message();
    if (!other.ok()) return nullptr;
    other_ = std::move(*other);
    sqlite3_busy_timeout(other_->handle(), 0);
    auto desk = CheckinDesk::Create(*other_, clock_, DefaultConfig());
    EXPECT_TRUE(desk.ok()) << desk.status().message();
    return desk.ok() ? std::move(*desk) : nullptr;
  }

  Result<Decision> Redeem(CheckinDesk& desk, const std::string& code) {
    return desk.Redeem({code, "Principal", "door-2", Direction::kEntry, ScanSource::kCamera});
  }

  int64_t Count(const std::string& sql) { return checkin::testing::QueryInt(*db_, sql); }

  std::string TicketOf(const std::string& code) {
    auto a = FindAttendeeByCode(*db_, code);
    return a.ok() && a->has_value() ? (*a)->ticket_id + " " + (*a)->first_name : "nobody";
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Database> other_;
};

TEST_F(RosterStageTest, TwoTicketsSwapTheirCodes) {
  ASSERT_TRUE(ImportText("SWAPX1,Ana,Paz,valid,T1\nSWAPY2,Luis,Paz,valid,T2\n").ok());
  auto sum = ImportText("SWAPY2,Ana,Paz,valid,T1\nSWAPX1,Luis,Paz,valid,T2\n");
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->updated, 2);
  EXPECT_EQ(sum->added, 0);
  EXPECT_EQ(TicketOf("SWAPY2"), "T1 Ana");
  EXPECT_EQ(TicketOf("SWAPX1"), "T2 Luis");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 2);
  // A three-way rotation, with a name change riding along.
  ASSERT_TRUE(ImportText("SWAPY2,Ana,Paz,valid,T1\nSWAPX1,Luis,Paz,valid,T2\n"
                         "SWAPZ3,Eva,Paz,valid,T3\n")
                  .ok());
  sum = ImportText("SWAPX1,Ana,Paz,valid,T1\nSWAPZ3,Luisa,Paz,valid,T2\nSWAPY2,Eva,Paz,valid,T3\n");
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(TicketOf("SWAPX1"), "T1 Ana");
  EXPECT_EQ(TicketOf("SWAPZ3"), "T2 Luisa");
  EXPECT_EQ(TicketOf("SWAPY2"), "T3 Eva");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees_fts WHERE attendees_fts MATCH 'luisa'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees_fts WHERE attendees_fts MATCH 'luis'"), 0);
}

// Ticket T1 keeps its code in the database (it is not in this file), so T2
// cannot take it: the error names the line, not the code, and nothing changes.
TEST_F(RosterStageTest, CodeStillHeldByAnotherTicketNamesTheLineOnly) {
  ASSERT_TRUE(ImportText("HELDX1,Ana,Paz,valid,T1\nHELDY2,Luis,Paz,valid,T2\n").ok());
  auto sum = ImportText("HELDX1,Luis,Paz,valid,T2\n");
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.status().code(), StatusCode::kInvalidInput);
  const std::string msg = sum.status().message();
  EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("HELDX1"), std::string::npos) << "a ticket code gets a person in: " << msg;
  EXPECT_EQ(TicketOf("HELDX1"), "T1 Ana");
  EXPECT_EQ(TicketOf("HELDY2"), "T2 Luis");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 1);
}

// While an import is between Begin and Finish, a redeem on another
// connection that will not wait at all still gets its answer.
TEST_F(RosterStageTest, RedeemsOnAnotherConnectionDoNotWaitForTheImport) {
  RosterSnapshot before;
  before.source = "generic";
  before.records = {Record(2, "T1", "DOORA1", "Ana"), Record(3, "T2", "DOORB2", "Luis")};
  ASSERT_TRUE(ApplyRoster(*db_, before, MissingPolicy::kReport, ImportMode::kApply, clock_).ok());
  auto applier = RosterApplier::Begin(*db_, "generic", clock_);
  ASSERT_TRUE(applier.ok()) << applier.status().message();
  std::vector<RosterRecord> recs = {Record(2, "T1", "DOORA1", "Ana"),
                                    Record(3, "T2", "DOORB2", "Luisa"),
                                    Record(4, "T3", "DOORC3", "Eva")};
  ASSERT_TRUE((*applier)->Add({&recs[0], &recs[1]}).ok());
  auto desk = ImpatientDesk();
  ASSERT_NE(desk, nullptr);
  auto d = Redeem(*desk, "DOORA1");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->verdict, Verdict::kAdmitted);
  ASSERT_TRUE((*applier)->Add({&recs[2]}).ok());
  d = Redeem(*desk, "DOORB2");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->verdict, Verdict::kAdmitted);

  RosterSnapshot info;
  info.origin = "stage.csv";
  info.total_rows = 3;
  auto sum = (*applier)->Finish(info, MissingPolicy::kReport, ImportMode::kApply);
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, 1);
  EXPECT_EQ(sum->updated, 1);
  EXPECT_EQ(sum->unchanged, 1);
  EXPECT_EQ(TicketOf("DOORB2"), "T2 Luisa");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins WHERE kind = 'admitted'"), 2);
}

// The final step matches against the tickets as they are when it runs: a
// ticket another import added after this one staged it is updated, not added
// twice.
TEST_F(RosterStageTest, FinishMatchesTicketsAddedMeanwhile) {
  auto applier = RosterApplier::Begin(*db_, "generic", clock_);
  ASSERT_TRUE(applier.ok());
  std::vector<RosterRecord> recs = {Record(2, "T1", "MEANA1", "Ana"),
                                    Record(3, "T2", "MEANB2", "Luis")};
  ASSERT_TRUE((*applier)->Add({&recs[0], &recs[1]}).ok());

  auto other = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
  ASSERT_TRUE(other.ok());
  sqlite3_busy_timeout((*other)->handle(), 0);
  RosterSnapshot first;
  first.source = "generic";
  first.full_export = false;
  first.records = {Record(2, "T1", "MEANA1", "Anita")};
  auto meanwhile = ApplyRoster(**other, first, MissingPolicy::kReport, ImportMode::kApply, clock_);
  ASSERT_TRUE(meanwhile.ok()) << meanwhile.status().message();

  RosterSnapshot info;
  info.total_rows = 2;
  auto sum = (*applier)->Finish(info, MissingPolicy::kReport, ImportMode::kApply);
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, 1);
  EXPECT_EQ(sum->updated, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 2);
  EXPECT_EQ(TicketOf("MEANA1"), "T1 Ana");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees_fts WHERE attendees_fts MATCH 'anita'"), 0);
}

// Another import commits after this one matched its stage but before it has
// the write lock: the match is redone under the lock, so the ticket the other
// import added is updated, not added a second time with its code.
TEST_F(RosterStageTest, FinishRematchesWhenAnImportCommitsWhileItWaits) {
  auto applier = RosterApplier::Begin(*db_, "generic", clock_);
  ASSERT_TRUE(applier.ok());
  std::vector<RosterRecord> recs = {Record(2, "T1", "WAITA1", "Ana")};
  ASSERT_TRUE((*applier)->Add({&recs[0]}).ok());

  auto other = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
  ASSERT_TRUE(other.ok());
  sqlite3* o = (*other)->handle();
  ASSERT_EQ(sqlite3_exec(o,
                         "BEGIN IMMEDIATE;"
                         "INSERT INTO attendees (source, ticket_id, ticket_code, badge_code,"
                         " first_name, last_name, status, created_at, updated_at) VALUES"
                         " ('generic', 'T1', 'WAITA1', 'B-WAIT', 'Anita', 'Paz', 'valid', '', '');"
                         "INSERT INTO imports (at, format, origin, rows, added, updated,"
                         " cancelled, unchanged, missing, missing_cancelled)"
                         " VALUES ('', 'generic', 'other', 1, 1, 0, 0, 0, 0, 0);"
                         "INSERT INTO attendees_fts (rowid, first_name, last_name, email, company)"
                         " SELECT id, first_name, last_name, email, company FROM attendees;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  // Finish meets the held lock after its match; the busy handler says so.
  checkin::testing::WaitSignal w;
  w.OnBusy(db_->handle());
  Result<ImportSummary> sum = Status::Internal("not run");
  std::thread finish([&] {
    RosterSnapshot info;
    info.total_rows = 1;
    sum = (*applier)->Finish(info, MissingPolicy::kReport, ImportMode::kApply);
  });
  w.Await();
  ASSERT_EQ(sqlite3_exec(o, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  finish.join();
  sqlite3_busy_timeout(db_->handle(), 5000);
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, 0);
  EXPECT_EQ(sum->updated, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 1);
  EXPECT_EQ(TicketOf("WAITA1"), "T1 Ana");
}

// The final step fails after it has updated one ticket (the new one's code
// belongs to another source): all of it goes, and the redeem that another
// connection made during the import stays.
TEST_F(RosterStageTest, FailedFinalStepChangesNothing) {
  ASSERT_TRUE(ImportText("FAILA1,Ana,Paz,valid,T1\n").ok());
  RosterSnapshot other_source;
  other_source.source = "pretix";
  other_source.records = {Record(2, "P1", "FAILP1", "Eva")};
  ASSERT_TRUE(
      ApplyRoster(*db_, other_source, MissingPolicy::kReport, ImportMode::kApply, clock_).ok());

  auto applier = RosterApplier::Begin(*db_, "generic", clock_);
  ASSERT_TRUE(applier.ok());
  std::vector<RosterRecord> recs = {Record(2, "T1", "FAILA1", "Anastasia"),
                                    Record(3, "T2", "FAILP1", "Luis")};
  ASSERT_TRUE((*applier)->Add({&recs[0], &recs[1]}).ok());
  auto desk = ImpatientDesk();
  ASSERT_NE(desk, nullptr);
  auto d = Redeem(*desk, "FAILA1");
  ASSERT_TRUE(d.ok()) << d.status().message();
  RosterSnapshot info;
  info.total_rows = 2;
  auto sum = (*applier)->Finish(info, MissingPolicy::kReport, ImportMode::kApply);
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.status().message().find("line 3"), std::string::npos) << sum.status().message();
  EXPECT_EQ(TicketOf("FAILA1"), "T1 Ana");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees_fts WHERE attendees_fts MATCH 'anastasia'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins WHERE kind = 'admitted'"), 1);
}

// A child process imports a big export and is killed with SIGKILL while it is
// staging; the doors kept working meanwhile, the database is as it was, and
// the next import works.
TEST_F(RosterStageTest, KilledImportLeavesTheDatabaseUnchangedAndUsable) {
  ASSERT_TRUE(ImportText("KILLA1,Ana,Paz,valid,T1\n").ok());
  const std::string big = dir_.File("big.csv");
  {
    std::ofstream f(big);
    f << kHeader;
    for (int i = 0; i < 30000; ++i) f << "BIG" << i << ",Ana,Paz,valid,B" << i << "\n";
  }
  int staged[2], hold[2];
  ASSERT_EQ(pipe(staged), 0);
  ASSERT_EQ(pipe(hold), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(staged[0]);
    close(hold[1]);
    auto db = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
    if (!db.ok()) _exit(3);
    CsvExportSource src(big, RosterFormat::kAuto, {});
    static_cast<void>(ImportRoster(**db, src, MissingPolicy::kCancel, ImportMode::kApply,
                                   SystemClock(), [&](const ImportProgress&) {
                                     char c = 1;
                                     if (write(staged[1], &c, 1) != 1) _exit(4);
                                     if (read(hold[0], &c, 1) != 1) _exit(5);  // never comes
                                   }));
    _exit(6);
  }
  close(staged[1]);
  close(hold[0]);
  char c = 0;
  EXPECT_EQ(read(staged[0], &c, 1), 1) << "the child never staged a batch";
  if (auto desk = ImpatientDesk()) {
    auto d = Redeem(*desk, "KILLA1");
    EXPECT_TRUE(d.ok() && d->verdict == Verdict::kAdmitted)
        << (d.ok() ? std::string(VerdictName(d->verdict)) : d.status().message());
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  close(staged[0]);
  close(hold[1]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exit " << WEXITSTATUS(status);

  other_.reset();
  db_.reset();
  auto db = Database::Open(dir_.File("e.db"), OpenMode::kMustExist);
  ASSERT_TRUE(db.ok()) << db.status().message();
  db_ = std::move(*db);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees WHERE status = 'valid'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
  CsvExportSource src(big, RosterFormat::kAuto, {});
  auto sum = ImportRoster(*db_, src, MissingPolicy::kReport, ImportMode::kApply, clock_);
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, 30000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees_fts WHERE attendees_fts MATCH 'ana'"), 30001);
}

}  // namespace
}  // namespace checkin::db
