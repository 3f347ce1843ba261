// The `checkin` binary end to end: real process, real database file, exit
// statuses and JSON shapes that scripts and the scanner rely on.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/test_db.h"

namespace checkin {
namespace {

using checkin::testing::DataFile;
using checkin::testing::TempDir;

using Output = checkin::testing::ProcessOutput;

using checkin::testing::RunCheckin;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("kcd.db");
    Output init = RunCheckin({"init", "--db", db_, "--event", "KCD Colombia 2026"});
    ASSERT_EQ(init.rc, 0) << init.err;
    Output imp =
        RunCheckin({"roster", "import", DataFile("import/generic_basic.csv"), "--db", db_});
    ASSERT_EQ(imp.rc, 0) << imp.err;
  }
  nlohmann::json Json(const Output& o) {
    auto j = nlohmann::json::parse(o.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << o.out;
    return j;
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(CliTest, RedeemJsonShapeAndExitStatuses) {
  Output first = RunCheckin({"redeem", "KCD26-2IBYYURL7B", "--gate", "Principal", "--station",
                             "mesa-1", "--json", "--db", db_});
  EXPECT_EQ(first.rc, 0) << first.err;
  nlohmann::json j = Json(first);
  EXPECT_EQ(j["verdict"], "admitted");
  EXPECT_EQ(j["code"], "KCD26-2IBYYURL7B");
  EXPECT_EQ(j["attendee"]["first_name"], "María José");
  EXPECT_EQ(j["attendee"]["last_name"], "Muñoz Peña");
  EXPECT_EQ(j["attendee"]["ticket_type"], "Speaker");
  EXPECT_EQ(j["attendee"]["email"], "m***@example.co") << "never the full email";
  EXPECT_TRUE(j["previous"].is_null());
  EXPECT_NE(j["message"].get<std::string>().find("María José Muñoz Peña"), std::string::npos);

  Output again = RunCheckin(
      {"redeem", "KCD26-2IBYYURL7B", "--json", "--db", db_, "--station", "mesa-2", "--lang", "en"});
  EXPECT_EQ(again.rc, 1);
  j = Json(again);
  EXPECT_EQ(j["verdict"], "already_checked_in");
  EXPECT_EQ(j["previous"]["gate"], "Principal");
  EXPECT_EQ(j["previous"]["station"], "mesa-1");
  EXPECT_FALSE(j["previous"]["at"].get<std::string>().empty());
  EXPECT_NE(j["message"].get<std::string>().find("already checked in"), std::string::npos);

  Output unknown = RunCheckin({"redeem", "NOPE", "--json", "--db", db_});
  EXPECT_EQ(unknown.rc, 1);
  EXPECT_EQ(Json(unknown)["verdict"], "unknown");
  EXPECT_TRUE(Json(unknown)["attendee"].is_null());
}

TEST_F(CliTest, InvalidPayloadsAreVerdictsNotCrashes) {
  for (const std::string& bad : {std::string(5000, 'x'),
                                 std::string("Mar\xED"
                                             "a"),
                                 std::string("%n%n%s")}) {
    Output o = RunCheckin({"redeem", bad, "--json", "--db", db_});
    const bool known = o.rc == 1;
    EXPECT_TRUE(known) << "rc=" << o.rc << " err=" << o.err;
    nlohmann::json j = Json(o);
    EXPECT_TRUE(j["verdict"] == "invalid" || j["verdict"] == "unknown") << j.dump();
  }
}

TEST_F(CliTest, UsageAndSystemErrorsExitTwo) {
  EXPECT_EQ(RunCheckin({"redeem", "X", "--db", dir_.File("missing.db")}).rc, 2);
  Output gate = RunCheckin({"redeem", "X", "--gate", "Puerta 9", "--db", db_});
  EXPECT_EQ(gate.rc, 2);
  EXPECT_NE(gate.err.find("Principal"), std::string::npos) << gate.err;
  EXPECT_EQ(RunCheckin({"redeem", "--db", db_}).rc, 2);
  EXPECT_EQ(RunCheckin({"frobnicate"}).rc, 2);
  Output tz = RunCheckin({"init", "--db", dir_.File("x.db"), "--timezone", "Bogota"});
  EXPECT_EQ(tz.rc, 2);
  EXPECT_NE(tz.err.find("America/Bogota"), std::string::npos);
}

TEST_F(CliTest, AFileThatIsNotADatabaseIsRefusedWithSqlitesReason) {
  const std::string notes = dir_.File("notes.txt");
  std::ofstream(notes) << "call the caterer at 10\n";
  Output o = RunCheckin({"stats", "--db", notes, "--lang", "en"});
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.err.find(notes + " is not a database (is this the event file?)"), std::string::npos)
      << o.err;
  Output d = RunCheckin({"stats", "--db", dir_.File(""), "--lang", "en"});
  EXPECT_EQ(d.rc, 2);
  EXPECT_NE(d.err.find("is a directory"), std::string::npos) << d.err;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Issue 9, item 10: `stats` on another program's SQLite file created our
// tables in it, set its user_version and switched it to WAL.
TEST_F(CliTest, AnotherProgramsSqliteFileIsRefusedAndLeftByteForByte) {
  const std::string other = dir_.File("other.db");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw,
                         "CREATE TABLE foo (x); INSERT INTO foo VALUES (1);"
                         " PRAGMA user_version = 7; PRAGMA journal_mode = DELETE",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  const std::string before = Slurp(other);
  for (const char* cmd : {"stats", "redeem"}) {
    std::vector<std::string> args{cmd, "--db", other, "--lang", "en"};
    if (std::string(cmd) == "redeem") args.emplace_back("KCD26-2IBYYURL7B");
    Output o = RunCheckin(args);
    EXPECT_EQ(o.rc, 2) << cmd;
    EXPECT_NE(o.err.find(other + " is another program's SQLite file, not a checkin event file; it "
                                 "was left unchanged"),
              std::string::npos)
        << cmd << ": " << o.err;
  }
  EXPECT_TRUE(Slurp(other) == before) << "the file was changed";
  EXPECT_FALSE(std::filesystem::exists(other + "-wal"));
}

// Issue 9, item 12: a database that cannot be opened gave SQLite's words and
// no "NO registrado" before them, at a door where any answer may look like
// a yes.
TEST_F(CliTest, RedeemOnAFileThatIsNotADatabaseSaysNotRecordedAndWhy) {
  const std::string noise = dir_.File("noise.db");
  std::mt19937 rng(9);
  std::string bytes(20000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  std::ofstream(noise, std::ios::binary) << bytes;
  Output o = RunCheckin({"redeem", "KCD26-2IBYYURL7B", "--db", noise});
  EXPECT_EQ(o.rc, 2);
  EXPECT_EQ(
      o.err.rfind(
          "error: NO registrado, no dejar pasar todavía: " + noise + " no es una base de datos", 0),
      0u)
      << o.err;
  Output en = RunCheckin({"redeem", "KCD26-2IBYYURL7B", "--db", noise, "--lang", "en"});
  EXPECT_EQ(en.err.rfind(
                "error: NOT recorded, do not let them in yet: " + noise + " is not a database", 0),
            0u)
      << en.err;
  EXPECT_TRUE(Slurp(noise) == bytes);
}

// Runs checkin as an unprivileged user when the tests run as root, for whom
// file modes do not stop writes.
Output RunCheckinUnprivileged(const std::vector<std::string>& args) {
  if (geteuid() != 0) return RunCheckin(args);
  std::vector<std::string> all{"--reuid=65534", "--regid=65534", "--clear-groups", CHECKIN_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  return checkin::testing::RunProcess("/usr/bin/setpriv", all);
}

TEST_F(CliTest, ReadOnlyEventFileSaysSoAndNotRecorded) {
  if (geteuid() == 0 && access("/usr/bin/setpriv", X_OK) != 0)
    GTEST_SKIP() << "running as root, whom file modes do not stop, and setpriv (util-linux) is "
                    "missing to drop to another user";
  const std::string folder = dir_.File("readonly");
  ASSERT_TRUE(std::filesystem::create_directory(folder));
  const std::string db = folder + "/kcd.db";
  std::filesystem::copy_file(db_, db);
  ASSERT_EQ(chmod(db.c_str(), 0444), 0);
  ASSERT_EQ(chmod(folder.c_str(), 0555), 0);
  ASSERT_EQ(chmod(dir_.path().c_str(), 0755), 0);  // mkdtemp's 0700 would hide it all
  const std::string before = Slurp(db);
  Output o = RunCheckinUnprivileged({"redeem", "KCD26-2IBYYURL7B", "--db", db});
  Output en = RunCheckinUnprivileged({"stats", "--db", db, "--lang", "en"});
  chmod(folder.c_str(), 0755);
  EXPECT_EQ(o.rc, 2);
  EXPECT_EQ(o.err.rfind("error: NO registrado, no dejar pasar todavía: no se puede escribir en " +
                            db + " ni en su carpeta",
                        0),
            0u)
      << o.err;
  EXPECT_EQ(en.rc, 2);
  EXPECT_NE(en.err.find("cannot write to " + db + " or its folder"), std::string::npos) << en.err;
  EXPECT_TRUE(Slurp(db) == before);
}

// A real full disk: a 256 KiB tmpfs, filled up, in a mount namespace of the
// test's own (unshare(1) maps the user to root there; no privileges needed
// where user namespaces are allowed).
TEST_F(CliTest, FullDiskAtOpenSaysSoAndNotRecorded) {
  Output probe = checkin::testing::RunProcess("/usr/bin/unshare",
                                              {"--user", "--map-root-user", "--mount", "true"});
  if (probe.rc != 0)
    GTEST_SKIP() << "cannot make a mount namespace for a small tmpfs here (unshare: " << probe.err
                 << ")";
  const std::string mnt = dir_.File("full");
  ASSERT_TRUE(std::filesystem::create_directory(mnt));
  const std::string script =
      "set -e; mount -t tmpfs -o size=256k tmpfs \"$1\"; cp \"$2\" \"$1/kcd.db\";"
      " dd if=/dev/zero of=\"$1/fill\" bs=4k 2>/dev/null || true;"
      " exec \"$3\" redeem KCD26-2IBYYURL7B --db \"$1/kcd.db\"";
  Output o = checkin::testing::RunProcess(
      "/usr/bin/unshare", {"--user", "--map-root-user", "--mount", "/bin/sh", "-c", script, "sh",
                           mnt, db_, CHECKIN_BINARY});
  EXPECT_EQ(o.rc, 2);
  EXPECT_EQ(o.err.rfind("error: NO registrado, no dejar pasar todavía: el disco de " + mnt +
                            "/kcd.db está lleno. Libere espacio",
                        0),
            0u)
      << o.err;
}

// Codes and ids never share an argument. A number too large for an id is a
// code (Eventbrite's barcodes have up to 22 digits), never an uncaught
// std::out_of_range; and with Sympla ticket number "1" belonging to attendee
// #2, "reprint 1" means that ticket, never attendee #1.
TEST_F(CliTest, ReprintTellsCodesFromIds) {
  Output none =
      RunCheckin({"print", "reprint", "99999999999999999999999", "--db", db_, "--lang", "en"});
  EXPECT_EQ(none.rc, 2) << none.err;
  EXPECT_NE(none.err.find("no ticket or badge has code '99999999999999999999999'"),
            std::string::npos)
      << none.err;

  const std::string csv = dir_.File("numeric_codes.csv");
  std::ofstream(csv) << "ticket_code,first_name,last_name\n48151623422718280012,Ana,Long\n"
                        "1,Beto,Uno\n";
  Output imp = RunCheckin({"roster", "import", csv, "--db", db_});
  ASSERT_EQ(imp.rc, 0) << imp.err;
  Output found =
      RunCheckin({"print", "reprint", "48151623422718280012", "--db", db_, "--lang", "en"});
  EXPECT_EQ(found.rc, 0) << found.err;
  EXPECT_NE(found.out.find("Badge of Ana Long queued"), std::string::npos) << found.out;

  // Attendee #1 is someone from the fixture roster; ticket "1" is Beto's.
  Output by_code = RunCheckin({"print", "reprint", "1", "--db", db_, "--lang", "en"});
  EXPECT_EQ(by_code.rc, 0) << by_code.err;
  EXPECT_NE(by_code.out.find("Badge of Beto Uno queued"), std::string::npos) << by_code.out;
  Output by_id = RunCheckin({"print", "reprint", "--attendee", "1", "--db", db_, "--lang", "en"});
  EXPECT_EQ(by_id.rc, 0) << by_id.err;
  EXPECT_EQ(by_id.out.find("Beto"), std::string::npos) << by_id.out;

  // Nothing, both, or an empty code (an unset shell variable) is a usage error.
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"print", "reprint"},
                                             {"print", "reprint", "1", "--attendee", "1"},
                                             {"print", "reprint", ""},
                                             {"print", "reprint", "--attendee", "0"}}) {
    auto full = args;
    full.insert(full.end(), {"--db", db_, "--lang", "en"});
    Output o = RunCheckin(full);
    EXPECT_EQ(o.rc, 2) << args.size() << o.out;
    EXPECT_EQ(o.out.find("queued"), std::string::npos) << o.out;
  }
}

// An empty code is almost always an unset shell variable: a usage error for
// every command that takes one, recording nothing and touching nobody.
TEST_F(CliTest, EmptyCodesAreUsageErrors) {
  ASSERT_EQ(RunCheckin({"redeem", "KCD26-2IBYYURL7B", "--db", db_, "--station", "mesa-1"}).rc, 0);
  const std::string pdf = dir_.File("badge.pdf");
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"redeem", ""},
                                             {"redeem", "  "},
                                             {"undo", "--code", ""},
                                             {"print", "reprint", ""},
                                             {"badge", "render", "--out", pdf, "--code", ""}}) {
    auto full = args;
    full.insert(full.end(), {"--db", db_, "--station", "mesa-1", "--lang", "en"});
    Output o = RunCheckin(full);
    EXPECT_EQ(o.rc, 2) << args[0] << ": " << o.out << o.err;
    EXPECT_NE(o.err.find("the code is empty"), std::string::npos) << args[0] << ": " << o.err;
  }
  EXPECT_EQ(Json(RunCheckin({"stats", "--json", "--db", db_}))["checked_in"], 1);
  EXPECT_FALSE(std::filesystem::exists(pdf));
}

