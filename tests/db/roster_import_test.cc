#include "db/roster_import.h"

#include <gtest/gtest.h>

#include "db/roster.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::DataFile;
using checkin::testing::FakeClock;
using checkin::testing::TempDir;

class RosterImportTest : public ::testing::Test {
 protected:
  RosterImportTest() : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)) {}

  Result<ImportSummary> Import(const std::string& name,
                               MissingPolicy missing = MissingPolicy::kReport,
                               ImportMode mode = ImportMode::kApply,
                               std::vector<ColumnMap> maps = {}) {
    CsvExportSource src(DataFile("import/" + name), RosterFormat::kAuto, std::move(maps));
    auto snap = src.Fetch();
    if (!snap.ok()) return snap.status();
    return ApplyRoster(*db_, *snap, missing, mode, clock_);
  }

  int64_t Count(const std::string& sql) { return checkin::testing::QueryInt(*db_, sql); }

  Attendee ByCode(const std::string& code) {
    auto a = FindAttendeeByCode(*db_, code);
    EXPECT_TRUE(a.ok() && a->has_value()) << code;
    return a.ok() && a->has_value() ? **a : Attendee{};
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
};

TEST_F(RosterImportTest, EveryMessyFixtureImports) {
  struct Case {
    const char* file;
    int rows;
  };
  const Case cases[] = {{"generic_basic.csv", 5},
                        {"bom_utf8.csv", 4},
                        {"cp1252.csv", 4},
                        {"latin1.csv", 3},
                        {"semicolon.csv", 4},
                        {"quoted_multiline.csv", 4},
                        {"crlf.csv", 4},
                        {"trailing_blank_lines.csv", 3},
                        {"duplicate_rows.csv", 4},
                        {"spaces.csv", 3},
                        {"reordered_columns.csv", 3},
                        {"eventbrite.csv", 6},
                        {"pretix.csv", 6},
                        {"sympla.csv", 5}};
  for (const auto& c : cases) {
    TempDir dir;
    auto db = checkin::testing::NewEventDatabase(dir.File("e.db"), clock_);
    CsvExportSource src(DataFile(std::string("import/") + c.file), RosterFormat::kAuto, {});
    auto snap = src.Fetch();
    ASSERT_TRUE(snap.ok()) << c.file << ": " << snap.status().message();
    auto sum = ApplyRoster(*db, *snap, MissingPolicy::kReport, ImportMode::kApply, clock_);
    ASSERT_TRUE(sum.ok()) << c.file << ": " << sum.status().message();
    EXPECT_EQ(sum->added, c.rows) << c.file;
  }
}

TEST_F(RosterImportTest, AccentsSurviveEveryEncoding) {
  ASSERT_TRUE(Import("cp1252.csv").ok());
  const Attendee a = ByCode("KCD26-7O5XSHJBBL");
  EXPECT_EQ(a.first_name, "Begoña");
  EXPECT_EQ(a.last_name, "Ñañez Agüero");
  EXPECT_EQ(a.company, "Café € SAS");
  EXPECT_EQ(a.source, "generic");
  EXPECT_EQ(a.badge_code.substr(0, 2), "B-");
  EXPECT_EQ(a.badge_code.size(), 18u);
}

TEST_F(RosterImportTest, BadRowRejectsTheWholeFileAndChangesNothing) {
  ASSERT_TRUE(Import("generic_basic.csv").ok());
  const int64_t before = Count("SELECT COUNT(*) FROM attendees");
  const int64_t imports_before = Count("SELECT COUNT(*) FROM imports");
  for (const char* bad :
       {"bad_row_missing_code.csv", "bad_row_conflicting_duplicate.csv", "bad_wrong_columns.csv"}) {
    auto r = Import(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << bad;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), before) << bad;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), imports_before) << bad;
  }
}