int64_t CheckinRows(const std::string& db) {
  sqlite3* raw = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(raw, "SELECT COUNT(*) FROM checkins", -1, &st, nullptr);
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(raw);
  return n;
}

// Issue 10: a script that did not see the answer (a killed ssh, a timeout)
// runs the same redeem again with the same --nonce and gets the recorded
// decision, never a second check-in or an "already checked in".
TEST_F(CliTest, RedeemWithTheSameNonceCanBeRetried) {
  const std::vector<std::string> scan = {"redeem",    "KCD26-2IBYYURL7B",
                                         "--station", "mesa-1",
                                         "--nonce",   "3F2A8C1E-5B7D-4E9A-8C6F-0D1E2F3A4B5C",
                                         "--db",      db_};
  auto json = scan;
  json.emplace_back("--json");
  Output first = RunCheckin(json);
  ASSERT_EQ(first.rc, 0) << first.err;
  EXPECT_EQ(Json(first)["checkin_id"], "3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c");
  Output retry = RunCheckin(json);
  EXPECT_EQ(retry.rc, 0) << retry.err;
  EXPECT_EQ(Json(retry), Json(first));
  Output text = RunCheckin(scan);
  EXPECT_EQ(text.rc, 0) << text.err;
  EXPECT_NE(text.out.find("ADMITIDO"), std::string::npos) << text.out;
  EXPECT_EQ(CheckinRows(db_), 1);

  auto other_code = scan;
  other_code[1] = "KCD26-6KJ6HBIJLV";
  Output conflict = RunCheckin(other_code);
  EXPECT_EQ(conflict.rc, 2);
  EXPECT_NE(conflict.err.find("a new scan needs a new nonce"), std::string::npos) << conflict.err;
  const std::pair<std::string, std::string> bad[] = {{"", "--nonce: empty"},
                                                     {"not-a-uuid", "nonce: not a UUID"}};
  for (const auto& [nonce, why] : bad) {
    auto args = scan;
    args[5] = nonce;
    Output o = RunCheckin(args);
    EXPECT_EQ(o.rc, 2) << nonce;
    EXPECT_NE(o.err.find(why), std::string::npos) << o.err;
  }
  EXPECT_EQ(CheckinRows(db_), 1);
}

// Ids and counts go through the one checked parser: text, zero, negatives and
// numbers past 64 bits are usage errors naming the option, never clamped to
// another number, and never someone else's check-in taken back.
TEST_F(CliTest, NumbersOutOfRangeAreUsageErrorsNamingTheOption) {
  ASSERT_EQ(RunCheckin({"redeem", "KCD26-2IBYYURL7B", "--db", db_, "--station", "mesa-1"}).rc, 0);
  const std::vector<std::vector<std::string>> cases = {
      {"redeem", "--attendee", "99999999999999999999"},
      {"redeem", "--attendee", "0"},
      {"undo", "--attendee", "0", "--station", "mesa-1"},
      {"undo", "--attendee", "-7", "--station", "mesa-1"},
      {"badge", "render", "--out", dir_.File("b.pdf"), "--attendee", "1e3"},
      {"roster", "search", "maria", "--limit", "0"},
  };
  for (auto args : cases) {
    args.insert(args.end(), {"--db", db_});
    Output o = RunCheckin(args);
    EXPECT_EQ(o.rc, 2) << args[0] << " " << args[1] << ": " << o.err;
    EXPECT_NE(o.err.find("is not a whole number between"), std::string::npos)
        << args[0] << ": " << o.err;
  }
  Output undo =
      RunCheckin({"undo", "--code", "", "--station", "mesa-1", "--db", db_, "--lang", "en"});
  EXPECT_EQ(undo.rc, 2) << "an empty code (an unset shell variable) undoes nothing: " << undo.err;
  Output again = RunCheckin({"redeem", "KCD26-2IBYYURL7B", "--db", db_, "--json"});
  EXPECT_EQ(Json(again)["verdict"], "already_checked_in") << "María José's check-in still stands";
}