TEST_F(RosterImportTest, ConflictWithAnotherSourceRollsBackMidway) {
  ASSERT_TRUE(Import("generic_basic.csv").ok());
  // An Eventbrite export whose last row reuses a code the generic import owns:
  // the rows before it were written inside the transaction and must vanish.
  TempDir tmp;
  const std::string path = tmp.File("eb.csv");
  {
    std::ofstream f(path);
    f << "Order #,First Name,Last Name,Attendee #,Barcode #,Attendee Status\n"
         "1,Ana,Ruiz,11,111,Attending\n"
         "2,Luis,Paz,22,KCD26-2IBYYURL7B,Attending\n";
  }
  const int64_t before = Count("SELECT COUNT(*) FROM attendees");
  CsvExportSource src(path, RosterFormat::kAuto, {});
  auto snap = src.Fetch();
  ASSERT_TRUE(snap.ok()) << snap.status().message();
  auto r = ApplyRoster(*db_, *snap, MissingPolicy::kReport, ImportMode::kApply, clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 3"), std::string::npos) << r.status().message();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees WHERE ticket_code = '111'"), 0);
}

// Big exports are parsed and mapped on two threads in batches: an error deep
// in the file must still name its line and leave the database untouched, and
// the earliest bad line wins whichever stage finds it.
TEST_F(RosterImportTest, LargeFileErrorsNameTheEarliestLineAndChangeNothing) {
  TempDir tmp;
  auto write = [&](const std::string& name, int bad_status_line, int bad_quote_line) {
    std::ofstream f(tmp.File(name));
    f << "ticket_code,first_name,last_name,status\n";
    for (int line = 2; line <= 12001; ++line) {
      if (line == bad_quote_line) {
        f << "Q" << line << ",Ana \"x\" Ruiz,Paz,valid\n";
      } else {
        f << "T" << line << ",Ana,Paz," << (line == bad_status_line ? "quizás" : "valid") << "\n";
      }
    }
    return tmp.File(name);
  };
  struct Case {
    int status_line, quote_line, expect;
  };
  for (const Case c : {Case{9000, 0, 9000}, Case{0, 11000, 11000}, Case{5000, 9000, 5000},
                       Case{9000, 5000, 5000}}) {
    const std::string path = write("big.csv", c.status_line, c.quote_line);
    CsvExportSource src(path, RosterFormat::kAuto, {});
    auto snap = src.Fetch();
    ASSERT_FALSE(snap.ok()) << c.status_line << "/" << c.quote_line;
    EXPECT_NE(snap.status().message().find("line " + std::to_string(c.expect)), std::string::npos)
        << snap.status().message();
  }
  // The streaming import (what the CLI runs) stores batches before it meets
  // the bad line: the rollback must take them all back.
  for (const Case c : {Case{11500, 0, 11500}, Case{0, 9000, 9000}}) {
    CsvExportSource src(write("big.csv", c.status_line, c.quote_line), RosterFormat::kAuto, {});
    auto sum = ImportRoster(*db_, src, MissingPolicy::kReport, ImportMode::kApply, clock_);
    ASSERT_FALSE(sum.ok());
    EXPECT_NE(sum.status().message().find("line " + std::to_string(c.expect)), std::string::npos)
        << sum.status().message();
    EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 0);
  }
  const std::string good = write("good.csv", 0, 0);
  CsvExportSource src(good, RosterFormat::kAuto, {});
  size_t last_progress = 0;
  auto sum = ImportRoster(*db_, src, MissingPolicy::kReport, ImportMode::kApply, clock_,
                          [&](const ImportProgress& p) {
                            if (p.step == ImportProgress::Step::kReading) last_progress = p.done;
                          });
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->added, 12000);
  EXPECT_EQ(last_progress, 12000u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 12000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees_fts WHERE attendees_fts MATCH 'ana'"), 12000);
  auto again = ImportRoster(*db_, src, MissingPolicy::kReport, ImportMode::kApply, clock_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 12000);
  EXPECT_EQ(again->added, 0);
}

TEST_F(RosterImportTest, StreamingImportMatchesTheSnapshotPath) {
  ASSERT_TRUE(Import("update_v1.csv").ok());
  CsvExportSource src(DataFile("import/update_v2.csv"), RosterFormat::kAuto, {});
  auto dry = ImportRoster(*db_, src, MissingPolicy::kCancel, ImportMode::kDryRun, clock_);
  ASSERT_TRUE(dry.ok()) << dry.status().message();
  EXPECT_EQ(dry->added, 1);
  EXPECT_EQ(dry->updated, 1);
  EXPECT_EQ(dry->cancelled, 1);
  EXPECT_EQ(dry->unchanged, 2);
  EXPECT_EQ(dry->missing_cancelled, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 5) << "a dry run changes nothing";
  auto real = ImportRoster(*db_, src, MissingPolicy::kReport, ImportMode::kApply, clock_);
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(real->added, 1);
  EXPECT_EQ(ByCode("KCD26-D7ZUONVS5E").company, "Macondo Cloud");
  CsvExportSource missing(DataFile("import/nope.csv"), RosterFormat::kAuto, {});
  EXPECT_EQ(ImportRoster(*db_, missing, MissingPolicy::kReport, ImportMode::kApply, clock_)
                .status()
                .code(),
            StatusCode::kNotFound);
  CsvExportSource bad(DataFile("import/bad_wrong_columns.csv"), RosterFormat::kAuto, {});
  EXPECT_EQ(
      ImportRoster(*db_, bad, MissingPolicy::kReport, ImportMode::kApply, clock_).status().code(),
      StatusCode::kInvalidInput);
}

TEST_F(RosterImportTest, ReimportingTheSameFileIsIdempotent) {
  auto first = Import("generic_basic.csv");
  ASSERT_TRUE(first.ok());
  const Attendee before = ByCode("KCD26-2IBYYURL7B");
  auto second = Import("generic_basic.csv");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->added, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(second->unchanged, 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 5);
  EXPECT_EQ(ByCode("KCD26-2IBYYURL7B").badge_code, before.badge_code) << "badge codes are stable";
}

TEST_F(RosterImportTest, UpdatedExportAddsUpdatesCancelsAndReportsMissing) {
  ASSERT_TRUE(Import("update_v1.csv").ok());
  auto v2 = Import("update_v2.csv");
  ASSERT_TRUE(v2.ok()) << v2.status().message();
  EXPECT_EQ(v2->added, 1);
  EXPECT_EQ(v2->updated, 1);
  EXPECT_EQ(v2->cancelled, 1);
  EXPECT_EQ(v2->unchanged, 2);
  ASSERT_EQ(v2->missing.size(), 1u);
  EXPECT_EQ(v2->missing_cancelled, 0);
  EXPECT_EQ(ByCode("KCD26-D7ZUONVS5E").company, "Macondo Cloud");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 6) << "nothing is ever deleted";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees WHERE status = 'valid'"), 5)
      << "the missing ticket stays valid without --cancel-missing";
}

TEST_F(RosterImportTest, CancelMissingCancelsWithoutDeleting) {
  ASSERT_TRUE(Import("update_v1.csv").ok());
  auto v2 = Import("update_v2.csv", MissingPolicy::kCancel);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->missing_cancelled, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 6);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM attendees WHERE upstream_status LIKE 'missing from export%'"), 1);
  auto again = Import("update_v2.csv", MissingPolicy::kCancel);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->missing.size(), 0u) << "already cancelled tickets are not missing again";
}

TEST_F(RosterImportTest, CancelledUpstreamThenValidAgain) {
  ASSERT_TRUE(Import("update_v1.csv").ok());
  ASSERT_TRUE(Import("update_v2.csv").ok());
  auto back = Import("update_v1.csv");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->cancelled, 0);
  EXPECT_GE(back->updated, 2) << "reinstated and company reverted";
}

TEST_F(RosterImportTest, DryRunReportsButChangesNothing) {
  auto r = Import("generic_basic.csv", MissingPolicy::kReport, ImportMode::kDryRun);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->dry_run);
  EXPECT_EQ(r->added, 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendees"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 0);
}

TEST_F(RosterImportTest, HistoryRecordsEachImport) {
  ASSERT_TRUE(Import("update_v1.csv").ok());
  ASSERT_TRUE(Import("update_v2.csv").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 2);
  EXPECT_EQ(Count("SELECT added FROM imports ORDER BY id DESC LIMIT 1"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports WHERE origin = 'update_v2.csv'"), 1);
}

TEST_F(RosterImportTest, SourcesAreKeptApart) {
  ASSERT_TRUE(Import("eventbrite.csv").ok());
  ASSERT_TRUE(Import("pretix.csv").ok());
  auto again = Import("eventbrite.csv");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->missing.size(), 0u)
      << "pretix tickets are not missing from an Eventbrite export";
  EXPECT_EQ(ByCode("4815162342271828001").source, "eventbrite");
}

}  // namespace
}  // namespace checkin::db