TEST_F(CliTest, EverySubcommandHasHelp) {
  const std::vector<std::vector<std::string>> cmds = {{"--help"},
                                                      {"init", "--help"},
                                                      {"roster", "--help"},
                                                      {"roster", "import", "--help"},
                                                      {"roster", "search", "--help"},
                                                      {"redeem", "--help"},
                                                      {"undo", "--help"},
                                                      {"stats", "--help"}};
  for (const auto& c : cmds) {
    Output o = RunCheckin(c);
    EXPECT_EQ(o.rc, 0) << c[0];
    EXPECT_NE(o.out.find("Usage"), std::string::npos) << c[0] << ": " << o.out;
  }
}

TEST_F(CliTest, ImportErrorsNameFileAndLineAndChangeNothing) {
  Output bad =
      RunCheckin({"roster", "import", DataFile("import/bad_row_missing_code.csv"), "--db", db_});
  EXPECT_EQ(bad.rc, 2);
  EXPECT_NE(bad.err.find("bad_row_missing_code.csv"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("line 4"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("no se cambió nada"), std::string::npos) << bad.err;

  Output cols = RunCheckin(
      {"roster", "import", DataFile("import/bad_wrong_columns.csv"), "--db", db_, "--lang", "en"});
  EXPECT_EQ(cols.rc, 2);
  EXPECT_NE(cols.err.find("codigo, nombre, apellido, correo"), std::string::npos) << cols.err;
  Output mapped =
      RunCheckin({"roster", "import", DataFile("import/bad_wrong_columns.csv"), "--db", db_,
                  "--json", "--map", "codigo=ticket_code", "--map", "nombre=first_name", "--map",
                  "apellido=last_name", "--map", "correo=email"});
  EXPECT_EQ(mapped.rc, 0) << mapped.err;
  EXPECT_EQ(Json(mapped)["added"], 3);
}

// Issue 9, items 11 and 12: import errors that say what to do and keep
// personal data out.
TEST_F(CliTest, ImportOfHostileFilesSaysWhatIsWrong) {
  Output d = RunCheckin({"roster", "import", dir_.path().string(), "--db", db_, "--lang", "en"});
  EXPECT_EQ(d.rc, 2);
  EXPECT_NE(d.err.find("is a directory"), std::string::npos) << d.err;
  EXPECT_EQ(d.err.find("512 MB"), std::string::npos) << d.err;

  const std::string secret = dir_.File("secret.csv");
  std::ofstream(secret) << "ticket_code,first_name,last_name,status\n"
                           "A1,Carla,Ruiz,carla.secret@gmail.com\n";
  Output s = RunCheckin({"roster", "import", secret, "--db", db_, "--lang", "en"});
  EXPECT_EQ(s.rc, 2);
  EXPECT_NE(s.err.find("line 2"), std::string::npos) << s.err;
  EXPECT_EQ(s.err.find("carla"), std::string::npos) << s.err;

  const std::string nul = dir_.File("nul.csv");
  std::ofstream(nul, std::ios::binary)
      << std::string("ticket_code,first_name,last_name\nA1,An\0a,Ruiz\n", 46);
  Output n = RunCheckin({"roster", "import", nul, "--db", db_, "--lang", "en"});
  EXPECT_EQ(n.rc, 2);
  EXPECT_NE(n.err.find("line 2, column 2 (first_name)"), std::string::npos) << n.err;
}

// Issue 9, item 12: an old Mac export (CR only) used to fail with "more rows
// than the file has lines".
TEST_F(CliTest, ImportReadsCrOnlyLineEndings) {
  std::ifstream in(DataFile("import/generic_basic.csv"), std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (char& c : text) c = c == '\n' ? '\r' : c;
  const std::string mac = dir_.File("mac.csv");
  std::ofstream(mac, std::ios::binary) << text;
  const std::string db = dir_.File("mac.db");
  ASSERT_EQ(RunCheckin({"init", "--db", db, "--event", "Mac"}).rc, 0);
  Output o = RunCheckin({"roster", "import", mac, "--db", db, "--json"});
  ASSERT_EQ(o.rc, 0) << o.err;
  EXPECT_EQ(Json(o)["added"], 5);
}

TEST_F(CliTest, ImportSummaryAndDryRun) {
  // generic_basic.csv is already in as "generic"; this list is a roster of its own.
  Output v1 = RunCheckin({"roster", "import", DataFile("import/update_v1.csv"), "--db", db_,
                          "--json", "--source", "late"});
  ASSERT_EQ(v1.rc, 0) << v1.err;
  Output dry = RunCheckin({"roster", "import", DataFile("import/update_v2.csv"), "--db", db_,
                           "--json", "--dry-run", "--source", "late"});
  ASSERT_EQ(dry.rc, 0) << dry.err;
  nlohmann::json j = Json(dry);
  EXPECT_EQ(j["added"], 1);
  EXPECT_EQ(j["updated"], 1);
  EXPECT_EQ(j["cancelled"], 1);
  EXPECT_EQ(j["unchanged"], 2);
  EXPECT_EQ(j["missing"].size(), 1u);
  EXPECT_EQ(j["dry_run"], true);
  Output real = RunCheckin({"roster", "import", DataFile("import/update_v2.csv"), "--db", db_,
                            "--lang", "en", "--source", "late"});
  ASSERT_EQ(real.rc, 0);
  EXPECT_NE(real.out.find("added: 1"), std::string::npos)
      << "dry run changed nothing: " << real.out;
  EXPECT_NE(real.out.find("--cancel-missing"), std::string::npos) << real.out;
  EXPECT_EQ(RunCheckin({"roster", "import", DataFile("import/update_v2.csv"), "--db", db_,
                        "--source", "Bad Name!"})
                .rc,
            2);
}

TEST_F(CliTest, SearchUndoAndStats) {
  Output s = RunCheckin({"roster", "search", "jose", "munoz", "--json", "--db", db_});
  ASSERT_EQ(s.rc, 0) << s.err;
  nlohmann::json hits = Json(s);
  ASSERT_EQ(hits.size(), 1u);
  const int64_t id = hits[0]["id"];
  Output byid =
      RunCheckin({"redeem", "--attendee", std::to_string(id), "--db", db_, "--station", "m1"});
  EXPECT_EQ(byid.rc, 0) << byid.err;
  EXPECT_NE(byid.out.find("ADMITIDO"), std::string::npos) << byid.out;

  Output stats = RunCheckin({"stats", "--json", "--db", db_});
  ASSERT_EQ(stats.rc, 0);
  EXPECT_EQ(Json(stats)["checked_in"], 1);
  EXPECT_EQ(Json(stats)["expected"], 5);

  Output undo = RunCheckin({"undo", "--station", "m1", "--db", db_});
  EXPECT_EQ(undo.rc, 0) << undo.err;
  EXPECT_NE(undo.out.find("María José Muñoz Peña"), std::string::npos) << undo.out;
  EXPECT_EQ(Json(RunCheckin({"stats", "--json", "--db", db_}))["checked_in"], 0);
  EXPECT_EQ(RunCheckin({"undo", "--station", "m1", "--db", db_}).rc, 2) << "nothing left to undo";
}

TEST_F(CliTest, ConfigFileGatesAndEnvironmentDatabase) {
  const std::string cfg = dir_.File("station.toml");
  {
    std::ofstream f(cfg);
    f << "language = \"en\"\n[[gate]]\nname = \"VIP\"\nticket_types = [\"Speaker\"]\n";
  }
  const std::string env = "CHECKIN_DB=" + db_;
  Output denied =
      RunCheckin({"redeem", "KCD26-6KJ6HBIJLV", "--gate", "vip", "--config", cfg, "--json"}, {env});
  EXPECT_EQ(denied.rc, 1) << denied.err;
  EXPECT_EQ(Json(denied)["verdict"], "not_allowed");
  EXPECT_NE(Json(denied)["message"].get<std::string>().find("not valid at VIP"), std::string::npos);

  {
    std::ofstream f(cfg);
    f << "[[gate]]\nname = \"VIP\"\nticket_types = \"Speaker\"\n";
  }
  Output broken = RunCheckin({"redeem", "X", "--gate", "VIP", "--config", cfg}, {env});
  EXPECT_EQ(broken.rc, 2);
  EXPECT_NE(broken.err.find("station.toml"), std::string::npos) << broken.err;
}

}  // namespace
}  // namespace checkin
